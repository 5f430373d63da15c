package stream

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// Kind is the stream a frame of a multiplexed stream belongs to: byte 0 of
// the frame header.
type Kind byte

// The stream kinds of the multiplexed format. The Engine sends Stdout,
// Stderr and System; Stdin appears in the format but is treated as Stdout
// when read, as the Engine documents.
const (
	Stdin  Kind = 0
	Stdout Kind = 1
	Stderr Kind = 2
	// System frames carry an error message from the Engine itself; readers
	// in this package turn one into a *SystemError.
	System Kind = 3
)

// String returns the lower-case name of k ("stdout"), or "kind(N)" for a
// value outside the format.
func (k Kind) String() string {
	switch k {
	case Stdin:
		return "stdin"
	case Stdout:
		return "stdout"
	case Stderr:
		return "stderr"
	case System:
		return "system"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// The media types the Engine sets on container output and hijacked sessions
// (API 1.42 and later): multiplexed frames, or the raw bytes of a TTY.
const (
	MultiplexedContentType = "application/vnd.docker.multiplexed-stream"
	RawContentType         = "application/vnd.docker.raw-stream"
)

// Frame is one frame of a multiplexed stream, as yielded by [Frames].
// Data is only valid until the iteration continues: copy it to keep it.
type Frame struct {
	Kind Kind
	Data []byte
}

// headerLen is the size of a frame header.
const headerLen = 8

// maxPayload is the largest payload one frame can announce.
const maxPayload = 1<<32 - 1

// SystemError is the error message the Engine sent in a System frame,
// returned by [Demux] and [Frames] when they meet one. The stream ends there.
type SystemError struct {
	// Message is the frame's text, cut to the first 64 KiB.
	Message string
}

// Error implements error.
func (e *SystemError) Error() string {
	return "stream: engine error: " + e.Message
}

// maxSystemMessage bounds how much of a System frame is kept.
const maxSystemMessage = 64 << 10

// parseHeader checks the frame header h, found at byte offset off of the
// stream, and returns its kind and payload length.
//
// The format has bytes 1 to 3 of a header always zero. Readers here are
// strict about it: a header with other bytes there is an error rather than
// a frame, which also catches a raw (TTY) stream read as multiplexed before
// it turns into garbage output.
func parseHeader(h []byte, off int64) (Kind, uint32, error) {
	if h[0] > byte(System) || h[1]|h[2]|h[3] != 0 {
		return 0, 0, headerError(h, off)
	}
	return Kind(h[0]), binary.BigEndian.Uint32(h[4:8]), nil
}

// headerError describes what is wrong with the header h at offset off.
func headerError(h []byte, off int64) error {
	if h[0] > byte(System) {
		return fmt.Errorf("stream: unknown stream id %d in frame header at offset %d", h[0], off)
	}
	return fmt.Errorf("stream: malformed frame header at offset %d: bytes 1-3 are % x, want zero (is the stream really multiplexed?)", off, h[1:4])
}

// putHeader writes the header of a frame of kind k with an n-byte payload
// into h.
func putHeader(h []byte, k Kind, n uint32) {
	h[0], h[1], h[2], h[3] = byte(k), 0, 0, 0
	binary.BigEndian.PutUint32(h[4:8], n)
}
