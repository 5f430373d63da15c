package websocket_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/internal/websocket"
)

func TestAcceptKey(t *testing.T) {
	t.Parallel()
	// The example of RFC 6455, section 1.3, whose SHA-1 the RFC spells out
	// as b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea.
	if got, want := websocket.AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="; got != want {
		t.Errorf("AcceptKey = %q, want %q", got, want)
	}
}

func TestNewKey(t *testing.T) {
	t.Parallel()
	a, b := websocket.NewKey(), websocket.NewKey()
	for _, k := range []string{a, b} {
		raw, err := base64.StdEncoding.DecodeString(k)
		if err != nil || len(raw) != 16 {
			t.Errorf("key %q: %d bytes, %v; want 16 bytes in base64", k, len(raw), err)
		}
	}
	if a == b {
		t.Errorf("two keys alike: %q", a)
	}
}

func TestCheckResponse(t *testing.T) {
	t.Parallel()
	const key = "dGhlIHNhbXBsZSBub25jZQ=="
	good := func() *http.Response {
		return &http.Response{StatusCode: http.StatusSwitchingProtocols, Header: http.Header{
			"Upgrade":              {"WebSocket"},
			"Connection":           {"keep-alive, Upgrade"},
			"Sec-Websocket-Accept": {"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="},
		}}
	}
	for _, tc := range []struct {
		name   string
		change func(*http.Response)
		want   string // in the error; "" for none
	}{
		{"valid", func(*http.Response) {}, ""},
		{"200", func(r *http.Response) { r.StatusCode = 200 }, "status 200"},
		{"no Upgrade", func(r *http.Response) { r.Header.Del("Upgrade") }, "Upgrade"},
		{"Upgrade: tcp", func(r *http.Response) { r.Header.Set("Upgrade", "tcp") }, "Upgrade"},
		{"no Connection", func(r *http.Response) { r.Header.Del("Connection") }, "Connection"},
		{"wrong accept", func(r *http.Response) { r.Header.Set("Sec-WebSocket-Accept", websocket.AcceptKey("other")) }, "Accept"},
		{"no accept", func(r *http.Response) { r.Header.Del("Sec-WebSocket-Accept") }, "Accept"},
		{"an extension", func(r *http.Response) { r.Header.Set("Sec-WebSocket-Extensions", "permessage-deflate") }, "extension"},
		{"a subprotocol", func(r *http.Response) { r.Header.Set("Sec-WebSocket-Protocol", "chat") }, "subprotocol"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp := good()
			tc.change(resp)
			err := websocket.CheckResponse(resp, key)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("err = %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("err = %v, want one about %q", err, tc.want)
			}
		})
	}
}

func TestUpgradeRefuses(t *testing.T) {
	t.Parallel()
	valid := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/ws", nil)
		websocket.SetRequestHeaders(r.Header, websocket.NewKey())
		return r
	}
	for _, tc := range []struct {
		name   string
		change func(*http.Request)
		status int
	}{
		{"POST", func(r *http.Request) { r.Method = http.MethodPost }, http.StatusMethodNotAllowed},
		{"no Upgrade", func(r *http.Request) { r.Header.Del("Upgrade") }, http.StatusBadRequest},
		{"no Connection", func(r *http.Request) { r.Header.Del("Connection") }, http.StatusBadRequest},
		{"version 8", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Version", "8") }, http.StatusUpgradeRequired},
		{"short key", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Key", "c2hvcnQ=") }, http.StatusBadRequest},
		{"no key", func(r *http.Request) { r.Header.Del("Sec-WebSocket-Key") }, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := valid()
			tc.change(r)
			w := httptest.NewRecorder()
			if _, err := websocket.Upgrade(w, r); err == nil {
				t.Error("no error")
			}
			if w.Code != tc.status {
				t.Errorf("status %d, want %d", w.Code, tc.status)
			}
			if tc.status == http.StatusUpgradeRequired && w.Header().Get("Sec-WebSocket-Version") != "13" {
				t.Error("426 without Sec-WebSocket-Version: 13")
			}
		})
	}
}

// dial makes the client's opening handshake to srv with net/http and
// returns the client's Conn over the upgraded body.
func dial(t *testing.T, srv *httptest.Server) *websocket.Conn {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := websocket.NewKey()
	websocket.SetRequestHeaders(req.Header, key)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := websocket.CheckResponse(resp, key); err != nil {
		resp.Body.Close()
		t.Fatal(err)
	}
	rw, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		t.Fatalf("the body of a 101 is a %T, not writable", resp.Body)
	}
	c := websocket.NewConn(bufio.NewReader(rw), rw, rw, websocket.Client)
	t.Cleanup(func() { c.Close() })
	return c
}

// serve starts a server whose handler upgrades and hands the Conn to h,
// closing it afterwards; errors of h fail the test.
func serve(t *testing.T, h func(*websocket.Conn) error) *httptest.Server {
	t.Helper()
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wg.Add(1)
		defer wg.Done()
		c, err := websocket.Upgrade(w, r)
		if err != nil {
			t.Errorf("server: %v", err)
			return
		}
		defer c.Close()
		if err := h(c); err != nil {
			t.Errorf("server: %v", err)
		}
	}))
	t.Cleanup(func() { srv.Close(); wg.Wait() })
	return srv
}

// TestEcho sends 4 MiB through a server that echoes it, over a real
// connection, then closes: the server reads the close frame as the end.
func TestEcho(t *testing.T) {
	t.Parallel()
	serverDone := make(chan struct{})
	srv := serve(t, func(c *websocket.Conn) error {
		defer close(serverDone)
		_, err := io.Copy(c, c) // ends at the client's close frame
		return err
	})
	c := dial(t, srv)
	payload := random(7, 4<<20)
	written := make(chan error, 1)
	go func() {
		var err error
		for p := payload; len(p) > 0 && err == nil; p = p[min(len(p), 100_000):] {
			_, err = c.Write(p[:min(len(p), 100_000)])
		}
		written <- err
	}()
	got := make([]byte, len(payload))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, payload) {
		t.Error("the echo differs from what was sent")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-serverDone:
	case <-time.After(deadline):
		t.Fatal("the server did not see the end")
	}
}

// TestServerCloses: the client reads io.EOF after the server's close frame.
func TestServerCloses(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(c *websocket.Conn) error {
		_, err := c.Write([]byte("last"))
		return err
	})
	c := dial(t, srv)
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "last" {
		t.Errorf("ReadAll = %q, %v; want \"last\", nil", got, err)
	}
}

// TestCloseWhileWriting closes a Conn whose Write is blocked on a peer
// that does not read: Close returns at once and ends the Write.
func TestCloseWhileWriting(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := serve(t, func(c *websocket.Conn) error {
		<-release // never reads
		return nil
	})
	defer close(release)
	c := dial(t, srv)
	written := make(chan error, 1)
	go func() {
		chunk := make([]byte, 1<<20)
		for range 256 {
			if _, err := c.Write(chunk); err != nil {
				written <- err
				return
			}
		}
		written <- errors.New("256 MiB went through a peer that does not read")
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	c.Close()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
	select {
	case err := <-written:
		if err == nil {
			t.Error("Write succeeded")
		}
	case <-time.After(deadline):
		t.Fatal("Write still blocked after Close")
	}
}

// TestCloseFrameNotTaken closes a Conn whose close frame the peer does not
// take: after about a second the connection is closed anyway.
func TestCloseFrameNotTaken(t *testing.T) {
	t.Parallel()
	w := &stuckWriter{closed: make(chan struct{})}
	var once sync.Once
	c := websocket.NewConn(strings.NewReader(""), w, closerFunc(func() error {
		once.Do(func() { close(w.closed) })
		return nil
	}), websocket.Client)
	start := time.Now()
	done := make(chan struct{})
	go func() { c.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(deadline):
		t.Fatal("Close still blocked")
	}
	if d := time.Since(start); d < 500*time.Millisecond || d > 5*time.Second {
		t.Errorf("Close returned after %v, want about a second", d)
	}
}

// stuckWriter blocks every Write until closed is closed.
type stuckWriter struct{ closed chan struct{} }

func (w *stuckWriter) Write(p []byte) (int, error) {
	<-w.closed
	return 0, errors.New("closed")
}
