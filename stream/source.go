package stream

import (
	"errors"
	"io"
)

// maxEmptyReads is how many reads in a row may return no bytes and no error
// before a reader here gives up with io.ErrNoProgress.
const maxEmptyReads = 100

var errInvalidRead = errors.New("stream: source returned an invalid byte count from Read")

// source wraps the io.Reader a stream is read from.
type source struct{ r io.Reader }

// read is r.Read, except that it retries reads that return nothing (up to
// maxEmptyReads) and rejects counts outside [0, len(p)]. p must not be empty.
func (s source) read(p []byte) (int, error) {
	for range maxEmptyReads {
		n, err := s.r.Read(p)
		if n < 0 || n > len(p) {
			return 0, errInvalidRead
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
	return 0, io.ErrNoProgress
}
