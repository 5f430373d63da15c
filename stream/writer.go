package stream

import (
	"io"
	"sync"
)

// maxKeptFrame is the largest frame a frame writer keeps a buffer for;
// larger frames are assembled in a buffer that is dropped after the Write.
const maxKeptFrame = headerLen + 64<<10

// NewWriter returns a writer that turns each Write(p) into one frame of kind
// k carrying p, written to dst with a single dst.Write call. (A p longer than
// the 4 GiB - 1 a header can announce becomes several frames.) An empty Write
// writes nothing. Write returns the number of bytes of p that reached dst.
//
// It is what the Engine does for container output, and what fakes and tests
// use to produce multiplexed streams (k System included, to send an error).
//
// The returned writer is safe for concurrent use. Because each frame is one
// dst.Write, writers of different kinds may share one dst, e.g.
//
//	stdout, stderr := stream.NewWriter(w, stream.Stdout), stream.NewWriter(w, stream.Stderr)
//
// as long as dst itself is safe for the concurrent Writes that follows from
// (wrap it with a mutex if not, or use the writers from one goroutine):
// frames then never interleave.
func NewWriter(dst io.Writer, k Kind) io.Writer {
	return &frameWriter{dst: dst, kind: k}
}

// frameWriter is the writer NewWriter returns.
type frameWriter struct {
	dst  io.Writer
	kind Kind

	mu  sync.Mutex
	buf []byte // header and payload of the frame being written
}

func (w *frameWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	written := 0
	for len(p) > 0 {
		size := uint64(len(p))
		if size > maxPayload {
			size = maxPayload
		}
		frame := w.frame(p[:size])
		n, err := w.dst.Write(frame)
		if n < 0 || n > len(frame) {
			n = 0
			if err == nil {
				err = errInvalidWrite
			}
		}
		written += max(n-headerLen, 0)
		if err == nil && n < len(frame) {
			err = io.ErrShortWrite
		}
		if err != nil {
			return written, err
		}
		p = p[size:]
	}
	return written, nil
}

// frame returns the frame for payload p, in w.buf when it fits.
func (w *frameWriter) frame(p []byte) []byte {
	need := headerLen + len(p)
	var frame []byte
	if need <= maxKeptFrame {
		if cap(w.buf) < need {
			w.buf = make([]byte, min(max(need, 2*cap(w.buf), 512), maxKeptFrame))
		}
		frame = w.buf[:need]
	} else {
		frame = make([]byte, need)
	}
	putHeader(frame, w.kind, uint32(len(p)))
	copy(frame[headerLen:], p)
	return frame
}
