package websocket

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Opcode is a frame's type: the low four bits of its first byte.
type Opcode byte

// The opcodes RFC 6455 defines; the others are reserved.
const (
	OpContinuation Opcode = 0x0
	OpText         Opcode = 0x1
	OpBinary       Opcode = 0x2
	OpClose        Opcode = 0x8
	OpPing         Opcode = 0x9
	OpPong         Opcode = 0xA
)

// IsControl reports whether frames of o are control frames (close, ping,
// pong and the reserved 0xB-0xF).
func (o Opcode) IsControl() bool { return o&0x8 != 0 }

// known reports whether o is an opcode RFC 6455 defines.
func (o Opcode) known() bool {
	switch o {
	case OpContinuation, OpText, OpBinary, OpClose, OpPing, OpPong:
		return true
	}
	return false
}

func (o Opcode) String() string {
	switch o {
	case OpContinuation:
		return "continuation"
	case OpText:
		return "text"
	case OpBinary:
		return "binary"
	case OpClose:
		return "close"
	case OpPing:
		return "ping"
	case OpPong:
		return "pong"
	}
	return fmt.Sprintf("opcode %#x", byte(o))
}

const (
	// MaxHeaderLen is the length of the longest frame header: two bytes,
	// eight of extended payload length and four of masking key.
	MaxHeaderLen = 14

	// MaxControlPayload is the most payload a control frame may carry.
	MaxControlPayload = 125
)

// The bits of a header's first two bytes.
const (
	finBit     = 0x80
	rsvBits    = 0x70
	opcodeBits = 0x0f
	maskBit    = 0x80
	lenBits    = 0x7f
)

// ErrProtocol is what every violation of RFC 6455 by the peer wraps.
var ErrProtocol = errors.New("websocket: protocol error")

// protocolError returns an error wrapping ErrProtocol.
func protocolError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrProtocol, fmt.Sprintf(format, args...))
}

// Header is a frame's header.
type Header struct {
	Fin    bool    // the last frame of its message
	Rsv    byte    // the RSV1-3 bits, in place (0x70); zero unless an extension says otherwise
	Opcode Opcode  // the frame's type
	Masked bool    // the payload is masked with Key (every frame a client sends)
	Key    [4]byte // the masking key, when Masked
	Length int64   // the payload's length in bytes
}

// ReadHeader reads one frame header from r and checks what RFC 6455 says of
// a header alone: no reserved bits (no extension is ever negotiated), a
// known opcode, control frames unfragmented and at most 125 bytes, and the
// length in its shortest encoding with the top bit of a 64-bit length clear.
// Whether the frame is masked is the reader's business (see Reader).
//
// It returns io.EOF when r ends before the header's first byte, and
// io.ErrUnexpectedEOF when it ends inside the header.
func ReadHeader(r io.Reader) (Header, error) {
	var buf [MaxHeaderLen]byte
	return readHeader(r, &buf)
}

// readHeader is ReadHeader with the caller's buffer.
func readHeader(r io.Reader, buf *[MaxHeaderLen]byte) (Header, error) {
	if _, err := io.ReadFull(r, buf[:2]); err != nil {
		return Header{}, err
	}
	h := Header{
		Fin:    buf[0]&finBit != 0,
		Rsv:    buf[0] & rsvBits,
		Opcode: Opcode(buf[0] & opcodeBits),
		Masked: buf[1]&maskBit != 0,
		Length: int64(buf[1] & lenBits),
	}
	if h.Rsv != 0 {
		return h, protocolError("reserved bits %#x set without an extension", h.Rsv)
	}
	if !h.Opcode.known() {
		return h, protocolError("unknown %v", h.Opcode)
	}
	if h.Opcode.IsControl() {
		if !h.Fin {
			return h, protocolError("fragmented %v frame", h.Opcode)
		}
		if h.Length > MaxControlPayload {
			return h, protocolError("%v frame of more than %d bytes", h.Opcode, MaxControlPayload)
		}
	}
	switch h.Length {
	case 126:
		if _, err := io.ReadFull(r, buf[2:4]); err != nil {
			return h, unexpected(err)
		}
		h.Length = int64(binary.BigEndian.Uint16(buf[2:4]))
		if h.Length < 126 {
			return h, protocolError("length %d in 16 bits", h.Length)
		}
	case 127:
		if _, err := io.ReadFull(r, buf[2:10]); err != nil {
			return h, unexpected(err)
		}
		n := binary.BigEndian.Uint64(buf[2:10])
		if n > math.MaxInt64 {
			return h, protocolError("64-bit length with its top bit set")
		}
		h.Length = int64(n)
		if h.Length <= math.MaxUint16 {
			return h, protocolError("length %d in 64 bits", h.Length)
		}
	}
	if h.Masked {
		if _, err := io.ReadFull(r, h.Key[:]); err != nil {
			return h, unexpected(err)
		}
	}
	return h, nil
}

// unexpected turns the end of the input inside a frame into
// io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// AppendHeader appends h in its wire form (the shortest length encoding) to
// b and returns the extended slice. It does not check h: Writer does.
func AppendHeader(b []byte, h Header) []byte {
	b0 := byte(h.Opcode)&opcodeBits | h.Rsv&rsvBits
	if h.Fin {
		b0 |= finBit
	}
	var b1 byte
	if h.Masked {
		b1 = maskBit
	}
	switch {
	case h.Length <= MaxControlPayload:
		b = append(b, b0, b1|byte(h.Length))
	case h.Length <= math.MaxUint16:
		b = append(b, b0, b1|126)
		b = binary.BigEndian.AppendUint16(b, uint16(h.Length))
	default:
		b = append(b, b0, b1|127)
		b = binary.BigEndian.AppendUint64(b, uint64(h.Length))
	}
	if h.Masked {
		b = append(b, h.Key[:]...)
	}
	return b
}

// maskBytes XORs b with key, as the payload bytes starting at offset pos of
// a frame masked with key. Masking and unmasking are the same operation.
func maskBytes(key [4]byte, pos int64, b []byte) {
	// Rotate the key so that k[0] applies to b[0].
	var k [4]byte
	for i := range k {
		k[i] = key[(pos+int64(i))%4]
	}
	i := 0
	if len(b) >= 8 {
		k32 := binary.LittleEndian.Uint32(k[:])
		k64 := uint64(k32) | uint64(k32)<<32
		for ; i+8 <= len(b); i += 8 {
			v := binary.LittleEndian.Uint64(b[i:])
			binary.LittleEndian.PutUint64(b[i:], v^k64)
		}
	}
	for ; i < len(b); i++ {
		b[i] ^= k[i%4]
	}
}
