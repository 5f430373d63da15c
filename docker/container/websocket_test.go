package container

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/websocket"
)

func TestAttachWebsocket(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var query url.Values
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", websocket.Handler(func(ws *websocket.Conn) {
		query = ws.Request().URL.Query()
		ws.PayloadType = websocket.BinaryFrame
		_, _ = ws.Write([]byte("hello "))
		buf := make([]byte, 64)
		n, _ := ws.Read(buf) // stdin
		_, _ = ws.Write(append([]byte("got "), buf[:n]...))
		ws.Close()
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
	if diff := cmp.Diff(want, query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}

func TestAttachWebsocketCancel(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mux.Handle("GET /v1.41/containers/c/attach/ws", websocket.Handler(func(ws *websocket.Conn) {
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
