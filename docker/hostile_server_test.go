package docker_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"golang.org/x/net/nettest"
)

// connTimeout bounds every accepted connection: a script blocked on a
// client that went quiet ends by then at the latest.
const connTimeout = 5 * time.Second

// scriptServer accepts connections and runs its script on each one in its
// own goroutine: a daemon stand-in that says exactly the bytes a test wants,
// including ones a correct server never would. Close, which t.Cleanup also
// calls, closes the listener and every connection and waits for the scripts.
type scriptServer struct {
	ln       net.Listener
	script   func(*scriptConn)
	accepted atomic.Int64 // connections accepted so far
	wg       sync.WaitGroup

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// scriptConn is one accepted connection. Reads go through br, so a script
// can read request heads with readRequest and raw bytes alike.
type scriptConn struct {
	net.Conn
	br *bufio.Reader
}

// serveScript serves script on ln until the test ends.
func serveScript(t *testing.T, ln net.Listener, script func(*scriptConn)) *scriptServer {
	t.Helper()
	s := &scriptServer{ln: ln, script: script, conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.acceptLoop()
	t.Cleanup(s.Close)
	return s
}

func (s *scriptServer) acceptLoop() {
	defer s.wg.Done()
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			return
		}
		s.conns[nc] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		_ = nc.SetDeadline(time.Now().Add(connTimeout))
		s.accepted.Add(1)
		c := &scriptConn{Conn: nc, br: bufio.NewReader(nc)}
		go func() {
			defer s.wg.Done()
			defer s.forget(nc)
			s.script(c)
		}()
	}
}

func (s *scriptServer) forget(nc net.Conn) {
	nc.Close()
	s.mu.Lock()
	delete(s.conns, nc)
	s.mu.Unlock()
}

// Close closes the listener and every open connection (a daemon that
// stops), then waits for the scripts to return. It may be called again.
func (s *scriptServer) Close() {
	s.mu.Lock()
	s.closed = true
	s.ln.Close()
	for nc := range s.conns {
		nc.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// host is the address a Client dials for this server.
func (s *scriptServer) host() string { return hostOf(s.ln) }

// readRequest reads the next request head; the body is left on the
// connection, readable through the request's Body (chunked bodies decoded).
func (c *scriptConn) readRequest() (*http.Request, error) {
	return http.ReadRequest(c.br)
}

// reply writes a complete response with a JSON (or empty) body.
func (c *scriptConn) reply(status int, body string) error {
	_, err := fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		status, http.StatusText(status), len(body), body)
	return err
}

// answerAll is a well-behaved daemon: it answers every request, whatever it
// is, with 200 and {"Id":"x"}, after reading its body, until the client
// closes the connection.
func answerAll(c *scriptConn) {
	for {
		req, err := c.readRequest()
		if err != nil {
			return
		}
		if _, err := io.Copy(io.Discard, req.Body); err != nil {
			return
		}
		if err := c.reply(http.StatusOK, `{"Id":"x"}`); err != nil {
			return
		}
	}
}

// listen returns a listener on a fresh unix socket ("unix") or on
// 127.0.0.1 ("tcp"), closed when the test ends.
func listen(t *testing.T, network string) net.Listener {
	t.Helper()
	var ln net.Listener
	var err error
	if network == "unix" {
		ln, err = nettest.NewLocalListener("unix") // closing it removes the socket file
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// hostOf is the docker host address of ln: unix:///path or tcp://ip:port.
func hostOf(ln net.Listener) string {
	if ln.Addr().Network() == "unix" {
		return "unix://" + ln.Addr().String()
	}
	return "tcp://" + ln.Addr().String()
}

// newClient returns a Client for host with the API version pinned (so no
// /_ping negotiation precedes the requests a script expects), closed when
// the test ends.
func newClient(t *testing.T, host string, opts ...docker.Option) *docker.Client {
	t.Helper()
	cli, err := docker.New(append([]docker.Option{docker.WithHost(host), docker.WithAPIVersion("1.41")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// getBody sends GET path through Do and returns the whole body.
func getBody(ctx context.Context, cli *docker.Client, path string) (string, error) {
	resp, err := cli.Do(ctx, &docker.Request{Path: path})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// testContext is the test's context bounded by a few seconds: no call in
// these tests may hang the run.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
