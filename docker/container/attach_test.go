package container

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/berth-go/berth/stream"
	"github.com/google/go-cmp/cmp"
)

func TestAttach(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		version     string
		tty         bool
		contentType string
		opts        []AttachOption
		wantQuery   url.Values
		wantInspect int64
		wantOut     string
		wantErr     string
	}{
		{
			name: "1.41/multiplexed", version: "1.41", contentType: stream.RawContentType,
			opts:        []AttachOption{Stdin(), Stdout(), Stderr(), DetachKeys("ctrl-x")},
			wantQuery:   url.Values{"stdin": {"1"}, "stdout": {"1"}, "stderr": {"1"}, "stream": {"1"}, "detachKeys": {"ctrl-x"}},
			wantInspect: 1, wantOut: "hello", wantErr: "bye",
		},
		{
			name: "1.41/tty", version: "1.41", tty: true, contentType: stream.RawContentType,
			opts:        []AttachOption{Stdin(), Logs(), Stream()},
			wantQuery:   url.Values{"stdin": {"1"}, "stdout": {"1"}, "stderr": {"1"}, "logs": {"1"}, "stream": {"1"}},
			wantInspect: 1, wantOut: "hellobye",
		},
		{
			name: "1.41/told", version: "1.41", contentType: stream.RawContentType,
			opts:      []AttachOption{TTY(false), Stdin(), Stdout(), Stderr()},
			wantQuery: url.Values{"stdin": {"1"}, "stdout": {"1"}, "stderr": {"1"}, "stream": {"1"}},
			wantOut:   "hello", wantErr: "bye",
		},
		{
			name: "1.44/content-type", version: "1.44", contentType: stream.MultiplexedContentType,
			opts:      []AttachOption{Stdin(), Stdout(), Stderr()},
			wantQuery: url.Values{"stdin": {"1"}, "stdout": {"1"}, "stderr": {"1"}, "stream": {"1"}},
			wantOut:   "hello", wantErr: "bye",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setupVersion(t, tc.version)
			var inspects int64
			f.inspectTTY("c", tc.tty, &inspects)
			var query url.Values
			f.handle("POST /containers/c/attach", func(w http.ResponseWriter, r *http.Request) {
				query = r.URL.Query()
				hijack(t, tc.contentType, echoSession(!tc.tty))(w, r)
			})
			conn, err := f.svc.Attach(t.Context(), "c", tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Write([]byte("hello")); err != nil {
				t.Fatal(err)
			}
			if err := conn.CloseWrite(); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			if _, err := conn.Demux(&out, &errOut); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.wantOut || errOut.String() != tc.wantErr {
				t.Errorf("stdout %q stderr %q, want %q %q", out.String(), errOut.String(), tc.wantOut, tc.wantErr)
			}
			if inspects != tc.wantInspect {
				t.Errorf("%d inspects, want %d", inspects, tc.wantInspect)
			}
			if diff := cmp.Diff(tc.wantQuery, query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAttachDefaults checks the streams Attach asks for: both output
// streams unless Stdout or Stderr picks one, whatever else is chosen, and
// the live output unless Logs or Stream is given.
func TestAttachDefaults(t *testing.T) {
	t.Parallel()
	both := func(extra url.Values) url.Values {
		q := url.Values{"stdout": {"1"}, "stderr": {"1"}}
		for k, v := range extra {
			q[k] = v
		}
		return q
	}
	for _, tc := range []struct {
		name string
		opts []AttachOption
		want url.Values
	}{
		{"none", nil, both(url.Values{"stream": {"1"}})},
		{"stdin", []AttachOption{Stdin()}, both(url.Values{"stdin": {"1"}, "stream": {"1"}})},
		{"logs", []AttachOption{Logs()}, both(url.Values{"logs": {"1"}})},
		{"detach keys", []AttachOption{DetachKeys("ctrl-x")}, both(url.Values{"stream": {"1"}, "detachKeys": {"ctrl-x"}})},
		{"stdin and logs", []AttachOption{Stdin(), Logs(), Stream()}, both(url.Values{"stdin": {"1"}, "logs": {"1"}, "stream": {"1"}})},
		{"stdout only", []AttachOption{Stdout()}, url.Values{"stdout": {"1"}, "stream": {"1"}}},
		{"stdin and stderr", []AttachOption{Stdin(), Stderr()}, url.Values{"stdin": {"1"}, "stderr": {"1"}, "stream": {"1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			var query url.Values
			f.handle("POST /containers/c/attach", func(w http.ResponseWriter, r *http.Request) {
				query = r.URL.Query()
				hijack(t, "", func(conn net.Conn, in *bufio.Reader) {})(w, r)
			})
			conn, err := f.svc.Attach(t.Context(), "c", append([]AttachOption{TTY(true)}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			conn.Close()
			if diff := cmp.Diff(tc.want, query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExec(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		tty       bool
		opts      []ExecStartOption
		wantBody  string
		inspected bool
		wantOut   string
		wantErr   string
	}{
		{name: "multiplexed", wantBody: `{"Detach":false,"Tty":false}`, inspected: true, wantOut: "hello", wantErr: "bye"},
		{name: "tty", tty: true, wantBody: `{"Detach":false,"Tty":true}`, inspected: true, wantOut: "hellobye"},
		{name: "told", tty: true, opts: []ExecStartOption{TTY(true)}, wantBody: `{"Detach":false,"Tty":true}`, wantOut: "hellobye"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			var createBody, startBody string
			inspected := false
			f.handle("POST /containers/c/exec", func(w http.ResponseWriter, r *http.Request) {
				createBody = readAll(r)
				writeJSON(w, 201, `{"Id":"e1"}`)
			})
			f.handle("GET /exec/e1/json", func(w http.ResponseWriter, r *http.Request) {
				inspected = true
				if tc.tty {
					writeJSON(w, 200, `{"ID":"e1","ProcessConfig":{"tty":true}}`)
				} else {
					writeJSON(w, 200, `{"ID":"e1","ProcessConfig":{"tty":false}}`)
				}
			})
			f.handle("POST /exec/e1/start", func(w http.ResponseWriter, r *http.Request) {
				startBody = readAll(r)
				hijack(t, stream.RawContentType, echoSession(!tc.tty))(w, r)
			})
			id, err := f.svc.ExecCreate(t.Context(), "c", ExecConfig{Cmd: []string{"cat"}, AttachStdin: true, AttachStdout: true, Tty: tc.tty})
			if err != nil || id != "e1" {
				t.Fatalf("ExecCreate = %q, %v", id, err)
			}
			conn, err := f.svc.ExecStart(t.Context(), id, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_, _ = conn.Write([]byte("hello"))
			if err := conn.CloseWrite(); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			if _, err := conn.Demux(&out, &errOut); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.wantOut || errOut.String() != tc.wantErr {
				t.Errorf("stdout %q stderr %q, want %q %q", out.String(), errOut.String(), tc.wantOut, tc.wantErr)
			}
			if strings.TrimSpace(startBody) != tc.wantBody || inspected != tc.inspected {
				t.Errorf("start body %s (want %s), inspected %v (want %v)", startBody, tc.wantBody, inspected, tc.inspected)
			}
			wantCreate := `{"AttachStdin":true,"AttachStdout":true,"Cmd":["cat"]}`
			if tc.tty {
				wantCreate = `{"AttachStdin":true,"AttachStdout":true,"Tty":true,"Cmd":["cat"]}`
			}
			if strings.TrimSpace(createBody) != wantCreate {
				t.Errorf("create body %s, want %s", createBody, wantCreate)
			}
		})
	}
}

func TestExecDetachedResizeInspect(t *testing.T) {
	t.Parallel()
	f := setupVersion(t, "1.44")
	var rec recorder
	rec.serve(f, 200, `{"ID":"e1","Running":false,"ExitCode":3,"Pid":42,"ContainerID":"c","ProcessConfig":{"entrypoint":"sh","arguments":["-c","exit 3"],"tty":false,"privileged":false,"user":""},"OpenStdin":false,"OpenStdout":true,"OpenStderr":true,"CanRemove":false,"DetachKeys":""}`)
	ctx := t.Context()
	if err := f.svc.ExecStartDetached(ctx, "e1", ConsoleSize(24, 80)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(recorded{Method: "POST", Path: "/exec/e1/start", Query: url.Values{}, Body: `{"Detach":true,"Tty":false,"ConsoleSize":[24,80]}`}, rec.last(t)); diff != "" {
		t.Errorf("start (-want +got):\n%s", diff)
	}
	if err := f.svc.ExecResize(ctx, "e1", 24, 80); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(recorded{Method: "POST", Path: "/exec/e1/resize", Query: url.Values{"h": {"24"}, "w": {"80"}}}, rec.last(t)); diff != "" {
		t.Errorf("resize (-want +got):\n%s", diff)
	}
	d, err := f.svc.ExecInspect(ctx, "e1")
	if err != nil {
		t.Fatal(err)
	}
	want := ExecDetails{ID: "e1", ExitCode: 3, Pid: 42, ContainerID: "c", OpenStdout: true, OpenStderr: true,
		ProcessConfig: ExecProcess{Entrypoint: "sh", Arguments: []string{"-c", "exit 3"}}}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("inspect (-want +got):\n%s", diff)
	}
	if _, err := f.svc.ExecCreate(ctx, "c", ExecConfig{}); err == nil {
		t.Error("ExecCreate with an empty Cmd: no error")
	}
}

func readAll(r *http.Request) string {
	var b bytes.Buffer
	_, _ = b.ReadFrom(r.Body)
	return b.String()
}
