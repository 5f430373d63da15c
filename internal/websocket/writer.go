package websocket

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// chunk is how much masked payload a Writer prepares per write to the
// connection.
const chunk = 32 << 10

// Writer writes the frames one endpoint sends. A client's Writer masks
// every frame with a fresh random key, as RFC 6455 requires; a server's
// never masks.
//
// Writer is safe for concurrent use: frames are written whole, one at a
// time, never interleaved. After a close frame it writes nothing more.
type Writer struct {
	mu     sync.Mutex
	w      io.Writer
	mask   bool
	closed bool   // a close frame was written
	err    error  // a write failed: the frame stream is broken
	buf    []byte // header and masked payload on their way out
}

// NewWriter returns a Writer of the frames role sends to w.
func NewWriter(w io.Writer, role Role) *Writer {
	return &Writer{w: w, mask: role == Client}
}

// errAfterClose is what writing after the close frame returns.
var errAfterClose = fmt.Errorf("websocket: frame after the close frame: %w", net.ErrClosed)

// WriteFrame writes p as one frame of type op, the last of its message when
// fin is set. Control frames must be final and carry at most 125 bytes.
// After a close frame has been written it returns an error matching
// net.ErrClosed; after a failed write, that write's error.
func (w *Writer) WriteFrame(op Opcode, fin bool, p []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writeFrame(op, fin, p)
}

// tryWriteFrame is WriteFrame unless another frame is being written: then
// it gives up at once and reports false.
func (w *Writer) tryWriteFrame(op Opcode, fin bool, p []byte) (bool, error) {
	if !w.mu.TryLock() {
		return false, nil
	}
	defer w.mu.Unlock()
	return true, w.writeFrame(op, fin, p)
}

func (w *Writer) writeFrame(op Opcode, fin bool, p []byte) error {
	if !op.known() {
		return fmt.Errorf("websocket: cannot write a frame of unknown %v", op)
	}
	if op.IsControl() && (!fin || len(p) > MaxControlPayload) {
		return errors.New("websocket: control frames must be final and carry at most 125 bytes")
	}
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errAfterClose
	}
	if op == OpClose {
		w.closed = true
	}
	h := Header{Fin: fin, Opcode: op, Masked: w.mask, Length: int64(len(p))}
	if need := MaxHeaderLen + min(len(p), chunk); cap(w.buf) < need {
		w.buf = make([]byte, 0, need)
	}
	if !w.mask {
		// Nothing to transform: the header, then p as it is.
		buf := AppendHeader(w.buf[:0], h)
		if len(p) <= cap(buf)-len(buf) {
			return w.write(append(buf, p...))
		}
		if err := w.write(buf); err != nil {
			return err
		}
		return w.write(p)
	}
	_, _ = rand.Read(h.Key[:]) // never fails (crypto/rand crashes the program instead)
	buf := AppendHeader(w.buf[:0], h)
	for pos := 0; ; {
		n := min(len(p)-pos, cap(buf)-len(buf))
		start := len(buf)
		buf = append(buf, p[pos:pos+n]...)
		maskBytes(h.Key, int64(pos), buf[start:])
		pos += n
		if err := w.write(buf); err != nil {
			return err
		}
		if pos == len(p) {
			return nil
		}
		buf = buf[:0]
	}
}

// write writes b whole. A failure is final: a frame cut short leaves
// nothing valid to write after it.
func (w *Writer) write(b []byte) error {
	if _, err := w.w.Write(b); err != nil {
		w.err = err
		return err
	}
	return nil
}
