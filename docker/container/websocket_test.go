package container

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/websocket"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// wsHandler serves the daemon's side of an attach WebSocket with x/net, as
// the Engine does (binary messages, no Origin check), and hands it to
// serve; the connection closes when serve returns.
func wsHandler(serve func(ws *websocket.Conn)) websocket.Server {
	return websocket.Server{
		Handshake: func(*websocket.Config, *http.Request) error { return nil },
		Handler: func(ws *websocket.Conn) {
			ws.PayloadType = websocket.BinaryFrame
			serve(ws)
		},
	}
}

// heldWS is wsHandler on a connection that x/net cannot close (its Close
// sends the close frame and leaves the connection open) and whose incoming
// bytes are copied. When serve returns, the handler waits for release (or
// a few seconds), closes the connection and sends what the client sent
// after the handshake, raw, on sent.
func heldWS(serve func(ws *websocket.Conn), release <-chan struct{}, sent chan<- []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hw := &holdingWriter{ResponseWriter: w}
		wsHandler(serve).ServeHTTP(hw, r)
		if hw.conn == nil {
			return
		}
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
		hw.conn.Conn.Close()
		sent <- hw.conn.in.Bytes()
	}
}

// holdingWriter hands x/net a heldConn when it hijacks the connection.
type holdingWriter struct {
	http.ResponseWriter
	conn *heldConn
}

func (w *holdingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.conn = &heldConn{Conn: nc, r: brw.Reader}
	return w.conn, bufio.NewReadWriter(bufio.NewReader(w.conn), brw.Writer), nil
}

// heldConn keeps a copy of what it reads and ignores Close.
type heldConn struct {
	net.Conn
	r  io.Reader
	in bytes.Buffer
}

func (c *heldConn) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.in.Write(p[:n])
	return n, err
}

func (c *heldConn) Close() error { return nil }

func TestAttachWebsocket(t *testing.T) {
	t.Parallel()
	f := setup(t)
	queries := make(chan url.Values, 1)
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(func(ws *websocket.Conn) {
		queries <- ws.Request().URL.Query()
		_, _ = ws.Write([]byte("hello "))
		buf := make([]byte, 64)
		n, _ := ws.Read(buf) // stdin
		_, _ = ws.Write(append([]byte("got "), buf[:n]...))
	}))
	ws, err := f.svc.AttachWebsocket(t.Context(), "c", Stdin(), Stdout(), Logs(), Stream(), DetachKeys("ctrl-x"))
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Write([]byte("stdin")); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := io.Copy(&out, ws); err != nil {
		t.Fatal(err)
	}
	if out.String() != "hello got stdin" {
		t.Errorf("output %q", out.String())
	}
	want := url.Values{"stdin": {"1"}, "stdout": {"1"}, "logs": {"1"}, "stream": {"1"}, "detachKeys": {"ctrl-x"}}
	if diff := cmp.Diff(want, <-queries); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}

// TestAttachWebsocketDefaults checks that AttachWebsocket asks for the
// streams Attach does: both outputs unless Stdout or Stderr picks one.
func TestAttachWebsocketDefaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts []AttachOption
		want url.Values
	}{
		{"stdin", []AttachOption{Stdin()}, url.Values{"stdin": {"1"}, "stdout": {"1"}, "stderr": {"1"}, "stream": {"1"}}},
		{"logs", []AttachOption{Logs()}, url.Values{"stdout": {"1"}, "stderr": {"1"}, "logs": {"1"}}},
		{"stderr", []AttachOption{Stdin(), Stderr()}, url.Values{"stdin": {"1"}, "stderr": {"1"}, "stream": {"1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			queries := make(chan url.Values, 1)
			f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(func(ws *websocket.Conn) {
				queries <- ws.Request().URL.Query()
			}))
			ws, err := f.svc.AttachWebsocket(t.Context(), "c", tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			if diff := cmp.Diff(tc.want, <-queries); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAttachWebsocketRequest checks that the handshake goes through the
// Client's dialer and carries its User-Agent and headers.
func TestAttachWebsocketRequest(t *testing.T) {
	t.Parallel()
	f := setup(t)
	type seen struct{ Path, Host, UserAgent, Extra, Origin, Version string }
	got := make(chan seen, 1)
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(func(ws *websocket.Conn) {
		r := ws.Request()
		got <- seen{r.URL.Path, r.Host, r.UserAgent(), r.Header.Get("X-Extra"), r.Header.Get("Origin"), r.Header.Get("Sec-WebSocket-Version")}
	}))
	var dials atomic.Int64
	dialer := func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return new(net.Dialer).DialContext(ctx, network, addr)
	}
	cli, err := docker.New(docker.WithHost(f.cli.Host()), docker.WithAPIVersion("1.41"), docker.WithDialer(dialer),
		docker.WithUserAgent("ua/3"), docker.WithHeader("X-Extra", "e"))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ws, err := New(cli).AttachWebsocket(t.Context(), "c")
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	want := seen{"/v1.41/containers/c/attach/ws", "docker", "ua/3", "e", "http://docker", "13"}
	if diff := cmp.Diff(want, <-got); diff != "" {
		t.Errorf("handshake (-want +got):\n%s", diff)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d dials through the Client's dialer, want 1", n)
	}
}

// TestAttachWebsocketTLS runs a session with a daemon behind TLS.
func TestAttachWebsocketTLS(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(func(ws *websocket.Conn) {
		_, _ = io.Copy(ws, ws)
	}))
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	cli, err := docker.New(docker.WithHost(srv.URL), docker.WithAPIVersion("1.41"),
		docker.WithTLSConfig(srv.Client().Transport.(*http.Transport).TLSClientConfig))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ws, err := New(cli).AttachWebsocket(t.Context(), "c", Stdin())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := io.WriteString(ws, "over TLS"); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len("over TLS"))
	if _, err := io.ReadFull(ws, got); err != nil || string(got) != "over TLS" {
		t.Errorf("echo %q, %v", got, err)
	}
}

// TestAttachWebsocketLarge sends 4 MiB of stdin through a fake that
// echoes it, in both directions at once.
func TestAttachWebsocketLarge(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(func(ws *websocket.Conn) {
		_, _ = io.Copy(ws, ws) // until the client's close frame
	}))
	ws, err := f.svc.AttachWebsocket(t.Context(), "c", Stdin())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	in := bytes.Repeat([]byte("0123456789abcdef"), 256<<10)
	sent := make(chan error, 1)
	go func() { _, err := io.Copy(ws, bytes.NewReader(in)); sent <- err }()
	got := make([]byte, len(in))
	if _, err := io.ReadFull(ws, got); err != nil {
		t.Fatal(err)
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, in) {
		t.Error("the echo differs from stdin")
	}
}

func TestAttachWebsocketCancel(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(func(ws *websocket.Conn) {
		_, _ = io.Copy(io.Discard, ws) // until the client leaves
	}))
	ctx, cancel := contextWithCancel(t)
	ws, err := f.svc.AttachWebsocket(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = io.Copy(io.Discard, ws)
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("read returned %v after the cancel (%v)", d, err)
	}
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "docker: ") {
		t.Errorf("err = %v, want a docker: error wrapping context.Canceled", err)
	}
}

// TestAttachWebsocketCancelDuringHandshake: a daemon that never answers
// the handshake does not hold the caller past ctx.
func TestAttachWebsocketCancelDuringHandshake(t *testing.T) {
	t.Parallel()
	f := setup(t)
	release := make(chan struct{})
	defer close(release)
	f.handle("GET /containers/c/attach/ws", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	ws, err := f.svc.AttachWebsocket(ctx, "c")
	if err == nil {
		ws.Close()
		t.Fatal("no error")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("returned after %v", d)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

// TestAttachWebsocketRefused checks that a daemon refusing the upgrade
// gives its *docker.Error with its message (the start of it when the body
// is too long to keep), and that other answers are plain errors saying
// what came.
func TestAttachWebsocketRefused(t *testing.T) {
	t.Parallel()
	long := "No such container: c " + strings.Repeat("x", 20<<10)
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		want     *docker.Error // nil: not a *docker.Error
		sentinel error
		text     string // in the error's text
	}{
		{"404", 404, `{"message":"No such container: c"}`, &docker.Error{StatusCode: 404, Message: "No such container: c", Method: "GET", Path: "/containers/c/attach/ws"}, docker.ErrNotFound, "No such container: c"},
		{"404 long message", 404, `{"message":"` + long + `"}`, &docker.Error{StatusCode: 404, Message: long, Method: "GET", Path: "/containers/c/attach/ws"}, docker.ErrNotFound, "No such container: c"},
		{"404 huge body", 404, strings.Repeat("y", 1<<20), &docker.Error{StatusCode: 404, Message: httpx.Prefix(bytes.Repeat([]byte("y"), 1<<20)), Method: "GET", Path: "/containers/c/attach/ws"}, docker.ErrNotFound, "yyy"},
		{"400", 400, `{"message":"bad parameter"}`, &docker.Error{StatusCode: 400, Message: "bad parameter", Method: "GET", Path: "/containers/c/attach/ws"}, docker.ErrInvalidArgument, "bad parameter"},
		{"500 not JSON", 500, "boom", &docker.Error{StatusCode: 500, Message: "boom", Method: "GET", Path: "/containers/c/attach/ws"}, nil, "boom"},
		{"200", 200, "not a websocket", nil, nil, "status 200 instead of a WebSocket upgrade: not a websocket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.handle("GET /containers/c/attach/ws", func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			ws, err := f.svc.AttachWebsocket(t.Context(), "c")
			if err == nil {
				ws.Close()
				t.Fatal("no error")
			}
			var derr *docker.Error
			if errors.As(err, &derr) != (tc.want != nil) {
				t.Fatalf("err = %v (%T), want a *docker.Error: %v", err, err, tc.want != nil)
			}
			if tc.want != nil {
				if diff := cmp.Diff(tc.want, derr); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("err = %v, want it to match %v", err, tc.sentinel)
			}
			if !strings.HasPrefix(err.Error(), "docker: ") || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("err = %.200v, want a docker: error saying %q", err, tc.text)
			}
		})
	}
}

// TestAttachWebsocketBadHandshake checks that 101 answers that are not a
// valid WebSocket upgrade are errors, not sessions.
func TestAttachWebsocketBadHandshake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		head string
		want error
	}{
		{"wrong accept", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSBrZXkgc2VudA==\r\n", websocket.ErrChallengeResponse},
		{"tcp upgrade", "Upgrade: tcp\r\nConnection: Upgrade\r\n", websocket.ErrBadUpgrade},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.handle("GET /containers/c/attach/ws", func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err != nil {
					return
				}
				defer conn.Close()
				_, _ = io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\n"+tc.head+"\r\n")
			})
			ws, err := f.svc.AttachWebsocket(t.Context(), "c")
			if err == nil {
				ws.Close()
				t.Fatal("no error")
			}
			if !errors.Is(err, tc.want) || !strings.HasPrefix(err.Error(), "docker: ") {
				t.Errorf("err = %v, want a docker: error wrapping %v", err, tc.want)
			}
		})
	}
}

// TestAttachWebsocketCloseSendsCloseFrame: Close with no Write under way
// sends the close frame (status 1000) before closing the connection.
func TestAttachWebsocketCloseSendsCloseFrame(t *testing.T) {
	t.Parallel()
	f := setup(t)
	release, sent := make(chan struct{}), make(chan []byte, 1)
	close(release)
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", heldWS(func(ws *websocket.Conn) {
		_, _ = io.Copy(io.Discard, ws) // until the close frame
	}, release, sent))
	ws, err := f.svc.AttachWebsocket(t.Context(), "c")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	// What the client sent: the masked message "x" (2+4+1 bytes), then
	// the masked close frame: 0x88, 0x82, the mask, the status.
	raw := <-sent
	if len(raw) != 7+8 || raw[7] != 0x88 || raw[8] != 0x82 {
		t.Fatalf("client sent % x, want a message then a close frame", raw)
	}
	mask := raw[9:13]
	if status := int(raw[13]^mask[0])<<8 | int(raw[14]^mask[1]); status != 1000 {
		t.Errorf("close status %d, want 1000", status)
	}
}

// TestAttachWebsocketReadAfterCloseFrame: after the daemon's close frame,
// Read keeps returning io.EOF even while the daemon holds the connection.
func TestAttachWebsocketReadAfterCloseFrame(t *testing.T) {
	t.Parallel()
	f := setup(t)
	release, sent := make(chan struct{}), make(chan []byte, 1)
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", heldWS(func(ws *websocket.Conn) {
		_, _ = ws.Write([]byte("bye"))
		_ = ws.Close() // the close frame; the connection stays open
	}, release, sent))
	ws, err := f.svc.AttachWebsocket(t.Context(), "c")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ws.Close(); close(release); <-sent }()
	b, err := io.ReadAll(ws)
	if err != nil || string(b) != "bye" {
		t.Fatalf("read %q, %v", b, err)
	}
	done := make(chan error, 1)
	go func() { _, err := ws.Read(make([]byte, 8)); done <- err }()
	select {
	case err := <-done:
		if err != io.EOF {
			t.Errorf("second read: %v, want io.EOF", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("a read after the close frame waits for more")
	}
}

// TestAttachWebsocketEndsBlockedWrite: a Write blocked on a daemon that
// reads no stdin does not hold Close up, and ctx cancellation ends it too.
func TestAttachWebsocketEndsBlockedWrite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		end  func(t *testing.T, ws *WebsocketConn, cancel context.CancelFunc)
		want error
	}{
		{"close", func(t *testing.T, ws *WebsocketConn, cancel context.CancelFunc) {
			start := time.Now()
			if err := ws.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("close took %v with a write blocked", d)
			}
		}, net.ErrClosed},
		{"cancel", func(t *testing.T, ws *WebsocketConn, cancel context.CancelFunc) { cancel() }, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			release := make(chan struct{})
			defer close(release)
			f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(func(ws *websocket.Conn) {
				select { // reads nothing
				case <-release:
				case <-time.After(10 * time.Second):
				}
			}))
			ctx, cancel := contextWithCancel(t)
			defer cancel()
			ws, err := f.svc.AttachWebsocket(ctx, "c", Stdin())
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			written := make(chan error, 1)
			go func() { _, err := ws.Write(make([]byte, 8<<20)); written <- err }()
			waitWriting(t, ws)
			tc.end(t, ws, cancel)
			select {
			case err := <-written:
				if !errors.Is(err, tc.want) {
					t.Errorf("write: %v, want %v", err, tc.want)
				}
			case <-time.After(3 * time.Second):
				t.Fatal("the write is still blocked")
			}
		})
	}
}

// waitWriting waits until a Write holds ws (it is under way, and soon
// blocked on the full socket), so that Close takes the path under test
// rather than finding no Write yet on a loaded machine.
func waitWriting(t *testing.T, ws *WebsocketConn) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if !ws.wmu.TryLock() {
			time.Sleep(50 * time.Millisecond) // let it fill the socket's buffers
			return
		}
		ws.wmu.Unlock()
	}
	t.Fatal("the Write never started")
}

// TestAttachWebsocketAfterClose: Write after Close fails with
// net.ErrClosed, an empty Write sends nothing, and Close returns what it
// returned the first time.
func TestAttachWebsocketAfterClose(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(func(ws *websocket.Conn) {
		_, _ = io.Copy(io.Discard, ws)
	}))
	ws, err := f.svc.AttachWebsocket(t.Context(), "c")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := ws.Write(nil); n != 0 || err != nil {
		t.Errorf("empty write: %d, %v", n, err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = ws.Close() }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("close %d: %v", i, err)
		}
	}
	if _, err := ws.Write([]byte("late")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write after close: %v, want net.ErrClosed", err)
	}
	if _, err := ws.Read(make([]byte, 8)); !errors.Is(err, net.ErrClosed) {
		t.Errorf("read after close: %v, want net.ErrClosed", err)
	}
}
