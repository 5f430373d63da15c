package h1

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/berth-go/berth/internal/unixtest"
)

// fake is a net/http server on a unix socket and a Transport dialling it,
// counting the connections the Transport opens.
type fake struct {
	t      *Transport
	dials  atomic.Int64
	srv    *http.Server
	closed chan struct{} // a value per connection the server saw closed
}

func setup(t *testing.T, h http.Handler) *fake {
	t.Helper()
	l := unixtest.Listen(t)
	f := &fake{srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, closed: make(chan struct{}, 64)}
	f.srv.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			select {
			case f.closed <- struct{}{}:
			default:
			}
		}
	}
	go f.srv.Serve(l)
	t.Cleanup(func() { f.srv.Close() })
	f.t = &Transport{Dial: func(ctx context.Context) (net.Conn, error) {
		f.dials.Add(1)
		var d net.Dialer
		return d.DialContext(ctx, "unix", l.Addr().String())
	}}
	t.Cleanup(f.t.CloseIdleConnections)
	return f
}

// scripted serves each connection with serve, for responses net/http's
// server would never send.
func scripted(t *testing.T, serve func(c net.Conn)) *Transport {
	t.Helper()
	l := unixtest.Listen(t)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	tr := &Transport{Dial: func(ctx context.Context) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", l.Addr().String())
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// readRequestHead reads a request head off c, up to the empty line.
func readRequestHead(c net.Conn) (string, error) {
	var head []byte
	b := make([]byte, 1)
	for len(head) < 64<<10 {
		if _, err := c.Read(b); err != nil {
			return string(head), err
		}
		head = append(head, b[0])
		if n := len(head); n >= 4 && string(head[n-4:]) == "\r\n\r\n" {
			return string(head), nil
		}
	}
	return string(head), io.ErrShortBuffer
}

func newRequest(t testing.TB, ctx context.Context, method, target string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, "http://docker"+target, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// get sends a GET and returns the whole body.
func get(t testing.TB, tr *Transport, target string) (*http.Response, []byte) {
	t.Helper()
	resp, err := tr.RoundTrip(newRequest(t, context.Background(), http.MethodGet, target, nil))
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", target, err)
	}
	return resp, b
}
