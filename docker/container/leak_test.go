package container

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// TestNoGoroutineLeft cancels every kind of stream mid-way and checks that
// no goroutine of the package outlives it. It is not parallel: it counts
// goroutines while the parallel tests wait.
func TestNoGoroutineLeft(t *testing.T) {
	before := settledGoroutines(0)
	cancelled := func(t *testing.T) (context.Context, func()) {
		ctx, cancel := context.WithCancel(t.Context())
		return ctx, func() { time.AfterFunc(30*time.Millisecond, cancel) }
	}
	endless := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	}
	t.Run("logs", func(t *testing.T) {
		f := setup(t)
		f.handle("GET /containers/c/logs", endless)
		ctx, later := cancelled(t)
		r, err := f.svc.Logs(ctx, "c", TTY(false), Follow())
		if err != nil {
			t.Fatal(err)
		}
		later()
		_, _ = r.Demux(io.Discard, io.Discard)
		r.Close()
	})
	t.Run("stats", func(t *testing.T) {
		f := setup(t)
		f.handle("GET /containers/c/stats", endless)
		ctx, later := cancelled(t)
		later()
		for _, err := range f.svc.Stats(ctx, "c") {
			if err == nil {
				t.Fatal("a sample from nowhere")
			}
		}
	})
	t.Run("attach", func(t *testing.T) {
		f := setup(t)
		f.handle("POST /containers/c/attach", hijack(t, "", func(conn net.Conn, in *bufio.Reader) { _, _ = io.Copy(io.Discard, in) }))
		ctx, later := cancelled(t)
		conn, err := f.svc.Attach(ctx, "c", TTY(false))
		if err != nil {
			t.Fatal(err)
		}
		later()
		_, _ = conn.Demux(io.Discard, io.Discard)
		conn.Close()
	})
	t.Run("websocket", func(t *testing.T) {
		f := setup(t)
		f.mux.Handle("GET /v1.41/containers/c/attach/ws", wsHandler(func(ws *websocket.Conn) {
			_, _ = io.Copy(io.Discard, ws)
		}))
		ctx, later := cancelled(t)
		ws, err := f.svc.AttachWebsocket(ctx, "c")
		if err != nil {
			t.Fatal(err)
		}
		later()
		_, _ = io.Copy(io.Discard, ws)
		ws.Close()
	})
	t.Run("wait", func(t *testing.T) {
		f := setup(t)
		f.handle("POST /containers/c/wait", endless)
		ctx, later := cancelled(t)
		later()
		if _, err := f.svc.Wait(ctx, "c"); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("run", func(t *testing.T) {
		f := newRunFake(t)
		f.hang = true
		ctx, later := cancelled(t)
		out := writerFunc(func(p []byte) (int, error) { later(); return len(p), nil })
		if _, err := f.svc.Run(ctx, Config{Image: "img"}, WithStdin(strings.NewReader("x")), WithStdout(out)); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("exec", func(t *testing.T) {
		f := newExecFake(t, "1.41", false)
		f.hang = true
		ctx, later := cancelled(t)
		later()
		if _, err := f.svc.Exec(ctx, "c", ExecConfig{Cmd: []string{"cat"}}, WithStdin(strings.NewReader("x")), WithStdout(io.Discard)); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("begin wait", func(t *testing.T) {
		f := setup(t)
		f.handle("POST /containers/c/wait", endless)
		ctx, later := cancelled(t)
		w, err := f.svc.BeginWait(ctx, "c")
		if err != nil {
			t.Fatal(err)
		}
		later()
		if _, err := w.Result(); err == nil {
			t.Fatal("no error")
		}
		w.Close()
	})
	t.Run("copy in", func(t *testing.T) {
		f := setup(t)
		f.handle("PUT /containers/c/archive", func(w http.ResponseWriter, r *http.Request) { writeError(w, 500, "no") })
		if err := f.svc.CopyIn(t.Context(), "c", ".", "/"); err == nil {
			t.Fatal("no error")
		}
	})
	if after := settledGoroutines(before); after > before {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Errorf("%d goroutines before, %d after:\n%s", before, after, buf[:n])
	}
}

// settledGoroutines waits (boundedly) for the goroutine count to drop to
// target, and returns the count.
func settledGoroutines(target int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 100 && n > target; i++ {
		time.Sleep(20 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}
