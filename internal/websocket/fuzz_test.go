package websocket_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/berth-go/berth/internal/websocket"
)

// The seed corpus lives in testdata/fuzz/FuzzReadFrame; run the fuzzer
// with, e.g.,
//
//	go test -run='^$' -fuzz=FuzzReadFrame -fuzztime=60s ./internal/websocket/

// FuzzReadFrame reads arbitrary bytes as the frames a client (server
// false) or a server (server true) receives, first frame by frame with
// Reader, then as a stream with Conn. Neither may panic, deliver more
// payload than the input holds, or end with an error other than io.EOF,
// io.ErrUnexpectedEOF, ErrProtocol or a *CloseError; every header read
// re-encodes to the bytes it came from, and what Conn writes back (pongs,
// its close frame) decodes cleanly at the other end.
func FuzzReadFrame(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, server bool) {
		role := websocket.Client
		if server {
			role = websocket.Server
		}

		src := bytes.NewReader(data)
		r := websocket.NewReader(src, role)
		// Every frame takes at least two bytes of input.
		for range len(data)/2 + 1 {
			start := len(data) - src.Len()
			h, err := r.Next()
			if err != nil {
				if err == io.EOF && start != len(data) {
					t.Fatalf("io.EOF with %d bytes left", len(data)-start)
				}
				checkErr(t, err)
				break
			}
			if got, raw := websocket.AppendHeader(nil, h), data[start:len(data)-src.Len()]; !bytes.Equal(got, raw) {
				t.Fatalf("header % x re-encodes as % x", raw, got)
			}
			n, err := io.Copy(io.Discard, r)
			if n > int64(len(data)) {
				t.Fatalf("%d payload bytes from %d bytes of input", n, len(data))
			}
			if err != nil {
				if !errors.Is(err, io.ErrUnexpectedEOF) || n >= h.Length {
					t.Fatalf("payload of %d bytes: %d read, err %v", h.Length, n, err)
				}
				break
			}
			if n != h.Length {
				t.Fatalf("payload of %d bytes: %d read", h.Length, n)
			}
		}

		var out bytes.Buffer
		c := websocket.NewConn(bytes.NewReader(data), &out, closerFunc(func() error { return nil }), role)
		n, err := io.Copy(io.Discard, c)
		if n > int64(len(data)) {
			t.Fatalf("Conn delivered %d bytes from %d bytes of input", n, len(data))
		}
		if err != nil {
			checkErr(t, err)
		}
		back := websocket.NewReader(&out, other(role))
		for range out.Len()/2 + 1 {
			h, err := back.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("what the Conn wrote does not decode: %v", err)
			}
			if !h.Opcode.IsControl() {
				t.Fatalf("the Conn wrote a %v frame while only reading", h.Opcode)
			}
		}
	})
}

// checkErr fails the test unless err is one of the errors reading may end
// with.
func checkErr(t *testing.T, err error) {
	t.Helper()
	var ce *websocket.CloseError
	switch {
	case err == io.EOF, errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, websocket.ErrProtocol), errors.As(err, &ce):
	default:
		t.Fatalf("unexpected error %v (%T)", err, err)
	}
}
