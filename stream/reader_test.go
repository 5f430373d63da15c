package stream_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/stream"
)

func TestIsMultiplexed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		contentType string
		tty         bool
		want        bool
	}{
		{stream.MultiplexedContentType, false, true},
		{stream.MultiplexedContentType, true, true}, // the header wins
		{stream.RawContentType, false, false},
		{stream.RawContentType, true, false},
		{"application/vnd.docker.multiplexed-stream; charset=utf-8", true, true},
		{"Application/VND.Docker.Raw-Stream ;charset=utf-8", false, false},
		{"", false, true}, // older Engines: no header, the TTY flag decides
		{"", true, false},
		{"text/plain", false, true},
		{"application/json", true, false},
		{";;;not a media type", false, true},
	}
	for _, tt := range tests {
		if got := stream.IsMultiplexed(tt.contentType, tt.tty); got != tt.want {
			t.Errorf("IsMultiplexed(%q, %v) = %v, want %v", tt.contentType, tt.tty, got, tt.want)
		}
	}
}

// body is an io.ReadCloser that records Close calls.
type body struct {
	io.Reader
	closed int
}

func (b *body) Close() error {
	b.closed++
	return nil
}

func TestReaderDemux(t *testing.T) {
	t.Parallel()
	muxed := cat(frame(1, "out"), frame(2, "err"))
	tests := []struct {
		name        string
		in          []byte
		multiplexed bool
		want        output
		wantN       int64
	}{
		{"multiplexed", muxed, true, output{"out", "err"}, 6},
		// Raw output is never parsed, even if it looks like frames.
		{"raw", muxed, false, output{Stdout: string(muxed)}, int64(len(muxed))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := &body{Reader: bytes.NewReader(tt.in)}
			r := stream.NewReader(b, tt.multiplexed)
			if r.Multiplexed() != tt.multiplexed {
				t.Errorf("Multiplexed() = %v, want %v", r.Multiplexed(), tt.multiplexed)
			}
			var stdout, stderr bytes.Buffer
			n, err := r.Demux(&stdout, &stderr)
			if err != nil || n != tt.wantN {
				t.Errorf("Demux = %d, %v; want %d, nil", n, err, tt.wantN)
			}
			if diff := cmp.Diff(tt.want, output{stdout.String(), stderr.String()}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if err := r.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if err := r.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
			if b.closed != 1 {
				t.Errorf("body closed %d times, want 1", b.closed)
			}
		})
	}
}

func TestReaderDemuxNilStdout(t *testing.T) {
	t.Parallel()
	r := stream.NewReader(&body{Reader: bytes.NewReader([]byte("tty output"))}, false)
	if n, err := r.Demux(nil, nil); n != 10 || err != nil {
		t.Errorf("Demux(nil, nil) = %d, %v; want 10, nil", n, err)
	}
}

func TestReaderReadsWireBytes(t *testing.T) {
	t.Parallel()
	in := cat(frame(1, "out"), frame(2, "err"))
	r := stream.NewReader(&body{Reader: bytes.NewReader(in)}, true)
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, in) {
		t.Errorf("Read returned %q, want the frames as sent %q", got, in)
	}
}

func TestReaderDemuxError(t *testing.T) {
	t.Parallel()
	r := stream.NewReader(&body{Reader: bytes.NewReader(cat(frame(1, "a"), header(1, 4)))}, true)
	if _, err := r.Demux(nil, nil); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Demux: err = %v, want io.ErrUnexpectedEOF", err)
	}
}
