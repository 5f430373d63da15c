package websocket

import (
	"io"
)

// Role is the side of the connection an endpoint plays: clients mask every
// frame they send, servers never do.
type Role bool

// The two roles.
const (
	Client Role = false
	Server Role = true
)

func (r Role) String() string {
	if r == Server {
		return "server"
	}
	return "client"
}

// Reader reads the frames one endpoint receives: Next reads a frame's
// header, Read its payload (unmasked). Besides what ReadHeader checks, it
// checks the frames against the reader's role (a server receives only
// masked frames, a client only unmasked ones) and against each other (a
// fragmented message goes on with continuation frames only, and those come
// only inside one).
//
// Payloads are streamed: a frame's length only bounds how much Read reads.
// A Reader is not safe for concurrent use.
type Reader struct {
	r    io.Reader
	role Role

	h         Header // the current frame's header
	left      int64  // bytes of its payload not read yet
	inMessage bool   // a fragmented data message awaits continuation frames
	buf       [MaxHeaderLen]byte
}

// NewReader returns a Reader of the frames that role receives from r. For
// many small frames r should be buffered (a *bufio.Reader).
func NewReader(r io.Reader, role Role) *Reader {
	return &Reader{r: r, role: role}
}

// Next discards what is left of the current frame's payload and returns
// the next frame's header. It returns io.EOF when the input ends between
// frames, io.ErrUnexpectedEOF when it ends inside one, and an error
// wrapping ErrProtocol when a frame breaks the protocol.
func (r *Reader) Next() (Header, error) {
	if r.left > 0 {
		if _, err := io.CopyN(io.Discard, r, r.left); err != nil {
			return Header{}, err
		}
	}
	h, err := readHeader(r.r, &r.buf)
	if err != nil {
		return h, err
	}
	switch {
	case r.role == Server && !h.Masked:
		return h, protocolError("unmasked %v frame from a client", h.Opcode)
	case r.role == Client && h.Masked:
		return h, protocolError("masked %v frame from a server", h.Opcode)
	case h.Opcode == OpContinuation && !r.inMessage:
		return h, protocolError("continuation frame outside a fragmented message")
	case (h.Opcode == OpText || h.Opcode == OpBinary) && r.inMessage:
		return h, protocolError("%v frame inside a fragmented message", h.Opcode)
	}
	if !h.Opcode.IsControl() {
		r.inMessage = !h.Fin
	}
	r.h, r.left = h, h.Length
	return h, nil
}

// Read reads the current frame's payload, unmasked. It returns io.EOF at
// the payload's end and io.ErrUnexpectedEOF when the input ends before.
func (r *Reader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.r.Read(p)
	if n > 0 && r.h.Masked {
		maskBytes(r.h.Key, r.h.Length-r.left, p[:n])
	}
	r.left -= int64(n)
	if err == io.EOF {
		if r.left > 0 {
			err = io.ErrUnexpectedEOF
		} else if n > 0 {
			err = nil
		}
	}
	return n, err
}

// Remaining returns the number of payload bytes of the current frame not
// read yet.
func (r *Reader) Remaining() int64 { return r.left }
