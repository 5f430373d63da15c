package websocket

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
	"unicode/utf8"
)

// Close status codes that Conn sends or reads specially.
const (
	CloseNormal        = 1000 // the purpose of the connection is fulfilled
	CloseGoingAway     = 1001 // the endpoint goes away (a server shutting down)
	CloseProtocolError = 1002 // the peer broke the protocol
	CloseNoStatus      = 1005 // a close frame without a status code (never sent)
)

// closeTimeout bounds how long Close waits for the peer to take the close
// frame before it closes the connection anyway.
const closeTimeout = time.Second

// CloseError is what Read returns after a close frame whose status code is
// not a normal one (1000, 1001 or none, which give io.EOF).
type CloseError struct {
	Code   int
	Reason string
}

func (e *CloseError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("websocket: closed by the peer with status %d", e.Code)
	}
	return fmt.Sprintf("websocket: closed by the peer with status %d: %s", e.Code, e.Reason)
}

// Conn is a WebSocket connection used as a byte stream: Read returns the
// payloads of the data messages (text or binary) the peer sends, one after
// the other, without their boundaries; Write sends each call as one binary
// message. While reading, Conn answers pings with pongs and the peer's close
// frame with its own.
//
// Read returns io.EOF after a close frame with a normal status (see
// CloseError for the others), and also when the connection ends between
// frames without one, as some servers (the Engine among them) end a
// session; a connection that ends inside a frame or a fragmented message
// gives io.ErrUnexpectedEOF. A peer that breaks the protocol gets a close
// frame with status 1002, the connection is closed, and Read returns an
// error wrapping ErrProtocol.
//
// One goroutine may Read while another Writes; Close may be called from any
// goroutine, at any time, more than once. The caller must Close the Conn.
type Conn struct {
	rd     *Reader
	wr     *Writer
	closer io.Closer

	readErr error // why reading stopped; only Read touches it
	ctrl    [MaxControlPayload]byte

	closeOnce sync.Once
	closeErr  error
}

// NewConn returns the Conn of an endpoint playing role that reads frames
// from r and writes them to w once the opening handshake is done; closing
// it closes c. r should be buffered for small frames (the *bufio.Reader
// that read the handshake, so that bytes it read past it are not lost).
func NewConn(r io.Reader, w io.Writer, c io.Closer, role Role) *Conn {
	return &Conn{rd: NewReader(r, role), wr: NewWriter(w, role), closer: c}
}

// Read reads the payload bytes of the peer's data messages into p.
func (c *Conn) Read(p []byte) (int, error) {
	if len(p) == 0 && c.readErr == nil {
		return 0, nil
	}
	for c.readErr == nil {
		if c.rd.Remaining() > 0 {
			// Inside a data frame: control frames are read whole.
			n, err := c.rd.Read(p)
			if err != nil {
				c.readErr = c.fail(err)
				return n, c.readErr
			}
			return n, nil
		}
		h, err := c.rd.Next()
		if err != nil {
			c.readErr = c.fail(err)
			break
		}
		if h.Opcode.IsControl() {
			c.readErr = c.control(h)
		}
	}
	return 0, c.readErr
}

// control handles a control frame whose header is h.
func (c *Conn) control(h Header) error {
	payload := c.ctrl[:h.Length]
	if _, err := io.ReadFull(c.rd, payload); err != nil {
		return c.fail(err)
	}
	switch h.Opcode {
	case OpPing:
		// Nothing to do about a failure here: the next read will tell.
		_ = c.wr.WriteFrame(OpPong, true, payload)
	case OpClose:
		code, reason, err := parseClose(payload)
		if err != nil {
			return c.fail(err)
		}
		// Echo the status (none if there was none); after our own close
		// frame this writes nothing.
		_ = c.wr.WriteFrame(OpClose, true, payload[:min(len(payload), 2)])
		if code == CloseNormal || code == CloseGoingAway || code == CloseNoStatus {
			return io.EOF
		}
		return &CloseError{Code: code, Reason: reason}
	}
	return nil
}

// parseClose reads a close frame's payload: nothing, or a status code and
// a UTF-8 reason.
func parseClose(p []byte) (int, string, error) {
	switch len(p) {
	case 0:
		return CloseNoStatus, "", nil
	case 1:
		return 0, "", protocolError("close frame with a 1-byte payload")
	}
	code := int(binary.BigEndian.Uint16(p))
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1014, code >= 3000 && code <= 4999:
	default:
		return 0, "", protocolError("close status %d", code)
	}
	if !utf8.Valid(p[2:]) {
		return 0, "", protocolError("close reason not in UTF-8")
	}
	return code, string(p[2:]), nil
}

// fail turns a reading error into what Read returns, and fails the
// connection when the peer broke the protocol.
func (c *Conn) fail(err error) error {
	switch {
	case err == io.EOF && c.rd.inMessage:
		return io.ErrUnexpectedEOF
	case errors.Is(err, ErrProtocol):
		c.sendClose(CloseProtocolError)
		c.closeConn()
	}
	return err
}

// Write sends p as one binary message. It returns an error matching
// net.ErrClosed after Close, or after the peer's close frame was answered.
func (c *Conn) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if err := c.wr.WriteFrame(OpBinary, true, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close sends a close frame with status 1000, unless one was sent, and
// closes the connection without waiting for the peer's answer. It never
// blocks for long: when a Write is under way it skips the close frame, and
// a peer that does not take the frame within a second has the connection
// closed under it. Later calls return what the first returned.
func (c *Conn) Close() error {
	c.sendClose(CloseNormal)
	return c.closeConn()
}

// sendClose writes a close frame with code unless a frame is being
// written, and closes the connection if that takes longer than
// closeTimeout.
func (c *Conn) sendClose(code int) {
	t := time.AfterFunc(closeTimeout, func() { c.closeConn() })
	defer t.Stop()
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], uint16(code))
	_, _ = c.wr.tryWriteFrame(OpClose, true, b[:])
}

// closeConn closes the connection once.
func (c *Conn) closeConn() error {
	c.closeOnce.Do(func() { c.closeErr = c.closer.Close() })
	return c.closeErr
}
