package h1

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// maxHeadBytes caps a response head: status line and header lines.
const maxHeadBytes = 1 << 20

// maxInterim caps the 1xx responses skipped before the final one.
const maxInterim = 8

// errNoResponse means the connection ended before any byte of a response.
var errNoResponse = errors.New("h1: connection closed before any response")

// How a response body is delimited.
type framing uint8

const (
	bodyNone       framing = iota // HEAD, 1xx, 204, 304, Content-Length: 0
	bodyFixed                     // Content-Length
	bodyChunked                   // Transfer-Encoding: chunked
	bodyUntilClose                // until the connection closes
)

// readResponse reads the next final response head for req, skipping
// interim 1xx answers other than 101. The body is framed but not read.
func (c *conn) readResponse(req *http.Request) (*http.Response, framing, error) {
	first := true
	for range maxInterim {
		resp, fr, err := readHead(c.br, &c.head, first)
		if err != nil {
			return nil, 0, err
		}
		first = false
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			if req.Method == http.MethodHead {
				fr, resp.ContentLength = bodyNone, headContentLength(resp)
			}
			if fr == bodyNone && resp.ContentLength < 0 {
				resp.ContentLength = 0
			}
			return resp, fr, nil
		}
	}
	return nil, 0, fmt.Errorf("h1: more than %d interim responses", maxInterim)
}

func headContentLength(resp *http.Response) int64 {
	if n, err := parseContentLength(resp.Header["Content-Length"]); err == nil {
		return n
	}
	return -1
}

// readHead reads one response head. scratch is reused between calls for
// the raw lines; the header strings are cut from one string copied out of
// it, so a head costs a handful of allocations whatever its size.
func readHead(br *bufio.Reader, scratch *[]byte, first bool) (*http.Response, framing, error) {
	buf := (*scratch)[:0]
	defer func() { *scratch = buf[:0] }()

	line, err := readLine(br, &buf, maxHeadBytes)
	if err != nil {
		if first && len(line) == 0 && (errors.Is(err, io.EOF) || isReset(err)) {
			return nil, 0, fmt.Errorf("%w: %v", errNoResponse, err)
		}
		return nil, 0, fmt.Errorf("h1: reading the status line: %w", eofUnexpected(err))
	}
	statusEnd := len(buf)
	count := 0
	for {
		start := len(buf)
		l, err := readLine(br, &buf, maxHeadBytes-start)
		if err != nil {
			return nil, 0, fmt.Errorf("h1: reading the response header: %w", eofUnexpected(err))
		}
		if len(l) == 0 {
			buf = buf[:start]
			break
		}
		if l[0] == ' ' || l[0] == '\t' {
			return nil, 0, errors.New("h1: malformed response header: obsolete line folding")
		}
		buf = append(buf, '\n')
		count++
	}

	head := string(buf) // the one copy every string below is cut from
	resp := &http.Response{Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	if err := parseStatusLine(head[:statusEnd], resp); err != nil {
		return nil, 0, err
	}
	h := make(http.Header, count)
	values := make([]string, count)
	rest := head[statusEnd:]
	for i := 0; rest != ""; i++ {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		k, v, ok := strings.Cut(l, ":")
		if !ok || !isToken(k) {
			return nil, 0, fmt.Errorf("h1: malformed response header line %q", truncate(l))
		}
		k = textproto.CanonicalMIMEHeaderKey(k) // no copy when already canonical
		v = strings.Trim(v, " \t")
		if old, dup := h[k]; dup {
			h[k] = append(old, v)
			continue
		}
		values[i] = v
		h[k] = values[i : i+1 : i+1]
	}
	resp.Header = h
	fr, err := frame(resp)
	if err != nil {
		return nil, 0, err
	}
	return resp, fr, nil
}

// parseStatusLine reads "HTTP/1.x 200 OK" into resp.
func parseStatusLine(line string, resp *http.Response) error {
	proto, status, ok := strings.Cut(line, " ")
	if !ok {
		return fmt.Errorf("h1: malformed status line %q", truncate(line))
	}
	switch proto {
	case "HTTP/1.1":
	case "HTTP/1.0":
		resp.Proto, resp.ProtoMinor = proto, 0
	default:
		return fmt.Errorf("h1: unsupported protocol in status line %q", truncate(line))
	}
	code, _, _ := strings.Cut(status, " ")
	if len(code) != 3 {
		return fmt.Errorf("h1: malformed status code in %q", truncate(line))
	}
	n := 0
	for i := 0; i < 3; i++ {
		d := code[i]
		if d < '0' || d > '9' {
			return fmt.Errorf("h1: malformed status code in %q", truncate(line))
		}
		n = n*10 + int(d-'0')
	}
	if n < 100 {
		return fmt.Errorf("h1: malformed status code in %q", truncate(line))
	}
	resp.StatusCode, resp.Status = n, status
	return nil
}

// frame decides how resp's body is delimited and whether the connection
// stays open after it (resp.Close).
func frame(resp *http.Response) (framing, error) {
	resp.Close = resp.ProtoMinor == 0 && !hasToken(resp.Header["Connection"], "keep-alive") ||
		hasToken(resp.Header["Connection"], "close")
	resp.ContentLength = -1
	code := resp.StatusCode
	if code < 200 || code == http.StatusNoContent || code == http.StatusNotModified {
		return bodyNone, nil
	}
	if te := resp.Header["Transfer-Encoding"]; len(te) > 0 {
		if len(te) != 1 || !strings.EqualFold(strings.TrimSpace(te[0]), "chunked") {
			return 0, fmt.Errorf("h1: unsupported Transfer-Encoding %q", strings.Join(te, ", "))
		}
		delete(resp.Header, "Content-Length") // chunked wins (RFC 9112 6.3)
		return bodyChunked, nil
	}
	if cl := resp.Header["Content-Length"]; len(cl) > 0 {
		n, err := parseContentLength(cl)
		if err != nil {
			return 0, err
		}
		resp.ContentLength = n
		if n == 0 {
			return bodyNone, nil
		}
		return bodyFixed, nil
	}
	resp.Close = true
	return bodyUntilClose, nil
}

// parseContentLength accepts repeated values only when they agree.
func parseContentLength(vs []string) (int64, error) {
	if len(vs) == 0 {
		return -1, errors.New("h1: no Content-Length")
	}
	first := strings.TrimSpace(vs[0])
	for _, v := range vs[1:] {
		if strings.TrimSpace(v) != first {
			return 0, fmt.Errorf("h1: conflicting Content-Length values %q", vs)
		}
	}
	if first == "" || len(first) > 18 || strings.TrimLeft(first, "0123456789") != "" {
		return 0, fmt.Errorf("h1: invalid Content-Length %q", truncate(first))
	}
	n, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("h1: invalid Content-Length %q", truncate(first))
	}
	return n, nil
}

func hasToken(vs []string, token string) bool {
	for _, v := range vs {
		for v != "" {
			var t string
			t, v, _ = strings.Cut(v, ",")
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// readLine reads one line ending in LF into *buf (appending, without the
// line end) and returns it. A line longer than limit is an error; a lone
// CR is kept, a CR before the LF is dropped.
func readLine(br *bufio.Reader, buf *[]byte, limit int) ([]byte, error) {
	start := len(*buf)
	for {
		frag, err := br.ReadSlice('\n')
		if len(*buf)-start+len(frag) > limit {
			return nil, errors.New("h1: response head too large")
		}
		*buf = append(*buf, frag...)
		if err == nil {
			break
		}
		if err != bufio.ErrBufferFull {
			return (*buf)[start:], err
		}
	}
	line := (*buf)[start : len(*buf)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	*buf = (*buf)[:start+len(line)]
	if bytes.IndexByte(line, '\r') >= 0 || bytes.IndexByte(line, 0) >= 0 {
		return nil, errors.New("h1: malformed response head: stray CR or NUL")
	}
	return line, nil
}

func eofUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
