package container

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/berth-go/berth/stream"
	"github.com/google/go-cmp/cmp"
)

// writeLogs answers a logs request with stdout "out" and stderr "err",
// framed or raw, and the given Content-Type.
func writeLogs(w http.ResponseWriter, contentType string, multiplexed bool) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(200)
	if multiplexed {
		_, _ = stream.NewWriter(w, stream.Stdout).Write([]byte("out"))
		_, _ = stream.NewWriter(w, stream.Stderr).Write([]byte("err"))
		return
	}
	_, _ = w.Write([]byte("out+err"))
}

func TestLogs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		version     string
		tty         bool
		podman      bool
		contentType string
		opts        []LogsOption
		wantInspect int64
		wantOut     string
		wantErr     string
	}{
		{name: "1.41/multiplexed", version: "1.41", contentType: stream.RawContentType, wantInspect: 1, wantOut: "out", wantErr: "err"},
		{name: "1.41/tty", version: "1.41", tty: true, contentType: stream.RawContentType, wantInspect: 1, wantOut: "out+err"},
		{name: "1.41/told", version: "1.41", contentType: stream.RawContentType, opts: []LogsOption{TTY(false)}, wantOut: "out", wantErr: "err"},
		{name: "1.41/told-tty", version: "1.41", tty: true, contentType: stream.RawContentType, opts: []LogsOption{TTY(true)}, wantOut: "out+err"},
		{name: "1.42/multiplexed", version: "1.42", contentType: stream.MultiplexedContentType, wantOut: "out", wantErr: "err"},
		{name: "1.42/raw", version: "1.42", tty: true, contentType: stream.RawContentType, wantOut: "out+err"},
		// Podman labels framed and raw output alike: the TTY flag decides.
		{name: "1.44/podman/multiplexed", version: "1.44", podman: true, contentType: "application/octet-stream", wantInspect: 1, wantOut: "out", wantErr: "err"},
		{name: "1.44/podman/tty", version: "1.44", podman: true, tty: true, contentType: stream.MultiplexedContentType, wantInspect: 1, wantOut: "out+err"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setupVersion(t, tc.version)
			f.podman.Store(tc.podman)
			var inspects int64
			f.inspectTTY("c", tc.tty, &inspects)
			var query url.Values
			f.handle("GET /containers/c/logs", func(w http.ResponseWriter, r *http.Request) {
				query = r.URL.Query()
				writeLogs(w, tc.contentType, !tc.tty)
			})
			r, err := f.svc.Logs(t.Context(), "c", tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var out, errOut bytes.Buffer
			if _, err := r.Demux(&out, &errOut); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.wantOut || errOut.String() != tc.wantErr {
				t.Errorf("stdout %q stderr %q, want %q %q", out.String(), errOut.String(), tc.wantOut, tc.wantErr)
			}
			if r.Multiplexed() == tc.tty {
				t.Errorf("Multiplexed() = %v for tty %v", r.Multiplexed(), tc.tty)
			}
			if inspects != tc.wantInspect {
				t.Errorf("%d inspects, want %d", inspects, tc.wantInspect)
			}
			if diff := cmp.Diff(url.Values{"stdout": {"1"}, "stderr": {"1"}}, query); diff != "" {
				t.Errorf("default query (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLogsQuery(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var query url.Values
	f.handle("GET /containers/c/logs", func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Query()
		writeLogs(w, "", true)
	})
	r, err := f.svc.Logs(t.Context(), "c", TTY(false), Stderr(), Follow(), Timestamps(), LogDetails(), Tail(10),
		Since(time.Unix(100, 5)), Until(time.Unix(200, 0)))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, r)
	r.Close()
	want := url.Values{
		"stderr": {"1"}, "follow": {"1"}, "timestamps": {"1"}, "details": {"1"}, "tail": {"10"},
		"since": {"100.000000005"}, "until": {"200.000000000"},
	}
	if diff := cmp.Diff(want, query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}

// TestLogsFollowCancel checks that cancelling ctx ends a followed stream
// promptly, with an error that says which stream ended and still matches
// context.Canceled.
func TestLogsFollowCancel(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle("GET /containers/c/logs", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		_, _ = stream.NewWriter(w, stream.Stdout).Write([]byte("first"))
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	})
	ctx, cancel := contextWithCancel(t)
	r, err := f.svc.Logs(ctx, "c", TTY(false), Follow())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	buf := make([]byte, 13)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = r.Demux(io.Discard, io.Discard)
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("Demux after cancel: %v after %v", err, time.Since(start))
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is(%v, context.Canceled) = false", err)
	}
	if got, want := err.Error(), "docker: GET /containers/c/logs: context canceled"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}
