package stream

import (
	"io"
	"mime"
	"strings"
	"sync"
)

// IsMultiplexed reports whether container output is in the multiplexed
// format. The response's Content-Type decides when it is one of the two
// media types the Engine uses (MultiplexedContentType or RawContentType,
// parameters such as charset ignored); otherwise, as with Engines older than
// API 1.42 that do not set it, the output is multiplexed unless the container
// has a TTY.
func IsMultiplexed(contentType string, tty bool) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType, _, _ = strings.Cut(contentType, ";")
	}
	switch strings.ToLower(strings.TrimSpace(mediaType)) {
	case MultiplexedContentType:
		return true
	case RawContentType:
		return false
	}
	return !tty
}

// Reader is container output (the body of a logs or attach response) that
// knows whether it is multiplexed. Read returns the bytes as they came from
// the Engine; Demux splits them into stdout and stderr.
//
// The framing is what the caller said when making the Reader (see
// IsMultiplexed); it is never guessed from the bytes.
//
// A Reader is not safe for concurrent use, except that Close may be called
// while a Read or Demux is blocked to abort it (if the body supports that, as
// HTTP response bodies do). The caller must Close it.
type Reader struct {
	body        io.ReadCloser
	multiplexed bool

	closeOnce sync.Once
	closeErr  error
}

// NewReader returns a Reader over body, multiplexed or raw as told. The
// Reader owns body: closing the Reader closes it.
func NewReader(body io.ReadCloser, multiplexed bool) *Reader {
	return &Reader{body: body, multiplexed: multiplexed}
}

// Multiplexed reports whether the output is in the multiplexed format (false:
// the raw bytes of a TTY).
func (r *Reader) Multiplexed() bool { return r.multiplexed }

// Read reads the bytes as they came from the Engine: frames with their
// headers when Multiplexed, raw bytes otherwise.
func (r *Reader) Read(p []byte) (int, error) { return r.body.Read(p) }

// Close closes the body. It is safe to call more than once; later calls
// return what the first returned.
func (r *Reader) Close() error {
	r.closeOnce.Do(func() { r.closeErr = r.body.Close() })
	return r.closeErr
}

// Demux copies the rest of the output to stdout and stderr until it ends,
// and returns the number of payload bytes written. Multiplexed output is
// split as by the package-level Demux (with its errors); raw output goes to
// stdout as it is. A nil writer discards its stream. Demux does not close
// the Reader.
//
// Mixing Read and Demux on multiplexed output only works if Read stopped at
// a frame boundary.
func (r *Reader) Demux(stdout, stderr io.Writer) (int64, error) {
	if r.multiplexed {
		return Demux(stdout, stderr, r.body)
	}
	return copyRaw(stdout, r.body)
}

// copyRaw copies raw (TTY) output to stdout, or discards it when stdout is
// nil.
func copyRaw(stdout io.Writer, src io.Reader) (int64, error) {
	if stdout == nil {
		stdout = io.Discard
	}
	return io.Copy(stdout, src)
}
