package image

import (
	"bytes"
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

// request is what the fake Engine saw of one call.
type request struct {
	Method string
	Path   string // escaped, without the version prefix
	Query  url.Values
	Header http.Header
	Body   string
}

// fake is an Engine stand-in on a real unix socket. Its handler gets every
// request but /_ping; it records each one, with the first MiB of its body.
type fake struct {
	svc *Service
	cli *docker.Client

	mu      sync.Mutex
	reqs    []request
	handler http.HandlerFunc
}

// setup starts a fake Engine speaking apiVersion whose answers come from h
// (nil: 200 with an empty JSON object).
func setup(t *testing.T, apiVersion string, h http.HandlerFunc) *fake {
	t.Helper()
	l, err := nettest.NewLocalListener("unix")
	if err != nil {
		t.Fatal(err)
	}
	f := &fake{handler: h}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_ping" {
			w.Header().Set("API-Version", apiVersion)
			return
		}
		prefix := "/v" + apiVersion
		if !strings.HasPrefix(r.URL.Path, prefix+"/") {
			http.Error(w, `{"message":"unversioned path `+r.URL.Path+`"}`, http.StatusBadRequest)
			return
		}
		// Record the start of the body; the handler still reads all of it.
		head, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
		f.mu.Lock()
		f.reqs = append(f.reqs, request{
			Method: r.Method,
			Path:   strings.TrimPrefix(r.URL.EscapedPath(), prefix),
			Query:  r.URL.Query(),
			Header: r.Header.Clone(),
			Body:   string(head),
		})
		f.mu.Unlock()
		if f.handler == nil {
			_, _ = io.WriteString(w, "{}")
		} else {
			f.handler(w, r)
		}
	}))
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	cli, err := docker.New(docker.WithHost("unix://" + l.Addr().String()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	f.cli, f.svc = cli, New(cli)
	return f
}

// requests returns the requests seen so far.
func (f *fake) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

// last returns the last request; it fails the test when there was none.
func (f *fake) last(t *testing.T) request {
	t.Helper()
	reqs := f.requests()
	if len(reqs) == 0 {
		t.Fatal("no request reached the fake Engine")
	}
	return reqs[len(reqs)-1]
}

// jsonBody answers with a fixed JSON body.
func jsonBody(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}
}

// status answers with an error status and the Engine's error body.
func status(code int, msg string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, `{"message":"`+msg+`"}`)
	}
}

// lines answers with a stream of newline-terminated JSON messages.
func lines(msgs ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		for _, m := range msgs {
			_, _ = io.WriteString(w, m+"\r\n")
		}
	}
}
