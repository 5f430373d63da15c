package h1

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// checkRequest refuses what cannot be written as a well-formed HTTP/1.1
// request: a bad method, header names that are not tokens, and control
// characters (CR and LF above all) in the target, Host or header values,
// which would let a caller's string smuggle in headers or requests.
func checkRequest(req *http.Request) error {
	if req.URL == nil {
		return errors.New("h1: request has no URL")
	}
	if !isToken(req.Method) && req.Method != "" {
		return fmt.Errorf("h1: invalid method %q", req.Method)
	}
	if !isFieldValue(requestHost(req)) || hasSpaceOrCTL(req.URL.EscapedPath()) || hasSpaceOrCTL(req.URL.RawQuery) {
		return errors.New("h1: invalid character in the request target or Host")
	}
	for k, vs := range req.Header {
		if !isToken(k) {
			return fmt.Errorf("h1: invalid header name %q", k)
		}
		for _, v := range vs {
			if !isFieldValue(v) {
				return fmt.Errorf("h1: invalid value for header %s", k)
			}
		}
	}
	if req.ContentLength < 0 {
		return fmt.Errorf("h1: negative ContentLength %d", req.ContentLength)
	}
	return nil
}

func requestHost(req *http.Request) string {
	if req.Host != "" {
		return req.Host
	}
	return req.URL.Host
}

// writeRequest writes req's head and body and flushes. It closes body.
func (c *conn) writeRequest(req *http.Request, body io.ReadCloser) error {
	defer closeBody(body)
	bw := c.bw
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	bw.WriteString(method)
	bw.WriteByte(' ')
	if p := req.URL.EscapedPath(); p != "" {
		bw.WriteString(p)
	} else {
		bw.WriteByte('/')
	}
	if req.URL.RawQuery != "" {
		bw.WriteByte('?')
		bw.WriteString(req.URL.RawQuery)
	}
	bw.WriteString(" HTTP/1.1\r\nHost: ")
	bw.WriteString(requestHost(req))
	bw.WriteString("\r\n")
	for k, vs := range req.Header {
		switch k {
		case "Host", "Content-Length", "Transfer-Encoding":
			continue // framing is this package's job
		}
		for _, v := range vs {
			bw.WriteString(k)
			bw.WriteString(": ")
			bw.WriteString(v)
			bw.WriteString("\r\n")
		}
	}
	if req.Close {
		bw.WriteString("Connection: close\r\n")
	}
	chunked := false
	switch {
	case body == nil:
		if method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
			bw.WriteString("Content-Length: 0\r\n")
		}
	case req.ContentLength > 0:
		bw.WriteString("Content-Length: ")
		var num [20]byte
		bw.Write(strconv.AppendInt(num[:0], req.ContentLength, 10))
		bw.WriteString("\r\n")
	default:
		chunked = true
		bw.WriteString("Transfer-Encoding: chunked\r\n")
	}
	bw.WriteString("\r\n")
	switch {
	case body == nil:
	case chunked:
		if err := writeChunked(bw, body); err != nil {
			return err
		}
	default:
		src := &sourceReader{r: io.LimitReader(body, req.ContentLength)}
		n, err := io.Copy(bw, src)
		if src.err != nil {
			return &bodyReadError{src.err}
		}
		if err != nil {
			return err
		}
		if n != req.ContentLength {
			return fmt.Errorf("h1: request body has %d bytes, ContentLength says %d", n, req.ContentLength)
		}
	}
	return bw.Flush()
}

// writeChunked copies body to w in chunked transfer coding, one chunk per
// read, and ends it.
func writeChunked(w io.Writer, body io.Reader) error {
	buf := make([]byte, 32<<10)
	var size [20]byte
	for {
		n, rerr := body.Read(buf)
		if n > 0 {
			hdr := append(strconv.AppendInt(size[:0], int64(n), 16), '\r', '\n')
			if _, err := w.Write(hdr); err != nil {
				return err
			}
			if _, err := w.Write(buf[:n]); err != nil {
				return err
			}
			if _, err := io.WriteString(w, "\r\n"); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			_, err := io.WriteString(w, "0\r\n\r\n")
			return err
		}
		if rerr != nil {
			return &bodyReadError{rerr}
		}
	}
}

// bodyReadError is a failure to read the request body from its source (not
// to write to the connection): the daemon is still waiting for the rest.
type bodyReadError struct{ err error }

func (e *bodyReadError) Error() string { return "h1: reading the request body: " + e.err.Error() }
func (e *bodyReadError) Unwrap() error { return e.err }

// sourceReader remembers the error of the reader it wraps, to tell it from
// errors writing to the connection.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// isToken reports whether s is a non-empty RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenChar(s[i]) {
			return false
		}
	}
	return true
}

func tokenChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	switch b {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// isFieldValue reports whether s holds no control characters but tab.
func isFieldValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return false
		}
	}
	return true
}

func hasSpaceOrCTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b <= ' ' || b == 0x7f {
			return true
		}
	}
	return false
}
