package container

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/internal/websocket"
)

// wsHandler upgrades the request and hands the daemon's side of the
// WebSocket to serve, closing it afterwards.
func wsHandler(t *testing.T, serve func(ws *websocket.Conn, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Upgrade(w, r)
		if err != nil {
			t.Errorf("fake daemon: %v", err)
			return
		}
		defer ws.Close()
		serve(ws, r)
	}
}

func TestAttachWebsocket(t *testing.T) {
	t.Parallel()
	f := setup(t)
	queries := make(chan url.Values, 1)
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(t, func(ws *websocket.Conn, r *http.Request) {
		queries <- r.URL.Query()
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

// TestAttachWebsocketLarge sends 4 MiB of stdin through a fake that
// echoes it, in both directions at once.
func TestAttachWebsocketLarge(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(t, func(ws *websocket.Conn, r *http.Request) {
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
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(t, func(ws *websocket.Conn, r *http.Request) {
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
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("err = %v, want one naming the cancelled context", err)
	}
}

// TestAttachWebsocketRefused checks that a daemon refusing the upgrade
// gives its *docker.Error.
func TestAttachWebsocketRefused(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle("GET /containers/c/attach/ws", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, 404, "No such container: c")
	})
	if _, err := f.svc.AttachWebsocket(t.Context(), "c"); !isNotFound(err) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

// TestAttachWebsocketBadHandshake checks that answers other than a valid
// WebSocket upgrade are errors, not sessions.
func TestAttachWebsocketBadHandshake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request)
		want   string
	}{
		{"200", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "not a websocket") }, "status 200"},
		{"wrong accept", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Upgrade", "websocket")
			w.Header().Set("Connection", "Upgrade")
			w.Header().Set("Sec-WebSocket-Accept", websocket.AcceptKey("not the key sent"))
			w.WriteHeader(http.StatusSwitchingProtocols)
		}, "Sec-WebSocket-Accept"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.handle("GET /containers/c/attach/ws", tc.answer)
			ws, err := f.svc.AttachWebsocket(t.Context(), "c")
			if err == nil {
				ws.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "docker: ") {
				t.Errorf("err = %v, want a docker: error about %s", err, tc.want)
			}
		})
	}
}
