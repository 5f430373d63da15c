package container

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/net/nettest"

	"github.com/berth-go/berth/docker"
)

// fake is a daemon stand-in served over a real unix socket, so the unix
// dial path is exercised. It answers /_ping with its API version; tests
// register their handlers on mux with full versioned patterns, or use
// handle for version-independent ones.
type fake struct {
	srv      *httptest.Server
	mux      *http.ServeMux
	version  string
	requests atomic.Int64 // requests other than /_ping
	podman   atomic.Bool  // answer as Podman does: Libpod-Api-Version on every response
	svc      *Service
	cli      *docker.Client
}

// setup starts a fake daemon speaking API 1.41 (the real Engine here).
func setup(t *testing.T) *fake { return setupVersion(t, "1.41") }

// setupVersion starts a fake daemon speaking API version v.
func setupVersion(t *testing.T, v string) *fake {
	t.Helper()
	l, err := nettest.NewLocalListener("unix")
	if err != nil {
		t.Fatal(err)
	}
	f := &fake{mux: http.NewServeMux(), version: v}
	f.mux.HandleFunc("/_ping", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", v)
		w.Header().Set("OSType", "linux")
		_, _ = w.Write([]byte("OK"))
	})
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_ping" {
			f.requests.Add(1)
		}
		if f.podman.Load() {
			w.Header().Set("Libpod-Api-Version", "5.4.0")
		}
		f.mux.ServeHTTP(w, r)
	})
	f.srv = httptest.NewUnstartedServer(counted)
	f.srv.Listener.Close()
	f.srv.Listener = l
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	cli, err := docker.New(docker.WithHost("unix://" + l.Addr().String()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	f.cli, f.svc = cli, New(cli)
	return f
}

// handle registers h for "METHOD /path" under the fake's version prefix.
func (f *fake) handle(pattern string, h http.HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		panic("pattern needs a method: " + pattern)
	}
	f.mux.HandleFunc(method+" /v"+f.version+path, h)
}

// writeJSON answers with status and a JSON body.
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// writeError answers like the daemon does for errors.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, `{"message":`+jsonString(msg)+`}`)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func isVersionErr(err error) bool { return errors.Is(err, docker.ErrVersion) }

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}

func isNotFound(err error) bool { return errors.Is(err, docker.ErrNotFound) }
