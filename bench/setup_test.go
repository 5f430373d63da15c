// Package bench compares berth with other Go clients for the Docker Engine
// API. It is its own module so that the clients it compares against never
// become dependencies of berth. Shared inputs and writers live in this file;
// each comparison has its own file.
package bench

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/berth-go/berth/stream"
)

// plainReader hides every method of r but Read, as an HTTP response body or a
// hijacked connection does. (A bytes.Reader's WriterTo would turn io.Copy
// into a single Write and measure nothing.)
type plainReader struct{ r io.Reader }

func (p *plainReader) Read(b []byte) (int, error) { return p.r.Read(b) }

// countWriter counts the bytes written to it and has no ReadFrom method, like
// a terminal or a pipe seen through io.Writer. It is the writer every
// implementation writes to.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// writers are the destinations a comparison runs against: the counting
// writer, where only the work of the code under test shows, and /dev/null,
// where each Write is a system call, as with a terminal, pipe or file.
func writers(tb testing.TB) []struct {
	name string
	w    io.Writer
} {
	tb.Helper()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { null.Close() })
	return []struct {
		name string
		w    io.Writer
	}{
		{"count", &countWriter{}},
		// Hide ReadFrom, so that io.Copy too goes through Write.
		{"devnull", struct{ io.Writer }{null}},
	}
}

// multiplexed returns a multiplexed stream carrying payload bytes of payload
// in frames of frameSize bytes, alternating between stdout and stderr every
// runLen frames (0: all stdout), as produced by berth's stream.NewWriter
// (byte-identical to the Engine's framing).
func multiplexed(tb testing.TB, payload, frameSize, runLen int) []byte {
	tb.Helper()
	data := bytes.Repeat([]byte("berth bench 0123456789abcdef\n..."), payload/32+1)[:payload]
	var buf bytes.Buffer
	buf.Grow(payload + payload/frameSize*8 + 8)
	writers := [2]io.Writer{stream.NewWriter(&buf, stream.Stdout), stream.NewWriter(&buf, stream.Stderr)}
	for i := 0; len(data) > 0; i++ {
		k := 0
		if runLen > 0 {
			k = i / runLen % 2
		}
		n := min(frameSize, len(data))
		if _, err := writers[k].Write(data[:n]); err != nil {
			tb.Fatal(err)
		}
		data = data[n:]
	}
	return buf.Bytes()
}
