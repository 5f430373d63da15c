package docker

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"golang.org/x/net/nettest"
)

// fake is a daemon stand-in served over a real unix socket, so the unix dial
// path is exercised. Its mux answers /_ping with apiVersion unless a test
// registers its own handler.
type fake struct {
	srv   *httptest.Server
	mux   *http.ServeMux
	host  string // unix://...
	pings atomic.Int64
}

func newFake(t *testing.T, apiVersion string) *fake {
	t.Helper()
	l, err := nettest.NewLocalListener("unix")
	if err != nil {
		t.Fatal(err)
	}
	f := &fake{mux: http.NewServeMux()}
	f.mux.HandleFunc("/_ping", func(w http.ResponseWriter, r *http.Request) {
		f.pings.Add(1)
		w.Header().Set("API-Version", apiVersion)
		w.Header().Set("OSType", "linux")
		w.Header().Set("Docker-Experimental", "false")
		w.Header().Set("Builder-Version", "2")
		w.Header().Set("Swarm", "active/manager")
		if r.Method == http.MethodGet {
			_, _ = w.Write([]byte("OK"))
		}
	})
	f.srv = httptest.NewUnstartedServer(f.mux)
	f.srv.Listener.Close()
	f.srv.Listener = l
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	f.host = "unix://" + l.Addr().String()
	return f
}

// client returns a Client for the fake with extra options.
func (f *fake) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	c, err := New(append([]Option{WithHost(f.host)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
