package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxErrorBody caps how much of an error response is read: a proxy in front of
// the daemon may answer with a large HTML page, and an error must never make
// the client read an unbounded body.
const MaxErrorBody = 64 << 10

// prefixLen is how much of an unexpected body an error quotes.
const prefixLen = 120

// ErrorMessage reads at most MaxErrorBody bytes of an error response body and
// returns the message in it: the "message" field of a JSON object, or the
// trimmed text itself when the body is not JSON (shortened to a prefix).
func ErrorMessage(body io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(body, MaxErrorBody))
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	if b[0] == '{' {
		var m struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(b, &m) == nil && m.Message != "" {
			return m.Message
		}
	}
	return Prefix(b)
}

// Prefix returns a short, printable, quoted-safe prefix of b for error messages.
func Prefix(b []byte) string {
	s := string(b)
	if len(s) > prefixLen {
		s = s[:prefixLen]
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
		s += "..."
	}
	return strings.ToValidUTF8(s, "?")
}

// DecodeJSON decodes the JSON body r into v. Unknown fields are ignored (the
// Engine's schema is open). A body that is not JSON gives an error quoting a
// short prefix of it, so a proxy's HTML page is recognisable in the error.
// what names the response ("GET /info") for the error.
func DecodeJSON(r io.Reader, v any, what string) error {
	var buf prefixRecorder
	dec := json.NewDecoder(io.TeeReader(r, &buf))
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("docker: %s: empty response body where JSON was expected", what)
		}
		// Read a little more so the quoted prefix is useful even when the
		// decoder failed on the first byte.
		_, _ = io.CopyN(&buf, r, prefixLen)
		return fmt.Errorf("docker: %s: response is not the expected JSON (%v): %q", what, err, Prefix(buf.b))
	}
	return nil
}

// prefixRecorder keeps the first bytes written to it and drops the rest, so
// decoding a large body costs no extra memory.
type prefixRecorder struct{ b []byte }

func (p *prefixRecorder) Write(b []byte) (int, error) {
	if room := prefixLen + 4 - len(p.b); room > 0 {
		if len(b) < room {
			room = len(b)
		}
		p.b = append(p.b, b[:room]...)
	}
	return len(b), nil
}

// UnmarshalBody reads all of r into buf (reset first; a pooled buffer makes
// the read allocation-free) and unmarshals it into v. Reading first and
// unmarshalling in one pass costs fewer allocations than a json.Decoder,
// whose buffer grows while it reads; the decoder would hold the whole value
// in memory too. Errors are those of DecodeJSON without the "docker: what:"
// prefix, which the caller adds.
func UnmarshalBody(r io.Reader, v any, buf *bytes.Buffer) error {
	buf.Reset()
	if _, err := buf.ReadFrom(r); err != nil {
		return fmt.Errorf("reading the response: %w", err)
	}
	b := buf.Bytes()
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("empty response body where JSON was expected")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("response is not the expected JSON (%v): %q", err, Prefix(b))
	}
	return nil
}
