package stream

import (
	"io"
	"iter"
)

// framesBufSize is the fixed buffer of Frames: payloads up to this size are
// yielded whole.
const framesBufSize = 64 << 10

// Frames returns an iterator over the frames of the multiplexed stream src,
// read as the loop asks for them. Each Frame has the Kind of its header
// (Stdin, Stdout or Stderr) and its Data is only valid during its iteration
// step.
//
// Frames reads through one fixed 64 KiB buffer. A payload of up to 64 KiB is
// yielded as one Frame; a larger one is yielded as consecutive Frames of the
// same Kind, each at most 64 KiB, whose Data add up to the payload. (The
// Engine's own frames are smaller than that.) Zero-length frames are yielded
// with empty Data.
//
// The sequence ends without error when src ends between frames. Otherwise it
// ends with one error, after every byte that arrived before it has been
// yielded: a *SystemError for a System frame, an error wrapping
// io.ErrUnexpectedEOF when src ends inside a frame, an error naming the
// offset of a malformed header, or the error src returned. Frames does not
// close src; breaking out of the loop leaves src where reading stopped.
func Frames(src io.Reader) iter.Seq2[Frame, error] {
	return func(yield func(Frame, error) bool) {
		f := frameReader{src: source{src}, buf: make([]byte, framesBufSize)}
		for {
			fr, err := f.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(Frame{}, err)
				return
			}
			if !yield(fr, nil) {
				return
			}
		}
	}
}

// frameReader is the state of one Frames iteration.
type frameReader struct {
	src  source
	buf  []byte
	r, n int   // unread bytes are buf[r:n]
	off  int64 // stream offset of buf[0]
	err  error // the error src returned, once it has

	// The frame being yielded in pieces.
	kind     Kind
	remain   int64 // payload bytes not yielded yet
	frameOff int64
}

// next returns the next frame or piece of a frame, or io.EOF at a clean end.
func (f *frameReader) next() (Frame, error) {
	if f.remain > 0 {
		return f.piece()
	}
	if err := f.fill(headerLen); err != nil {
		if err == io.EOF && f.n > f.r {
			return Frame{}, cutHeader(f.off+int64(f.r), f.n-f.r)
		}
		return Frame{}, err
	}
	hoff := f.off + int64(f.r)
	k, size, err := parseHeader(f.buf[f.r:f.r+headerLen], hoff)
	if err != nil {
		return Frame{}, err
	}
	f.r += headerLen
	if k == System {
		return Frame{}, systemError(f.src, f.buf, f.r, f.n, size, hoff)
	}
	f.kind, f.remain, f.frameOff = k, int64(size), hoff
	if int64(size) <= int64(len(f.buf)) && f.fill(int(size)) == nil {
		data := f.buf[f.r : f.r+int(size)]
		f.r += int(size)
		f.remain = 0
		return Frame{Kind: k, Data: data}, nil
	}
	// Too big for the buffer, or src ended or failed first: yield what
	// there is, piece by piece.
	return f.piece()
}

// piece yields the next buffered part of the current frame's payload,
// reading first if nothing is buffered.
func (f *frameReader) piece() (Frame, error) {
	if f.r == f.n {
		f.off += int64(f.n)
		f.r, f.n = 0, 0
		if err := f.fill(1); err != nil {
			if err == io.EOF {
				return Frame{}, cutPayload(f.kind, f.frameOff, f.remain)
			}
			return Frame{}, err
		}
	}
	take := f.n - f.r
	if int64(take) > f.remain {
		take = int(f.remain)
	}
	data := f.buf[f.r : f.r+take]
	f.r += take
	f.remain -= int64(take)
	return Frame{Kind: f.kind, Data: data}, nil
}

// fill reads until at least need (at most len(buf)) bytes are buffered,
// moving the unread bytes to the front of buf when the rest would not fit.
// It returns the error src returned if it ends first.
func (f *frameReader) fill(need int) error {
	if f.n-f.r >= need {
		return nil
	}
	if f.r+need > len(f.buf) {
		f.n = copy(f.buf, f.buf[f.r:f.n])
		f.off += int64(f.r)
		f.r = 0
	}
	for f.n-f.r < need {
		if f.err != nil {
			return f.err
		}
		m, err := f.src.read(f.buf[f.n:])
		f.n += m
		f.err = err
	}
	return nil
}
