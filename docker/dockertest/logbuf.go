package dockertest

import (
	"bytes"
	"sync"
	"time"

	"github.com/berth-go/berth/stream"
)

// logEntry is one write of a container's process.
type logEntry struct {
	kind stream.Kind // Stdout or Stderr
	data []byte
	at   time.Time
}

// logBuf is a container's output: kept for logs, and watched by followers
// and attached clients. It is safe for concurrent use.
type logBuf struct {
	mu      sync.Mutex
	entries []logEntry
	changed chan struct{} // closed and replaced on every append and run end
	run     int           // incremented when a run ends
}

func newLogBuf() *logBuf { return &logBuf{changed: make(chan struct{})} }

func (l *logBuf) append(kind stream.Kind, p []byte) {
	if len(p) == 0 {
		return
	}
	now := time.Now().UTC()
	l.mu.Lock()
	// One entry per line, as the Engine's log driver stores them (tail and
	// timestamps count lines).
	for len(p) > 0 {
		n := bytes.IndexByte(p, '\n') + 1
		if n == 0 {
			n = len(p)
		}
		l.entries = append(l.entries, logEntry{kind: kind, data: append([]byte(nil), p[:n]...), at: now})
		p = p[n:]
	}
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// endRun tells watchers that the current run of the process is over.
func (l *logBuf) endRun() {
	l.mu.Lock()
	l.run++
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// snapshot returns the entries from index from, the index after them, the
// number of runs ended so far, and a channel closed on the next change.
func (l *logBuf) snapshot(from int) ([]logEntry, int, int, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if from > len(l.entries) {
		from = len(l.entries)
	}
	return l.entries[from:len(l.entries):len(l.entries)], len(l.entries), l.run, l.changed
}

// logWriter feeds one stream of a process into the buffer.
type logWriter struct {
	buf  *logBuf
	kind stream.Kind
	dead func() bool // true once the run is over: late writes are dropped
}

func (w logWriter) Write(p []byte) (int, error) {
	if w.dead != nil && w.dead() {
		return len(p), nil
	}
	w.buf.append(w.kind, p)
	return len(p), nil
}
