package stream

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// demuxBufSize is the fixed buffer Demux reads through, whatever the frames.
const demuxBufSize = 32 << 10

// coalesceMax is the most Demux moves inside its buffer to join two pieces of
// payload of the same stream (moving the smaller one), so that runs of small
// frames go out in one Write. Two large pieces are written where they lie:
// moving either would cost more than the Write it saves.
const coalesceMax = 1 << 10

var errInvalidWrite = errors.New("stream: writer returned an invalid byte count from Write")

// Demux copies the payloads of the multiplexed stream src to stdout (frames
// of kind Stdout and Stdin) and stderr (kind Stderr) until src ends, and
// returns the number of payload bytes written. A nil writer discards its
// stream. Demux neither closes src nor the writers.
//
// A System frame ends the copy with a *SystemError carrying its text. A
// stream that ends inside a frame header or payload returns an error wrapping
// io.ErrUnexpectedEOF; an unknown stream id or a header whose reserved bytes
// are not zero returns an error naming its byte offset. In every case the
// payload bytes that arrived before the problem have been written. Errors
// from src (other than io.EOF) and from the writers are returned unchanged.
//
// Demux reads through one fixed 32 KiB buffer, so no input can make it
// allocate more (a frame announcing 4 GiB is copied piece by piece).
// Consecutive frames of one stream that are already in the buffer are
// written with a single Write, but Demux never waits for more input to do
// so: everything it has read is written before it reads again, which keeps
// followed logs and attached sessions prompt.
func Demux(stdout, stderr io.Writer, src io.Reader) (int64, error) {
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	d := demuxer{
		src: source{src},
		dst: [2]io.Writer{stdout, stderr},
		buf: make([]byte, demuxBufSize),
	}
	err := d.run()
	return d.written, err
}

// demuxer holds the state of one Demux call.
type demuxer struct {
	src     source
	dst     [2]io.Writer // stdout, stderr
	buf     []byte
	written int64

	// The pending Write: buf[runStart:runEnd] goes to dst[runDst].
	runStart, runEnd, runDst int
}

func (d *demuxer) run() error {
	var (
		n        int   // bytes held in buf
		off      int64 // stream offset of buf[0]
		kind     Kind  // kind of the frame whose payload is being copied
		remain   int64 // payload bytes of that frame not read yet
		frameOff int64 // stream offset of that frame's header
	)
	for {
		m, rerr := d.src.read(d.buf[n:])
		n += m
		r := 0
		for {
			if remain > 0 {
				take := n - r
				if int64(take) > remain {
					take = int(remain)
				}
				if take == 0 {
					break
				}
				if to := dstIndex(kind); to == d.runDst && take <= min(coalesceMax, d.runEnd-d.runStart) {
					// The common case, inline: join the pending Write.
					d.runEnd += copy(d.buf[d.runEnd:], d.buf[r:r+take])
				} else if err := d.add(to, r, r+take); err != nil {
					return err
				}
				r += take
				remain -= int64(take)
				continue
			}
			if n-r < headerLen {
				break
			}
			h := d.buf[r : r+headerLen]
			if h[0] > byte(System) || h[1]|h[2]|h[3] != 0 {
				if err := d.flush(); err != nil {
					return err
				}
				return headerError(h, off+int64(r))
			}
			kind, remain, frameOff = Kind(h[0]), int64(binary.BigEndian.Uint32(h[4:])), off+int64(r)
			r += headerLen
			if kind == System {
				if err := d.flush(); err != nil {
					return err
				}
				return systemError(d.src, d.buf, r, n, uint32(remain), frameOff)
			}
		}
		if err := d.flush(); err != nil {
			return err
		}
		n = copy(d.buf, d.buf[r:n]) // at most a partial header stays
		off += int64(r)
		if rerr == io.EOF {
			switch {
			case remain > 0:
				return cutPayload(kind, frameOff, remain)
			case n > 0:
				return cutHeader(off, n)
			}
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}

// dstIndex returns the index in demuxer.dst of the writer for kind k.
func dstIndex(k Kind) int {
	if k == Stderr {
		return 1
	}
	return 0
}

// add queues buf[i:j] for dst[to], joining it to the pending Write when it
// can.
func (d *demuxer) add(to, i, j int) error {
	if d.runEnd > d.runStart {
		if to == d.runDst {
			switch {
			case j-i <= min(coalesceMax, d.runEnd-d.runStart):
				// Move the piece back to the end of the run.
				d.runEnd += copy(d.buf[d.runEnd:], d.buf[i:j])
				return nil
			case d.runEnd-d.runStart <= coalesceMax:
				// Cheaper: move the run up to the start of the piece.
				n := copy(d.buf[i-(d.runEnd-d.runStart):i], d.buf[d.runStart:d.runEnd])
				d.runStart, d.runEnd = i-n, j
				return nil
			}
		}
		if err := d.flush(); err != nil {
			return err
		}
	}
	d.runStart, d.runEnd, d.runDst = i, j, to
	return nil
}

// flush writes the pending Write, if any.
func (d *demuxer) flush() error {
	if d.runEnd == d.runStart {
		return nil
	}
	p := d.buf[d.runStart:d.runEnd]
	d.runStart, d.runEnd = 0, 0
	n, err := d.dst[d.runDst].Write(p)
	if n < 0 || n > len(p) {
		n = 0
		if err == nil {
			err = errInvalidWrite
		}
	}
	d.written += int64(n)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	return err
}

// systemError reads the payload of a System frame of the given size, whose
// first bytes are buf[r:n], and returns it as a *SystemError. buf is reused
// to read the rest.
func systemError(src source, buf []byte, r, n int, size uint32, frameOff int64) error {
	want := min(int64(size), maxSystemMessage)
	msg := make([]byte, 0, want)
	msg = append(msg, buf[r:r+int(min(int64(n-r), want))]...)
	for int64(len(msg)) < want {
		m, err := src.read(buf[:min(int64(len(buf)), want-int64(len(msg)))])
		msg = append(msg, buf[:m]...)
		if err == io.EOF && int64(len(msg)) < want {
			return cutPayload(System, frameOff, want-int64(len(msg)))
		}
		if err != nil && int64(len(msg)) < want {
			return err
		}
	}
	return &SystemError{Message: string(msg)}
}

// cutPayload is the error for a stream that ends missing bytes of a payload.
func cutPayload(k Kind, frameOff, missing int64) error {
	return fmt.Errorf("stream: %s frame at offset %d cut short, %d payload bytes missing: %w", k, frameOff, missing, io.ErrUnexpectedEOF)
}

// cutHeader is the error for a stream that ends inside a frame header.
func cutHeader(off int64, got int) error {
	return fmt.Errorf("stream: frame header at offset %d cut short after %d of %d bytes: %w", off, got, headerLen, io.ErrUnexpectedEOF)
}
