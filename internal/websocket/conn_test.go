package websocket_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/internal/websocket"
)

// deadline bounds every blocking step of the tests.
const deadline = 10 * time.Second

// frame is one frame as a test writes it: encoded by hand here, so that
// the reading side is not checked against the writing code alone.
func frame(b0 byte, key []byte, payload string) []byte {
	out := []byte{b0}
	maskBit := byte(0)
	if key != nil {
		maskBit = 0x80
	}
	switch n := len(payload); {
	case n <= 125:
		out = append(out, maskBit|byte(n))
	case n <= 0xffff:
		out = append(out, maskBit|126, byte(n>>8), byte(n))
	default:
		out = append(out, maskBit|127, 0, 0, 0, 0, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	out = append(out, key...)
	p := []byte(payload)
	for i := range p {
		if key != nil {
			p[i] ^= key[i%4]
		}
	}
	return append(out, p...)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// memConn is a Conn over bytes: it reads in and records what it writes.
type memConn struct {
	*websocket.Conn
	out    bytes.Buffer
	closes atomic.Int32
}

func newMemConn(in []byte, role websocket.Role) *memConn {
	m := &memConn{}
	m.Conn = websocket.NewConn(bytes.NewReader(in), &m.out, closerFunc(func() error { m.closes.Add(1); return nil }), role)
	return m
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// sent decodes what a Conn of role wrote: each frame as "opcode payload".
func sent(t *testing.T, wire []byte, role websocket.Role) []string {
	t.Helper()
	r := websocket.NewReader(bytes.NewReader(wire), other(role))
	var frames []string
	for {
		h, err := r.Next()
		if err == io.EOF {
			return frames
		}
		if err != nil {
			t.Fatalf("what the Conn wrote does not decode: %v", err)
		}
		p, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, h.Opcode.String()+" "+string(p))
	}
}

var key = []byte{0x12, 0x34, 0x56, 0x78}

// TestConnRead reads sequences of frames as a client and as a server, and
// checks the bytes delivered, the error at the end and the frames the Conn
// answered with.
func TestConnRead(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		role    websocket.Role
		in      []byte
		want    string
		wantErr error // matched with errors.Is; nil: io.Copy's nil after io.EOF
		answers []string
	}{
		{
			name: "fragmented text, a ping in the middle, then binary",
			in: cat(frame(0x01, nil, "hel"), frame(0x89, nil, "are you there"), frame(0x00, nil, "lo "),
				frame(0x80, nil, "world"), frame(0x82, nil, "!")),
			want:    "hello world!",
			answers: []string{"pong are you there"},
		},
		{
			name:    "masked frames to a server",
			role:    websocket.Server,
			in:      cat(frame(0x82, key, "from a client"), frame(0x89, key, "p")),
			want:    "from a client",
			answers: []string{"pong p"},
		},
		{
			name: "empty frames and pongs are skipped",
			in:   cat(frame(0x82, nil, ""), frame(0x8a, nil, "unsolicited"), frame(0x02, nil, ""), frame(0x80, nil, "x")),
			want: "x",
		},
		{
			name: "every length encoding",
			in: cat(frame(0x82, nil, strings.Repeat("a", 125)), frame(0x82, nil, strings.Repeat("b", 126)),
				frame(0x82, nil, strings.Repeat("c", 65535)), frame(0x82, nil, strings.Repeat("d", 65536))),
			want: strings.Repeat("a", 125) + strings.Repeat("b", 126) + strings.Repeat("c", 65535) + strings.Repeat("d", 65536),
		},
		{
			name:    "close with 1000 is the end",
			in:      cat(frame(0x82, nil, "bye"), frame(0x88, nil, "\x03\xe8done"), frame(0x82, nil, "never read")),
			want:    "bye",
			answers: []string{"close \x03\xe8"},
		},
		{
			name:    "close without a status",
			in:      frame(0x88, nil, ""),
			answers: []string{"close "},
		},
		{
			name:    "close with 1011",
			in:      frame(0x88, nil, "\x03\xf3boom"),
			wantErr: &websocket.CloseError{Code: 1011, Reason: "boom"},
			answers: []string{"close \x03\xf3"},
		},
		{
			name: "the connection ends between frames",
			in:   frame(0x82, nil, "abc"),
			want: "abc",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newMemConn(tc.in, tc.role)
			var got bytes.Buffer
			_, err := io.Copy(&got, onlyReader{c})
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errMatches(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if got.String() != tc.want {
				t.Errorf("read %q, want %q", abbrev(got.String()), abbrev(tc.want))
			}
			if diff := cmp.Diff(tc.answers, sent(t, c.out.Bytes(), tc.role)); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
		})
	}
}

// onlyReader hides everything but Read, so io.Copy reads in small steps.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p[:min(len(p), 100)]) }

func errMatches(err, want error) bool {
	var ce *websocket.CloseError
	if wantCE, ok := want.(*websocket.CloseError); ok {
		return errors.As(err, &ce) && *ce == *wantCE
	}
	return errors.Is(err, want)
}

func abbrev(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// TestConnReadMalformed feeds input that breaks RFC 6455: Read fails with
// ErrProtocol (and the Conn answers with a 1002 close frame and closes the
// connection) or, for input cut short, io.ErrUnexpectedEOF.
func TestConnReadMalformed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		role websocket.Role
		in   []byte
		want error
	}{
		{"RSV1 set", websocket.Client, []byte{0xc2, 0x00}, websocket.ErrProtocol},
		{"RSV3 set", websocket.Client, []byte{0x92, 0x00}, websocket.ErrProtocol},
		{"reserved data opcode", websocket.Client, []byte{0x83, 0x00}, websocket.ErrProtocol},
		{"reserved control opcode", websocket.Client, []byte{0x8b, 0x00}, websocket.ErrProtocol},
		{"ping of 126 bytes", websocket.Client, frame(0x89, nil, strings.Repeat("p", 126)), websocket.ErrProtocol},
		{"close claiming 127", websocket.Client, []byte{0x88, 0x7f, 0, 0, 0, 0, 0, 0, 0, 200}, websocket.ErrProtocol},
		{"fragmented ping", websocket.Client, frame(0x09, nil, "p"), websocket.ErrProtocol},
		{"masked frame from a server", websocket.Client, frame(0x82, key, "x"), websocket.ErrProtocol},
		{"unmasked frame from a client", websocket.Server, frame(0x82, nil, "x"), websocket.ErrProtocol},
		{"unmasked ping from a client", websocket.Server, frame(0x89, nil, ""), websocket.ErrProtocol},
		{"continuation without a message", websocket.Client, frame(0x80, nil, "x"), websocket.ErrProtocol},
		{"new message inside a fragmented one", websocket.Client, cat(frame(0x01, nil, "a"), frame(0x81, nil, "b")), websocket.ErrProtocol},
		{"length 5 in 16 bits", websocket.Client, []byte{0x82, 0x7e, 0x00, 0x05, 'a', 'b', 'c', 'd', 'e'}, websocket.ErrProtocol},
		{"length 65535 in 64 bits", websocket.Client, []byte{0x82, 0x7f, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, websocket.ErrProtocol},
		{"64-bit length with the top bit", websocket.Client, []byte{0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0}, websocket.ErrProtocol},
		{"close with a 1-byte payload", websocket.Client, frame(0x88, nil, "\x03"), websocket.ErrProtocol},
		{"close with 1005 on the wire", websocket.Client, frame(0x88, nil, "\x03\xed"), websocket.ErrProtocol},
		{"close with 999", websocket.Client, frame(0x88, nil, "\x03\xe7"), websocket.ErrProtocol},
		{"close with 5000", websocket.Client, frame(0x88, nil, "\x13\x88"), websocket.ErrProtocol},
		{"close reason not UTF-8", websocket.Client, frame(0x88, nil, "\x03\xe8\xff"), websocket.ErrProtocol},
		{"one byte", websocket.Client, []byte{0x82}, io.ErrUnexpectedEOF},
		{"cut in the 16-bit length", websocket.Client, []byte{0x82, 0x7e, 0x01}, io.ErrUnexpectedEOF},
		{"cut in the 64-bit length", websocket.Client, []byte{0x82, 0x7f, 0, 0, 0}, io.ErrUnexpectedEOF},
		{"cut in the masking key", websocket.Server, []byte{0x82, 0x81, 1, 2}, io.ErrUnexpectedEOF},
		{"cut in the payload", websocket.Client, []byte{0x82, 0x05, 'a', 'b'}, io.ErrUnexpectedEOF},
		{"cut in a ping", websocket.Client, []byte{0x89, 0x05, 'a'}, io.ErrUnexpectedEOF},
		{"cut inside a fragmented message", websocket.Client, frame(0x02, nil, "a"), io.ErrUnexpectedEOF},
		{"a huge length, little payload", websocket.Client, []byte{0x82, 0x7f, 0, 0, 0, 1, 0, 0, 0, 0, 'a', 'b'}, io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newMemConn(tc.in, tc.role)
			_, err := io.Copy(io.Discard, c)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if _, again := c.Read(make([]byte, 1)); again != err {
				t.Errorf("the next Read: err = %v, want the same %v", again, err)
			}
			if tc.want != websocket.ErrProtocol {
				return
			}
			if diff := cmp.Diff([]string{"close \x03\xea"}, sent(t, c.out.Bytes(), tc.role)); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
			if c.closes.Load() != 1 {
				t.Errorf("connection closed %d times, want 1", c.closes.Load())
			}
		})
	}
}

func TestConnWrite(t *testing.T) {
	t.Parallel()
	c := newMemConn(nil, websocket.Client)
	for _, p := range []string{"one", "", "two"} {
		if n, err := c.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("late")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write after Close: err = %v, want net.ErrClosed", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	want := []string{"binary one", "binary two", "close \x03\xe8"}
	if diff := cmp.Diff(want, sent(t, c.out.Bytes(), websocket.Client)); diff != "" {
		t.Errorf("frames (-want +got):\n%s", diff)
	}
	if c.closes.Load() != 1 {
		t.Errorf("connection closed %d times, want 1", c.closes.Load())
	}
}

// TestConnAfterPeerClose: once the peer's close frame is answered, writes
// fail and the answer is not sent twice by Close.
func TestConnAfterPeerClose(t *testing.T) {
	t.Parallel()
	c := newMemConn(frame(0x88, nil, "\x03\xe9"), websocket.Client)
	if _, err := c.Read(make([]byte, 10)); err != io.EOF {
		t.Fatalf("Read: err = %v, want io.EOF", err)
	}
	if _, err := c.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write: err = %v, want net.ErrClosed", err)
	}
	c.Close()
	if diff := cmp.Diff([]string{"close \x03\xe9"}, sent(t, c.out.Bytes(), websocket.Client)); diff != "" {
		t.Errorf("frames (-want +got):\n%s", diff)
	}
}
