package container

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/stream"
	"github.com/google/go-cmp/cmp"
)

// runFake is a daemon that runs one container "r1": its attach session
// echoes stdin to stdout once the container is started, writes "bye" to
// stderr and ends; the container then exits with status 3.
type runFake struct {
	*fake
	mu         sync.Mutex
	calls      []string
	createBody string
	started    chan struct{}
	exited     chan struct{}
	hang       bool // the session never ends by itself
	quick      bool // the session ends without reading stdin
	startFails bool
}

func newRunFake(t *testing.T) *runFake { return newRunFakeVersion(t, "1.41") }

func newRunFakeVersion(t *testing.T, version string) *runFake {
	f := &runFake{fake: setupVersion(t, version), started: make(chan struct{}), exited: make(chan struct{})}
	note := func(s string) {
		f.mu.Lock()
		f.calls = append(f.calls, s)
		f.mu.Unlock()
	}
	f.handle("POST /containers/create", func(w http.ResponseWriter, r *http.Request) {
		note("create")
		f.createBody = readAll(r)
		writeJSON(w, 201, `{"Id":"r1","Warnings":["careful"]}`)
	})
	f.handle("POST /containers/r1/attach", func(w http.ResponseWriter, r *http.Request) {
		note("attach " + r.URL.RawQuery)
		hijack(t, stream.RawContentType, func(conn net.Conn, in *bufio.Reader) {
			select {
			case <-f.started:
			case <-time.After(10 * time.Second):
				return
			}
			if f.quick {
				_, _ = stream.NewWriter(conn, stream.Stdout).Write([]byte("done"))
				close(f.exited)
				return
			}
			if f.hang {
				_, _ = stream.NewWriter(conn, stream.Stdout).Write([]byte("running"))
				_, _ = io.Copy(io.Discard, conn) // until the client leaves
				return
			}
			_, _ = io.Copy(stream.NewWriter(conn, stream.Stdout), in)
			_, _ = stream.NewWriter(conn, stream.Stderr).Write([]byte("bye"))
			close(f.exited)
		})(w, r)
	})
	f.handle("POST /containers/r1/wait", func(w http.ResponseWriter, r *http.Request) {
		note("wait " + r.URL.RawQuery)
		w.WriteHeader(200)
		http.NewResponseController(w).Flush()
		select {
		case <-f.exited:
			_, _ = w.Write([]byte(`{"StatusCode":3,"Error":null}`))
		case <-r.Context().Done():
		}
	})
	f.handle("POST /containers/r1/start", func(w http.ResponseWriter, r *http.Request) {
		note("start")
		if f.startFails {
			writeError(w, 400, "cannot start")
			return
		}
		close(f.started)
		w.WriteHeader(204)
	})
	f.handle("POST /containers/r1/stop", func(w http.ResponseWriter, r *http.Request) {
		note("stop")
		w.WriteHeader(204)
	})
	f.handle("DELETE /containers/r1", func(w http.ResponseWriter, r *http.Request) {
		note("remove " + r.URL.RawQuery)
		w.WriteHeader(204)
	})
	return f
}

func (f *runFake) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func TestRun(t *testing.T) {
	t.Parallel()
	f := newRunFake(t)
	var out, errOut bytes.Buffer
	res, err := f.svc.Run(t.Context(), Config{Image: "img", Cmd: []string{"cat"}},
		Name("job"), WithHostConfig(HostConfig{NetworkMode: "none"}),
		WithStdin(strings.NewReader("hello")), WithStdout(&out), WithStderr(&errOut), RemoveWhenDone())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(RunResult{ID: "r1", Warnings: []string{"careful"}, StatusCode: 3}, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if out.String() != "hello" || errOut.String() != "bye" {
		t.Errorf("stdout %q stderr %q", out.String(), errOut.String())
	}
	// Attach and wait come before the start.
	want := []string{"create", "attach stderr=1&stdin=1&stdout=1&stream=1", "wait condition=next-exit", "start", "remove force=1&v=1"}
	if diff := cmp.Diff(want, f.seen()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	wantBody := `{"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"OpenStdin":true,"StdinOnce":true,"Cmd":["cat"],"Image":"img","Entrypoint":null,"HostConfig":{"NetworkMode":"none","MaskedPaths":null,"ReadonlyPaths":null}}`
	if strings.TrimSpace(f.createBody) != wantBody {
		t.Errorf("create body\n%s\nwant\n%s", f.createBody, wantBody)
	}
}

// TestRunOldDaemon checks the flow for daemons without wait conditions
// (API < 1.30): the wait is sent after the output ends.
func TestRunOldDaemon(t *testing.T) {
	t.Parallel()
	f := newRunFakeVersion(t, "1.29")
	var out bytes.Buffer
	res, err := f.svc.Run(t.Context(), Config{Image: "img"}, WithStdin(strings.NewReader("hi")), WithStdout(&out))
	if err != nil || res.StatusCode != 3 || out.String() != "hi" {
		t.Fatalf("Run = %+v, %q, %v", res, out.String(), err)
	}
	want := []string{"create", "attach stdin=1&stdout=1&stream=1", "start", "wait "}
	if diff := cmp.Diff(want, f.seen()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestRunWithoutStreams(t *testing.T) {
	t.Parallel()
	f := newRunFake(t)
	go func() { <-f.started; close(f.exited) }()
	res, err := f.svc.Run(t.Context(), Config{Image: "img"})
	if err != nil || res.StatusCode != 3 {
		t.Fatalf("Run = %+v, %v", res, err)
	}
	if diff := cmp.Diff([]string{"create", "wait condition=next-exit", "start"}, f.seen()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestRunStartFails(t *testing.T) {
	t.Parallel()
	f := newRunFake(t)
	f.startFails = true
	start := time.Now()
	res, err := f.svc.Run(t.Context(), Config{Image: "img"}, WithStdout(io.Discard), RemoveWhenDone())
	if !errors.Is(err, docker.ErrInvalidArgument) || res.ID != "r1" || time.Since(start) > 5*time.Second {
		t.Fatalf("Run = %+v, %v after %v", res, err, time.Since(start))
	}
	got := f.seen()
	if got[len(got)-1] != "remove force=1&v=1" || contains(got, "stop") {
		t.Errorf("calls %v: want a removal and no stop", got)
	}
}

func TestRunCancel(t *testing.T) {
	t.Parallel()
	f := newRunFake(t)
	f.hang = true
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := writerFunc(func(p []byte) (int, error) {
		time.AfterFunc(50*time.Millisecond, cancel) // the container runs: give up on it
		return len(p), nil
	})
	start := time.Now()
	res, err := f.svc.Run(ctx, Config{Image: "img"}, WithStdout(out), RemoveWhenDone())
	if !errors.Is(err, context.Canceled) || res.ID != "r1" {
		t.Fatalf("Run = %+v, %v; want context.Canceled", res, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Run returned %v after the cancel", d)
	}
	got := f.seen()
	if !contains(got, "stop") || got[len(got)-1] != "remove force=1&v=1" {
		t.Errorf("calls %v: want the container stopped and removed", got)
	}
}

// TestRunBlockedStdin checks that Run returns when the container exits
// even though stdin's Read still blocks.
func TestRunBlockedStdin(t *testing.T) {
	t.Parallel()
	f := newRunFake(t)
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.Close() }) // lets the abandoned Read return
	f.quick = true
	done := make(chan error, 1)
	go func() {
		res, err := f.svc.Run(t.Context(), Config{Image: "img"}, WithStdin(pr), WithStdout(io.Discard))
		if err == nil && res.StatusCode != 3 {
			err = errors.New("wrong status")
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run waited for a blocked stdin")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
