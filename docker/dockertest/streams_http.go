package dockertest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/berth-go/berth/stream"
)

// streamContentType is what the Engine says a container output stream is:
// from API 1.42 the truth, before that "raw-stream" whatever the framing.
func streamContentType(r *http.Request, tty bool) string {
	if atLeast(r, "1.42") && !tty {
		return stream.MultiplexedContentType
	}
	return stream.RawContentType
}

// outputWriter writes log entries as the client expects them: frames, or
// raw bytes for a TTY; with timestamps when asked.
type outputWriter struct {
	w          io.Writer
	tty        bool
	timestamps bool
	stdout     bool
	stderr     bool
	frames     [3]io.Writer
}

func newOutputWriter(w io.Writer, tty, timestamps, stdout, stderr bool) *outputWriter {
	o := &outputWriter{w: w, tty: tty, timestamps: timestamps, stdout: stdout, stderr: stderr}
	o.frames[stream.Stdout] = stream.NewWriter(w, stream.Stdout)
	o.frames[stream.Stderr] = stream.NewWriter(w, stream.Stderr)
	return o
}

func (o *outputWriter) write(e logEntry) error {
	if e.kind == stream.Stdout && !o.stdout || e.kind == stream.Stderr && !o.stderr {
		return nil
	}
	data := e.data
	if o.timestamps {
		data = append([]byte(e.at.Format(time.RFC3339Nano)+" "), data...)
	}
	if o.tty {
		_, err := o.w.Write(data)
		return err
	}
	_, err := o.frames[e.kind].Write(data)
	return err
}

func (s *Server) handleContainerLogs(w http.ResponseWriter, r *http.Request, p params) {
	q := r.URL.Query()
	stdout, stderr := isTrue(q.Get("stdout")), isTrue(q.Get("stderr"))
	if !stdout && !stderr {
		writeError(w, 400, "Bad parameters: you must choose at least one stream")
		return
	}
	now := time.Now()
	since, ok1 := parseEventTime(q.Get("since"), now)
	until, ok2 := parseEventTime(q.Get("until"), now)
	if !ok1 || !ok2 {
		writeError(w, 400, "invalid since or until")
		return
	}
	tail := -1
	if v := q.Get("tail"); v != "" && v != "all" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeError(w, 400, "invalid tail: "+v)
			return
		}
		tail = n
	}
	var c *fakeContainer
	var tty, running bool
	s.withContainer(w, p, func(found *fakeContainer) {
		c, tty, running = found, found.config.Tty, found.cur != nil
	})
	if c == nil {
		return
	}
	follow := isTrue(q.Get("follow")) && running
	w.Header().Set("Content-Type", streamContentType(r, tty))
	w.WriteHeader(200)
	out := newOutputWriter(w, tty, isTrue(q.Get("timestamps")), stdout, stderr)
	flush := func() { _ = http.NewResponseController(w).Flush() }
	entries, next, runs, changed := c.logs.snapshot(0)
	if tail >= 0 {
		entries = tailLines(entries, tail, stdout, stderr)
	}
	keep := func(e logEntry) bool {
		return (since.IsZero() || !e.at.Before(since)) && (until.IsZero() || !e.at.After(until))
	}
	for _, e := range entries {
		if keep(e) {
			if out.write(e) != nil {
				return
			}
		}
	}
	flush()
	for follow {
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
		var more []logEntry
		var nowRuns int
		more, next, nowRuns, changed = c.logs.snapshot(next)
		for _, e := range more {
			if keep(e) {
				if out.write(e) != nil {
					return
				}
			}
		}
		flush()
		if nowRuns != runs {
			return // the container stopped: following ends, as on the Engine
		}
	}
}

// tailLines keeps the entries holding the last n lines of the selected
// streams (entries are whole lines, as the Engine's log driver stores them).
func tailLines(entries []logEntry, n int, stdout, stderr bool) []logEntry {
	var sel []logEntry
	for _, e := range entries {
		if e.kind == stream.Stdout && stdout || e.kind == stream.Stderr && stderr {
			sel = append(sel, e)
		}
	}
	if n >= len(sel) {
		return sel
	}
	return sel[len(sel)-n:]
}

// hijack takes over the connection and writes the upgrade answer (101 when
// the client asked for an upgrade, 200 otherwise, as old Engines did).
func hijack(w http.ResponseWriter, r *http.Request, contentType string) (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, nil, err
	}
	var hdr bytes.Buffer
	if r.Header.Get("Upgrade") != "" {
		fmt.Fprintf(&hdr, "HTTP/1.1 101 UPGRADED\r\nContent-Type: %s\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n", contentType)
	} else {
		fmt.Fprintf(&hdr, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n\r\n", contentType)
	}
	if _, err := conn.Write(hdr.Bytes()); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, rw, nil
}

func (s *Server) handleContainerAttach(w http.ResponseWriter, r *http.Request, p params) {
	q := r.URL.Query()
	var c *fakeContainer
	var stdinW *io.PipeWriter
	var entries []logEntry
	var next, runs int
	var changed <-chan struct{}
	s.withContainer(w, p, func(found *fakeContainer) {
		if st := found.status(); st != "created" && st != "running" && st != "paused" {
			writeError(w, 409, "You cannot attach to a stopped container, start it first")
			return
		}
		c = found
		if isTrue(q.Get("stdin")) && c.config.OpenStdin {
			c.openStdin()
			stdinW = c.stdinW
		}
		entries, next, runs, changed = c.logs.snapshot(0)
	})
	if c == nil {
		return
	}
	tty := c.config.Tty
	conn, rw, err := hijack(w, r, streamContentType(r, tty))
	if err != nil {
		return
	}
	defer conn.Close()
	stdinOnce := c.config.StdinOnce
	if stdinW != nil {
		go func() { // copies the client's stdin until it half-closes or the connection ends
			_, _ = io.Copy(stdinW, rw.Reader)
			if stdinOnce {
				_ = stdinW.Close()
			}
		}()
	}
	out := newOutputWriter(conn, tty, false, isTrue(q.Get("stdout")), isTrue(q.Get("stderr")))
	if isTrue(q.Get("logs")) {
		for _, e := range entries {
			if out.write(e) != nil {
				return
			}
		}
	}
	if !isTrue(q.Get("stream")) {
		return
	}
	for {
		select {
		case <-changed:
		case <-s.done:
			return
		}
		var more []logEntry
		var nowRuns int
		more, next, nowRuns, changed = c.logs.snapshot(next)
		for _, e := range more {
			if out.write(e) != nil {
				return
			}
		}
		if nowRuns != runs {
			if cw, ok := conn.(interface{ CloseWrite() error }); ok {
				_ = cw.CloseWrite()
			}
			return
		}
	}
}
