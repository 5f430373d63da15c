package stream_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/stream"
)

func TestDemuxRealLogs(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/logs-hello.bin")
	if err != nil {
		t.Fatal(err)
	}
	got, err := demuxAll(t, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(output{Stdout: "hello []\n"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDemuxNilWriters(t *testing.T) {
	t.Parallel()
	in := cat(frame(1, "out"), frame(2, "err"), frame(1, "!"))
	var stderr bytes.Buffer
	n, err := stream.Demux(nil, &stderr, bytes.NewReader(in))
	if err != nil || n != 7 || stderr.String() != "err" {
		t.Errorf("Demux(nil, stderr) = %d, %v, stderr %q; want 7, nil, \"err\"", n, err, stderr.String())
	}
	var stdout bytes.Buffer
	n, err = stream.Demux(&stdout, nil, bytes.NewReader(in))
	if err != nil || n != 7 || stdout.String() != "out!" {
		t.Errorf("Demux(stdout, nil) = %d, %v, stdout %q; want 7, nil, \"out!\"", n, err, stdout.String())
	}
}

// writeCounter records each Write.
type writeCounter struct{ writes []string }

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

func TestDemuxCoalescesBufferedFrames(t *testing.T) {
	t.Parallel()
	var in []byte
	for range 100 {
		in = append(in, frame(1, "0123456789")...)
	}
	in = append(in, frame(2, "e1")...)
	in = append(in, frame(2, "e2")...)
	in = append(in, frame(1, "last")...)
	var stdout, stderr writeCounter
	if _, err := stream.Demux(&stdout, &stderr, bytes.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	want := []string{strings.Repeat("0123456789", 100), "last"}
	if diff := cmp.Diff(want, stdout.writes); diff != "" {
		t.Errorf("stdout writes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"e1e2"}, stderr.writes); diff != "" {
		t.Errorf("stderr writes (-want +got):\n%s", diff)
	}
}

// chunks is a reader returning one chunk per Read.
type chunks [][]byte

func (c *chunks) Read(p []byte) (int, error) {
	if len(*c) == 0 {
		return 0, io.EOF
	}
	n := copy(p, (*c)[0])
	if n < len((*c)[0]) {
		(*c)[0] = (*c)[0][n:]
	} else {
		*c = (*c)[1:]
	}
	return n, nil
}

// TestDemuxCoalescesSmallAndLarge checks that a small piece of payload and a
// large one of the same stream read together go out in one Write, whichever
// comes first, and that two large ones are not moved.
func TestDemuxCoalescesSmallAndLarge(t *testing.T) {
	t.Parallel()
	small, large := strings.Repeat("s", 100), strings.Repeat("L", 10000)
	in := chunks{
		cat(header(1, 200), []byte(small)),                 // the first half of a frame
		cat([]byte(small), frame(1, large), frame(1, "x")), // its tail, then more frames
		cat(frame(2, large), frame(2, large)),
	}
	var stdout, stderr writeCounter
	if _, err := stream.Demux(&stdout, &stderr, &in); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{small, small + large + "x"}, stdout.writes); diff != "" {
		t.Errorf("stdout writes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{large, large}, stderr.writes); diff != "" {
		t.Errorf("stderr writes (-want +got):\n%s", diff)
	}
}

// chanWriter passes each Write to a channel.
type chanWriter chan string

func (c chanWriter) Write(p []byte) (int, error) {
	c <- string(p)
	return len(p), nil
}

// TestDemuxPrompt checks that Demux writes what it has before waiting for
// more input, as a followed log or an attached session needs.
func TestDemuxPrompt(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	defer pr.Close()
	got := make(chanWriter, 10)
	done := make(chan error, 1)
	go func() {
		_, err := stream.Demux(got, got, pr)
		done <- err
	}()
	expect := func(want string) {
		t.Helper()
		select {
		case s := <-got:
			if s != want {
				t.Fatalf("writer got %q, want %q", s, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("writer got nothing, want %q before more input", want)
		}
	}
	steps := []struct {
		write []byte
		want  string
	}{
		{frame(1, "first line\n"), "first line\n"},
		{cat(frame(2, "a"), frame(2, "b")), "ab"},
		{cat(header(1, 6), []byte("par")), "par"}, // half a payload
		{[]byte("tly"), "tly"},
	}
	for _, s := range steps {
		if _, err := pw.Write(s.write); err != nil {
			t.Fatal(err)
		}
		expect(s.want)
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Errorf("Demux: %v", err)
	}
}

// errWriter fails after accepting limit bytes.
type errWriter struct {
	limit int
	err   error
}

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) <= w.limit {
		w.limit -= len(p)
		return len(p), nil
	}
	n := w.limit
	w.limit = 0
	return n, w.err
}

func TestDemuxWriterErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk full")
	in := cat(frame(1, "abc"), frame(2, "defg"), frame(1, "h"))
	tests := []struct {
		name    string
		w       io.Writer
		wantN   int64
		wantErr error
	}{
		{"error", &errWriter{limit: 5, err: boom}, 5, boom},
		{"short write", &errWriter{limit: 5}, 5, io.ErrShortWrite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, err := stream.Demux(tt.w, tt.w, bytes.NewReader(in))
			if n != tt.wantN || !errors.Is(err, tt.wantErr) {
				t.Errorf("Demux = %d, %v; want %d, %v", n, err, tt.wantN, tt.wantErr)
			}
		})
	}
}

func TestDemuxSourceError(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	src := io.MultiReader(bytes.NewReader(cat(frame(1, "abc"), header(2, 5), []byte("de"))), iotest.ErrReader(boom))
	got, err := demuxAll(t, src)
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
	if diff := cmp.Diff(output{"abc", "de"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// emptyReader returns nothing, forever.
type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestNoProgress(t *testing.T) {
	t.Parallel()
	if _, err := stream.Demux(nil, nil, emptyReader{}); !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("Demux: err = %v, want io.ErrNoProgress", err)
	}
	if _, err := framesAll(emptyReader{}); !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("Frames: err = %v, want io.ErrNoProgress", err)
	}
}

func TestSystemMessageIsBounded(t *testing.T) {
	t.Parallel()
	msg := strings.Repeat("x", 100<<10)
	in := cat(frame(3, msg))
	for name, run := range map[string]func() error{
		"Demux":  func() error { _, err := stream.Demux(nil, nil, bytes.NewReader(in)); return err },
		"Frames": func() error { _, err := framesAll(bytes.NewReader(in)); return err },
	} {
		var se *stream.SystemError
		if err := run(); !errors.As(err, &se) {
			t.Errorf("%s: err = %v, want a *stream.SystemError", name, err)
		} else if len(se.Message) != 64<<10 {
			t.Errorf("%s: message has %d bytes, want the first 64 KiB", name, len(se.Message))
		}
	}
}

// hugeFrame is a stream of one frame announcing maxUint32 bytes followed by
// a short stderr frame, produced without holding it in memory.
type hugeFrame struct {
	head, tail []byte
	off        int64
}

func newHugeFrame() *hugeFrame {
	return &hugeFrame{head: header(1, 0xFFFFFFFF), tail: frame(2, "end")}
}

const hugeLen = 8 + 0xFFFFFFFF

func (h *hugeFrame) Read(p []byte) (int, error) {
	tail := h.tail
	total := int64(hugeLen + len(tail))
	if h.off >= total {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && h.off < total {
		switch {
		case h.off < 8:
			p[n] = h.head[h.off]
		case h.off >= hugeLen:
			p[n] = tail[h.off-hugeLen]
		default:
			// Payload bytes: leave whatever p holds, but skip ahead in bulk.
			k := min(int64(len(p)-n), hugeLen-h.off)
			n += int(k)
			h.off += k
			continue
		}
		n++
		h.off++
	}
	return n, nil
}

// discardCounter counts the bytes written to it by stream.
type discardCounter struct{ n int64 }

func (d *discardCounter) Write(p []byte) (int, error) {
	d.n += int64(len(p))
	return len(p), nil
}

// TestHugeFrameMemoryBounded streams a 4 GiB frame through Demux and Frames
// and checks that neither allocates more than a small fixed amount. It does
// not run in parallel, so that the allocation counts are its own.
func TestHugeFrameMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 4 GiB")
	}
	measure := func(name string, run func() (stdout, stderr int64, err error)) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		stdout, stderr, err := run()
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if stdout != 0xFFFFFFFF || stderr != 3 {
			t.Errorf("%s: got %d stdout and %d stderr bytes, want %d and 3", name, stdout, stderr, int64(0xFFFFFFFF))
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<10 {
			t.Errorf("%s allocated %d bytes for a 4 GiB frame, want a fixed buffer", name, alloc)
		}
	}
	measure("Demux", func() (int64, int64, error) {
		var stdout, stderr discardCounter
		_, err := stream.Demux(&stdout, &stderr, newHugeFrame())
		return stdout.n, stderr.n, err
	})
	measure("Frames", func() (int64, int64, error) {
		var n [3]int64
		for f, err := range stream.Frames(newHugeFrame()) {
			if err != nil {
				return n[1], n[2], err
			}
			if len(f.Data) > 64<<10 {
				t.Fatalf("Frames yielded %d bytes at once", len(f.Data))
			}
			n[f.Kind] += int64(len(f.Data))
		}
		return n[1], n[2], nil
	})
}

// TestDemuxAllocsDoNotGrowWithFrames does not run in parallel, as
// testing.AllocsPerRun requires.
func TestDemuxAllocsDoNotGrowWithFrames(t *testing.T) {
	small := cat(frame(1, "x"))
	var many []byte
	for i := range 10000 {
		many = append(many, frame(byte(1+i%2), "0123456789")...)
	}
	allocs := func(in []byte) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := stream.Demux(io.Discard, io.Discard, bytes.NewReader(in)); err != nil {
				t.Fatal(err)
			}
		})
	}
	if a, b := allocs(small), allocs(many); a != b {
		t.Errorf("Demux allocates %v times for 1 frame and %v for 10000: want no allocation per frame", a, b)
	}
}
