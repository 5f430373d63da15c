package h1

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// nopConn is a net.Conn that only counts Close, for parsing tests.
type nopConn struct{ net.Conn }

func (nopConn) Close() error                     { return nil }
func (nopConn) SetDeadline(time.Time) error      { return nil }
func (nopConn) SetReadDeadline(time.Time) error  { return nil }
func (nopConn) SetWriteDeadline(time.Time) error { return nil }

// FuzzReadResponse feeds arbitrary bytes to the response parser and reads
// the body they frame: no panic, no hang, never more body than input.
func FuzzReadResponse(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n3;x=y\r\nabc\r\n0\r\nTrailer: 1\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\nuntil close",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nApi-Version: 1.41\r\n\r\n",
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: tcp\r\n\r\nraw",
		"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 12\r\n\r\n{\"message\":1}",
		"HTTP/1.1 200 OK\nContent-Length: 1\n\nx",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, head bool) {
		c := &conn{t: &Transport{}, nc: nopConn{}, br: bufio.NewReaderSize(bytes.NewReader(data), 16)}
		method := http.MethodGet
		if head {
			method = http.MethodHead
		}
		req, _ := http.NewRequest(method, "http://docker/_ping", nil)
		resp, fr, err := c.readResponse(req)
		if err != nil {
			return
		}
		if resp.StatusCode < 100 || resp.StatusCode > 999 || resp.Header == nil {
			t.Fatalf("accepted status %d, header %v", resp.StatusCode, resp.Header)
		}
		if resp.StatusCode == http.StatusSwitchingProtocols {
			return
		}
		body := c.newBody(context.Background(), req, resp, fr, nil, nil)
		n, _ := io.Copy(io.Discard, body)
		body.Close()
		if n > int64(len(data)) {
			t.Fatalf("read %d body bytes from %d bytes of input", n, len(data))
		}
		if fr == bodyFixed && err == nil && n > resp.ContentLength {
			t.Fatalf("read %d bytes of a %d-byte body", n, resp.ContentLength)
		}
	})
}

// FuzzChunked checks the chunked decoder against a simple reference: for
// any input it either fails or yields exactly what the reference yields.
func FuzzChunked(f *testing.F) {
	f.Add([]byte("3\r\nabc\r\n0\r\n\r\n"))
	f.Add([]byte("A;ext\r\n0123456789\r\n1\r\nx\r\n0\r\nX-T: 1\r\n\r\n"))
	f.Add([]byte("0\r\n\r\n"))
	f.Add([]byte("ffffffff\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &chunkedReader{br: bufio.NewReaderSize(bytes.NewReader(data), 16)}
		got, err := io.ReadAll(r)
		want, ok := referenceChunked(data)
		if err == nil && !ok {
			t.Fatalf("decoded %q, the reference refuses it", got)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("decoded %q, the reference says %q", got, want)
		}
		if len(got) > len(data) {
			t.Fatalf("%d bytes out of %d in", len(got), len(data))
		}
	})
}

// referenceChunked decodes a whole chunked body the slow, obvious way.
func referenceChunked(data []byte) ([]byte, bool) {
	var out []byte
	for {
		line, rest, ok := bytes.Cut(data, []byte("\n"))
		if !ok {
			return nil, false
		}
		data = rest
		line = bytes.TrimSuffix(line, []byte("\r"))
		size, err := parseChunkSize(line)
		if err != nil {
			return nil, false
		}
		if size == 0 {
			for {
				l, rest, ok := bytes.Cut(data, []byte("\n"))
				if !ok {
					return nil, false
				}
				data = rest
				if len(bytes.TrimSuffix(l, []byte("\r"))) == 0 {
					return out, true
				}
			}
		}
		if uint64(len(data)) < size+2 || data[size] != '\r' || data[size+1] != '\n' {
			return nil, false
		}
		out = append(out, data[:size]...)
		data = data[size+2:]
	}
}

// TestChunkedDoesNotWait: with data in hand, a Read returns it instead of
// waiting for the next chunk (followed logs stay prompt), and the end of
// the body comes with the last bytes when it arrived with them.
func TestChunkedDoesNotWait(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	defer pr.Close()
	go pw.Write([]byte("5\r\nhello\r\n3\r\nab")) // then nothing more for now
	r := &chunkedReader{br: bufio.NewReader(pr)}
	buf := make([]byte, 100)
	done := make(chan struct{})
	var n int
	var err error
	go func() {
		defer close(done)
		n, err = r.Read(buf)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Read waited for more input although it had bytes")
	}
	if got := string(buf[:n]); err != nil || (got != "hello" && got != "helloab") {
		t.Fatalf("Read = %q, %v", got, err)
	}

	whole := &chunkedReader{br: bufio.NewReader(bytes.NewReader([]byte("5\r\nhello\r\n0\r\n\r\n")))}
	n, err = whole.Read(buf)
	if string(buf[:n]) != "hello" || err != io.EOF {
		t.Errorf("Read = %q, %v; want the bytes with io.EOF", buf[:n], err)
	}
}
