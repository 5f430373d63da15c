// Package fakeapi is the unit tests' stand-in for a daemon: an httptest
// server on a real unix socket (so the unix dial path is exercised) that
// answers /_ping with a chosen API version, records every other request, and
// serves what each test registers on its Mux.
package fakeapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/nettest"

	"github.com/berth-go/berth/docker"
)

// Server is the fake daemon. Register handlers on Mux.
type Server struct {
	Mux          *http.ServeMux
	version      string
	stripVersion bool

	mu   sync.Mutex
	seen []Request
}

// Request is what a handler received.
type Request struct {
	Method string
	Path   string // escaped, as sent (without "/vX.Y" with StripVersion)
	Query  url.Values
	Header http.Header
	Body   string
}

// Option configures New.
type Option func(*Server)

// StripVersion records paths without their "/vX.Y" prefix.
func StripVersion() Option { return func(s *Server) { s.stripVersion = true } }

// New starts a fake speaking API version and returns a client for it; both
// are closed when t ends.
func New(t *testing.T, version string, opts ...Option) (*docker.Client, *Server) {
	t.Helper()
	l, err := nettest.NewLocalListener("unix")
	if err != nil {
		t.Fatal(err)
	}
	f := &Server{Mux: http.NewServeMux(), version: version}
	for _, o := range opts {
		o(f)
	}
	srv := httptest.NewUnstartedServer(f)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	cli, err := docker.New(docker.WithHost("unix://" + l.Addr().String()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli, f
}

// ServeHTTP answers /_ping itself and records everything else.
func (f *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_ping" {
		w.Header().Set("API-Version", f.version)
		w.Header().Set("OSType", "linux")
		_, _ = io.WriteString(w, "OK")
		return
	}
	body, _ := io.ReadAll(r.Body)
	path := r.URL.EscapedPath()
	if f.stripVersion {
		path = strings.TrimPrefix(path, "/v"+f.version)
	}
	f.mu.Lock()
	f.seen = append(f.seen, Request{Method: r.Method, Path: path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: string(body)})
	f.mu.Unlock()
	f.Mux.ServeHTTP(w, r)
}

// Requests returns the requests seen so far (pings excluded).
func (f *Server) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.seen...)
}

// Last returns the last request seen, failing the test when there is none.
func (f *Server) Last(t *testing.T) Request {
	t.Helper()
	seen := f.Requests()
	if len(seen) == 0 {
		t.Fatal("no request reached the fake")
	}
	return seen[len(seen)-1]
}

// Reply answers every request on pattern with status and body (JSON unless
// body is a string or bytes).
func (f *Server) Reply(pattern string, status int, body any) {
	f.Mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		WriteReply(w, status, body)
	})
}

// WriteReply writes status and body (JSON unless a string or bytes).
func WriteReply(w http.ResponseWriter, status int, body any) {
	var b []byte
	switch v := body.(type) {
	case nil:
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		b, _ = json.Marshal(v)
	}
	if len(b) > 0 {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// Version is the API version the fake advertises.
func (f *Server) Version() string { return f.version }
