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

// execFake serves one exec instance "e1" in container "c": its session
// echoes stdin to stdout (framed unless tty), writes "bye" to stderr and
// ends; inspect reports it running for the first runningInspects calls
// (the daemon records the exit a moment after the output ends), then
// exited with status 5.
type execFake struct {
	*fake
	mu              sync.Mutex
	createBody      string
	startBody       string
	calls           []string
	runningInspects int
	hang            bool // the session does not end by itself (for 5 s)
}

func newExecFake(t *testing.T, version string, tty bool) *execFake {
	f := &execFake{fake: setupVersion(t, version)}
	note := func(s string) {
		f.mu.Lock()
		f.calls = append(f.calls, s)
		f.mu.Unlock()
	}
	f.handle("POST /containers/c/exec", func(w http.ResponseWriter, r *http.Request) {
		note("create")
		f.createBody = strings.TrimSpace(readAll(r))
		writeJSON(w, 201, `{"Id":"e1"}`)
	})
	f.handle("POST /exec/e1/start", func(w http.ResponseWriter, r *http.Request) {
		note("start")
		f.startBody = strings.TrimSpace(readAll(r))
		hijack(t, stream.RawContentType, func(conn net.Conn, in *bufio.Reader) {
			if f.hang {
				// Read stdin to its end, then keep writing output until
				// the client leaves (bounded to 5 s).
				_, _ = io.Copy(io.Discard, in)
				for range 500 {
					if _, err := stream.NewWriter(conn, stream.Stdout).Write([]byte(".")); err != nil {
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
				return
			}
			if !strings.Contains(f.createBody, `"AttachStdin":true`) {
				in = bufio.NewReader(strings.NewReader("")) // the process has no stdin
			}
			echoSession(!tty)(conn, in)
		})(w, r)
	})
	f.handle("GET /exec/e1/json", func(w http.ResponseWriter, r *http.Request) {
		note("inspect")
		f.mu.Lock()
		running := f.runningInspects > 0
		f.runningInspects--
		f.mu.Unlock()
		if running {
			writeJSON(w, 200, `{"ID":"e1","Running":true,"ExitCode":0}`)
			return
		}
		writeJSON(w, 200, `{"ID":"e1","Running":false,"ExitCode":5}`)
	})
	return f
}

func (f *execFake) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func TestExecHelper(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		version    string
		cfg        ExecConfig
		stdin      bool
		opts       []ExecOption
		running    int // inspects that still see the process running
		wantCreate string
		wantStart  string
		wantOut    string
		wantErr    string
		wantCalls  []string
	}{
		{
			name: "stdin and output", version: "1.41", cfg: ExecConfig{Cmd: []string{"cat"}, Env: []string{"A=1"}}, stdin: true,
			wantCreate: `{"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"Env":["A=1"],"Cmd":["cat"]}`,
			wantStart:  `{"Detach":false,"Tty":false}`,
			wantOut:    "hello", wantErr: "bye",
			wantCalls: []string{"create", "start", "inspect"},
		},
		{
			name: "exit recorded late", version: "1.41", cfg: ExecConfig{Cmd: []string{"cat"}}, stdin: true, running: 2,
			wantCreate: `{"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"Cmd":["cat"]}`,
			wantStart:  `{"Detach":false,"Tty":false}`,
			wantOut:    "hello", wantErr: "bye",
			wantCalls: []string{"create", "start", "inspect", "inspect", "inspect"},
		},
		{
			name: "no stdin", version: "1.41", cfg: ExecConfig{Cmd: []string{"true"}, AttachStdin: true},
			wantCreate: `{"AttachStdout":true,"AttachStderr":true,"Cmd":["true"]}`,
			wantStart:  `{"Detach":false,"Tty":false}`,
			wantErr:    "bye",
			wantCalls:  []string{"create", "start", "inspect"},
		},
		{
			name: "tty with console size", version: "1.44", cfg: ExecConfig{Cmd: []string{"sh"}, Tty: true}, stdin: true,
			opts:       []ExecOption{ConsoleSize(24, 80)},
			wantCreate: `{"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"Tty":true,"Cmd":["sh"]}`,
			wantStart:  `{"Detach":false,"Tty":true,"ConsoleSize":[24,80]}`,
			wantOut:    "hellobye",
			wantCalls:  []string{"create", "start", "inspect"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newExecFake(t, tc.version, tc.cfg.Tty)
			f.runningInspects = tc.running
			var out, errOut bytes.Buffer
			opts := append([]ExecOption{WithStdout(&out), WithStderr(&errOut)}, tc.opts...)
			if tc.stdin {
				opts = append(opts, WithStdin(strings.NewReader("hello")))
			}
			res, err := f.svc.Exec(t.Context(), "c", tc.cfg, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(ExecResult{ID: "e1", ExitCode: 5}, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if out.String() != tc.wantOut || errOut.String() != tc.wantErr {
				t.Errorf("stdout %q stderr %q, want %q %q", out.String(), errOut.String(), tc.wantOut, tc.wantErr)
			}
			if f.createBody != tc.wantCreate {
				t.Errorf("create body %s, want %s", f.createBody, tc.wantCreate)
			}
			if f.startBody != tc.wantStart {
				t.Errorf("start body %s, want %s", f.startBody, tc.wantStart)
			}
			if diff := cmp.Diff(tc.wantCalls, f.seen()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExecEnds checks how Exec ends without an exit code: ctx cancelled
// while the process runs (promptly, naming the exec), a container the
// daemon does not know, a daemon too old for ConsoleSize, and an empty
// command.
func TestExecEnds(t *testing.T) {
	t.Parallel()
	t.Run("cancel", func(t *testing.T) {
		t.Parallel()
		f := newExecFake(t, "1.41", false)
		f.hang = true
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		res, err := f.svc.Exec(ctx, "c", ExecConfig{Cmd: []string{"sleep"}}, WithStdout(io.Discard))
		if !errors.Is(err, context.Canceled) || time.Since(start) > 3*time.Second {
			t.Fatalf("Exec after cancel = %+v, %v after %v", res, err, time.Since(start))
		}
		if want := "docker: exec e1 in container c: "; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q does not start with %q", err, want)
		}
		if res.ID != "e1" {
			t.Errorf("result %+v does not name the exec", res)
		}
	})
	t.Run("unknown container", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.handle("POST /containers/nope/exec", func(w http.ResponseWriter, r *http.Request) {
			writeError(w, 404, "No such container: nope")
		})
		if _, err := f.svc.Exec(t.Context(), "nope", ExecConfig{Cmd: []string{"true"}}); !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("console size on 1.41", func(t *testing.T) {
		t.Parallel()
		f := newExecFake(t, "1.41", true)
		_, err := f.svc.Exec(t.Context(), "c", ExecConfig{Cmd: []string{"sh"}, Tty: true}, ConsoleSize(24, 80))
		if !isVersionErr(err) {
			t.Errorf("err = %v, want docker.ErrVersion", err)
		}
		if diff := cmp.Diff([]string(nil), f.seen()); diff != "" {
			t.Errorf("calls made (-want +got):\n%s", diff)
		}
	})
	t.Run("empty command", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		if _, err := f.svc.Exec(t.Context(), "c", ExecConfig{}); err == nil || f.requests.Load() != 0 {
			t.Errorf("err = %v after %d requests, want a local error", err, f.requests.Load())
		}
	})
}
