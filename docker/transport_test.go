package docker_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
)

// These tests are regressions of the Client's default transport: how it
// manages connections when the daemon misbehaves or goes away. They use only
// the public API; the servers are scripts (hostile_server_test.go) or
// httptest.

// A response followed by bytes nobody asked for (here a whole second
// response) must not be taken as the answer to the next request: the
// connection that carried them cannot be trusted and is dropped.
func TestTransportDropsConnectionWithUnsolicitedBytes(t *testing.T) {
	t.Parallel()
	for _, network := range []string{"unix", "tcp"} {
		t.Run(network, func(t *testing.T) {
			t.Parallel()
			var served atomic.Int64
			srv := serveScript(t, listen(t, network), func(c *scriptConn) {
				for {
					if _, err := c.readRequest(); err != nil {
						return
					}
					msg := "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond"
					if served.Add(1) == 1 { // one write: both responses arrive together
						msg = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" +
							"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil"
					}
					if _, err := io.WriteString(c, msg); err != nil {
						return
					}
				}
			})
			cli := newClient(t, srv.host())
			ctx := testContext(t)
			for i, want := range []string{"hello", "second"} {
				if i > 0 {
					// net/http's Transport puts the connection back in its
					// pool a moment before its read loop sees the extra bytes
					// and drops it (golang/go#31259); a request sent in that
					// moment reads "evil" (about 1 run in 100 under -race).
					// No client code can close that window; a pause lets
					// the drop happen. A client that never drops such a
					// connection fails however long the pause.
					time.Sleep(50 * time.Millisecond)
				}
				got, err := getBody(ctx, cli, "/containers/x/json")
				if err != nil || got != want {
					t.Errorf("got %q, %v; want %q", got, err, want)
				}
			}
		})
	}
}

// A POST the daemon has started to read may have had its effect (a
// container created, a build started): when the connection then breaks, the
// client must report the failure, never send the request again.
func TestTransportNeverResendsStartedPOST(t *testing.T) {
	t.Parallel()
	for _, network := range []string{"unix", "tcp"} {
		t.Run(network, func(t *testing.T) {
			t.Parallel()
			var posts atomic.Int64
			srv := serveScript(t, listen(t, network), func(c *scriptConn) {
				if tc, ok := c.Conn.(*net.TCPConn); ok {
					_ = tc.SetReadBuffer(4096) // see smallSendBuffer
				}
				for {
					req, err := c.readRequest()
					if err != nil {
						return
					}
					if req.Method != http.MethodPost {
						_, _ = io.Copy(io.Discard, req.Body)
						if c.reply(http.StatusOK, `{"Id":"x"}`) != nil {
							return
						}
						continue
					}
					posts.Add(1)
					_, _ = io.ReadFull(req.Body, make([]byte, 1024)) // part of the body, then a reset
					if tc, ok := c.Conn.(*net.TCPConn); ok {
						_ = tc.SetLinger(0)
					}
					return
				}
			})
			cli := newClient(t, srv.host(), docker.WithDialer(smallSendBuffer))
			ctx := testContext(t)
			if _, err := getBody(ctx, cli, "/containers/x/json"); err != nil {
				t.Fatal(err) // the connection the POST reuses
			}
			body := make([]byte, 64<<10) // in memory: a transport could send it again
			err := cli.DoJSON(ctx, &docker.Request{
				Method: http.MethodPost, Path: "/containers/create",
				Header: http.Header{"Content-Type": {"application/json"}},
				Body:   bytes.NewReader(body),
			}, nil)
			if err == nil {
				t.Error("the POST succeeded; want the connection's failure")
			}
			var derr *docker.Error
			if errors.As(err, &derr) {
				t.Errorf("got a daemon answer %v; the daemon sent none", err)
			}
			if n := posts.Load(); n != 1 {
				t.Errorf("the daemon received the POST %d times, want 1 (err: %v)", n, err)
			}
		})
	}
}

// smallSendBuffer dials with a small send buffer, so that a 64 KiB body is
// still being written when the daemon gives up on it (with the daemon's small
// receive buffer on TCP): the client sees the reset while writing.
func smallSendBuffer(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	if b, ok := nc.(interface{ SetWriteBuffer(int) error }); ok {
		_ = b.SetWriteBuffer(4096)
	}
	return nc, nil
}
