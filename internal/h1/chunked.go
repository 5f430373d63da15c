package h1

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// maxTrailerLines caps the trailer fields skipped after the last chunk.
const maxTrailerLines = 64

// maxChunkSize keeps chunk sizes far from overflow.
const maxChunkSize = 1 << 62

// chunkedReader decodes a chunked body from br. Once it has bytes for the
// caller it only consumes what is already buffered, so a read never waits
// for the daemon after data is in hand, and the body's end is reported
// with its last bytes whenever the terminating chunk arrived with them.
type chunkedReader struct {
	br       *bufio.Reader
	left     uint64 // bytes left in the current chunk
	needCRLF bool   // the CRLF after the current chunk's data is unread
	eof      bool   // the last chunk and the trailer are read
}

func (r *chunkedReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !r.eof {
		if r.left == 0 {
			if n > 0 && !r.headerBuffered() {
				break
			}
			if err := r.nextChunk(); err != nil {
				return n, err
			}
			continue
		}
		want := len(p) - n
		if uint64(want) > r.left {
			want = int(r.left)
		}
		if n > 0 {
			buffered := r.br.Buffered()
			if buffered == 0 {
				break
			}
			want = min(want, buffered)
		}
		k, err := r.br.Read(p[n : n+want])
		n += k
		r.left -= uint64(k)
		if r.left == 0 {
			r.needCRLF = true
		}
		if err != nil {
			return n, eofUnexpected(err)
		}
	}
	if r.eof {
		return n, io.EOF
	}
	return n, nil
}

// nextChunk reads the CRLF ending the previous chunk and the next size
// line; for the last chunk, the trailer too.
func (r *chunkedReader) nextChunk() error {
	if r.needCRLF {
		b, err := r.br.Peek(2)
		if err != nil {
			return eofUnexpected(err)
		}
		if b[0] != '\r' || b[1] != '\n' {
			return errors.New("h1: malformed chunked body: no CRLF after chunk data")
		}
		_, _ = r.br.Discard(2)
		r.needCRLF = false
	}
	line, err := r.readLine()
	if err != nil {
		return err
	}
	size, err := parseChunkSize(line)
	if err != nil {
		return err
	}
	if size > 0 {
		r.left = size
		return nil
	}
	for i := 0; ; i++ {
		line, err := r.readLine()
		if err != nil {
			return err
		}
		if len(line) == 0 {
			break
		}
		if i >= maxTrailerLines {
			return errors.New("h1: malformed chunked body: too many trailer lines")
		}
	}
	r.eof = true
	return nil
}

// readLine reads one line of chunk framing, without its line end.
func (r *chunkedReader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, errors.New("h1: malformed chunked body: line too long")
	}
	if err != nil {
		return nil, eofUnexpected(err)
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// headerBuffered reports whether the next chunk header (with the CRLF
// before it, and the end of the body after a last chunk) is all buffered,
// so nextChunk would not wait for the daemon.
func (r *chunkedReader) headerBuffered() bool {
	buf, _ := r.br.Peek(r.br.Buffered())
	if r.needCRLF {
		if len(buf) < 2 {
			return false
		}
		buf = buf[2:]
	}
	i := bytes.IndexByte(buf, '\n')
	if i < 0 {
		return false
	}
	size, err := parseChunkSize(bytes.TrimSuffix(buf[:i], []byte("\r")))
	if err != nil || size > 0 {
		return true // nextChunk reports the error, or reads a full header
	}
	rest := buf[i+1:]
	return bytes.HasPrefix(rest, []byte("\r\n")) || bytes.HasPrefix(rest, []byte("\n"))
}

// drainBuffered consumes the rest of the body if it is all buffered.
func (r *chunkedReader) drainBuffered() bool {
	for !r.eof {
		if r.left == 0 {
			if !r.headerBuffered() || r.nextChunk() != nil {
				return false
			}
			continue
		}
		buffered := r.br.Buffered()
		if buffered == 0 {
			return false
		}
		k := buffered
		if uint64(k) > r.left {
			k = int(r.left)
		}
		_, _ = r.br.Discard(k)
		r.left -= uint64(k)
		if r.left == 0 {
			r.needCRLF = true
		}
	}
	return true
}

// parseChunkSize reads a chunk size line (without its line end): hex
// digits, then optional whitespace and extensions, which are ignored.
func parseChunkSize(line []byte) (uint64, error) {
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 || len(line) > 16 {
		return 0, fmt.Errorf("h1: malformed chunk size %q", truncate(string(line)))
	}
	var n uint64
	for _, c := range line {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, fmt.Errorf("h1: malformed chunk size %q", truncate(string(line)))
		}
		n = n<<4 | uint64(d)
	}
	if n > maxChunkSize {
		return 0, fmt.Errorf("h1: chunk size %d too large", n)
	}
	return n, nil
}
