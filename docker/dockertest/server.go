package dockertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/berth-go/berth/docker"
)

// Server is a fake Engine. It is safe for concurrent use. Close it when
// done (NewServer does that when the test ends).
type Server struct {
	cfg     config
	tcp     *httptest.Server
	unix    *httptest.Server // nil with WithoutUnixSocket
	socket  string
	sockDir string
	cli     *docker.Client

	done      chan struct{} // closed by Close: streaming handlers end
	closeOnce sync.Once

	router router
	faults faults
	events events

	mu       sync.Mutex // guards requests and the state below
	requests []Request
	state    *state
}

// NewServer starts a fake Engine for t and closes it when t ends. It fails
// t if the server cannot start.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a fake Engine outside a test. The caller must Close it.
func Start(opts ...Option) (*Server, error) {
	s := &Server{cfg: config{apiVersion: defaultAPIVersion}, done: make(chan struct{})}
	for _, o := range opts {
		if err := o(&s.cfg); err != nil {
			return nil, err
		}
	}
	s.state = newState()
	s.routes()
	s.tcp = httptest.NewServer(s)
	host := s.tcp.URL
	if !s.cfg.noUnix {
		dir, err := os.MkdirTemp("", "dockertest-")
		if err != nil {
			s.tcp.Close()
			return nil, err
		}
		s.sockDir = dir
		s.socket = filepath.Join(dir, "docker.sock")
		l, err := net.Listen("unix", s.socket)
		if err != nil {
			s.tcp.Close()
			os.RemoveAll(dir)
			return nil, fmt.Errorf("dockertest: listening on a unix socket: %w", err)
		}
		s.unix = httptest.NewUnstartedServer(s)
		s.unix.Listener.Close()
		s.unix.Listener = l
		s.unix.Start()
		host = "unix://" + s.socket
	}
	cli, err := docker.New(docker.WithHost(host))
	if err != nil {
		s.Close()
		return nil, err
	}
	s.cli = cli
	return s, nil
}

// URL is the fake's TCP address, e.g. "http://127.0.0.1:34567"; it works as
// a host for docker.WithHost.
func (s *Server) URL() string { return s.tcp.URL }

// Socket is the path of the fake's unix socket ("" with WithoutUnixSocket).
func (s *Server) Socket() string { return s.socket }

// Host is the address Client uses: the unix socket when there is one.
func (s *Server) Host() string {
	if s.socket != "" {
		return "unix://" + s.socket
	}
	return s.tcp.URL
}

// Client returns a client pointed at the fake (over its unix socket when
// there is one). It negotiates the version like any client.
func (s *Server) Client() *docker.Client { return s.cli }

// APIVersion is the version the fake advertises.
func (s *Server) APIVersion() string { return s.cfg.apiVersion }

// Close stops the fake. Streams still open (events, logs, attach) end, so
// a test that forgot to close one does not hang Close.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		if s.cli != nil {
			s.cli.Close()
		}
		s.mu.Lock() // background work (swarm tasks) may still change the state
		s.state.stopAll()
		s.mu.Unlock()
		if s.unix != nil {
			s.unix.CloseClientConnections()
			s.unix.Close()
		}
		s.tcp.CloseClientConnections()
		s.tcp.Close()
		if s.sockDir != "" {
			os.RemoveAll(s.sockDir)
		}
	})
}

// ServeHTTP answers one request: version check, recording, faults, route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	version, path, ok := splitVersion(r.URL.EscapedPath())
	if !ok {
		writeError(w, http.StatusBadRequest, "malformed version in path "+r.URL.Path)
		return
	}
	pathVersion := version
	if version != "" {
		if docker.CompareVersions(version, s.cfg.apiVersion) > 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("client version %s is too new. Maximum supported API version is %s", version, s.cfg.apiVersion))
			return
		}
		if docker.CompareVersions(version, minAPIVersion) < 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("client version %s is too old. Minimum supported API version is %s, please upgrade your client to a newer version", version, minAPIVersion))
			return
		}
	} else {
		version = s.cfg.apiVersion
	}
	rt, p := s.router.match(r.Method, path)
	op := ""
	if rt != nil {
		op = rt.op
	}
	unescaped := path
	if u, err := url.PathUnescape(path); err == nil {
		unescaped = u
	}
	s.record(r, pathVersion, unescaped, op)
	s.setHeaders(w)
	if rt == nil {
		writeError(w, http.StatusNotImplemented, fmt.Sprintf("dockertest: %s %s is not implemented by the fake Engine", r.Method, unescaped))
		return
	}
	if f, ok := s.faults.take(rt); ok {
		var cont bool
		if w, cont = f.apply(w, r, s.done); !cont {
			return
		}
	}
	ctx := context.WithValue(r.Context(), versionKey{}, version)
	rt.h(w, r.WithContext(ctx), p)
}

type versionKey struct{}

// requestVersion is the API version a request speaks.
func requestVersion(r *http.Request) string {
	v, _ := r.Context().Value(versionKey{}).(string)
	return v
}

// atLeast reports whether the request speaks version v or newer: what the
// API changelog lists as a change of version v applies to it.
func atLeast(r *http.Request, v string) bool {
	return docker.CompareVersions(requestVersion(r), v) >= 0
}

// engineAtLeast reports whether the Engine the fake plays, the one whose
// newest API is the version the fake advertises, is at least the Engine
// that brought API v. It decides what Engines changed without a version
// gate (the changelog's "unversioned" entries, messages reworded): a real
// Engine does that for every request, whatever version its path names. A
// client that negotiates gets the advertised version, so for it the two
// kinds of change agree.
func (s *Server) engineAtLeast(v string) bool {
	return docker.CompareVersions(s.cfg.apiVersion, v) >= 0
}

func (s *Server) setHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("API-Version", s.cfg.apiVersion)
	h.Set("Server", "Docker/dockertest (linux)")
	h.Set("OSType", "linux")
	h.Set("Docker-Experimental", "false")
}

// splitVersion splits "/v1.41/containers/json" into "1.41" and
// "/containers/json". ok is false for a "/vX" prefix that is not a version.
func splitVersion(p string) (version, rest string, ok bool) {
	v := versionOf(p)
	if v == "" {
		return "", p, true
	}
	version = strings.TrimPrefix(v, "v")
	if !validVersion(version) {
		return "", "", false
	}
	return version, strings.TrimPrefix(p, "/"+v), true
}

// versionOf returns "v1.41" when p starts with "/v1.41/", else "".
func versionOf(p string) string {
	seg, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if len(seg) > 1 && seg[0] == 'v' && seg[1] >= '0' && seg[1] <= '9' {
		return seg
	}
	return ""
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with the Engine's JSON error shape.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

// decodeBody reads a JSON request body into v, answering 400 on failure.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON: "+err.Error())
		return false
	}
	return true
}
