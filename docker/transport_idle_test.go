package docker_test

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
)

// idleCloser is an httptest server, plain or TLS, that closes connections
// idle for 100 ms, as daemons behind proxies and load balancers do.
func idleCloser(t *testing.T, useTLS bool) (opts []docker.Option, closed *atomic.Int64) {
	closed = new(atomic.Int64)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"Id":"x"}`)
	}))
	srv.Config.IdleTimeout = 100 * time.Millisecond
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed.Add(1)
		}
	}
	opts = []docker.Option{docker.WithHost("tcp://" + srv.Listener.Addr().String())}
	if useTLS {
		srv.StartTLS()
		roots := x509.NewCertPool()
		roots.AddCert(srv.Certificate())
		opts = append(opts, docker.WithTLSConfig(&tls.Config{RootCAs: roots}))
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return opts, closed
}

// reuseCalls are requests of each kind that must survive a connection the
// daemon closed while it sat idle in the pool: a GET, a POST without a body
// and a POST with a JSON body.
var reuseCalls = []struct {
	name string
	do   func(t *testing.T, cli *docker.Client) error
}{
	{"GET", func(t *testing.T, cli *docker.Client) error {
		_, err := getBody(testContext(t), cli, "/containers/x/json")
		return err
	}},
	{"POST start", func(t *testing.T, cli *docker.Client) error {
		return container.New(cli).Start(testContext(t), "x")
	}},
	{"POST JSON", func(t *testing.T, cli *docker.Client) error {
		var out struct {
			ID string `json:"Id"`
		}
		return cli.DoJSON(testContext(t), &docker.Request{
			Method: http.MethodPost, Path: "/containers/create", JSON: map[string]string{"Image": "app"},
		}, &out)
	}},
}

// A connection the daemon closed while it sat idle in the pool is dead: the
// next call, of any kind, goes out on a new one (over TCP and TLS).
func TestTransportIdleConnectionClosedByServer(t *testing.T) {
	t.Parallel()
	for _, useTLS := range []bool{false, true} {
		for _, call := range reuseCalls {
			name := "tcp/" + call.name
			if useTLS {
				name = "tls/" + call.name
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				opts, closed := idleCloser(t, useTLS)
				cli, err := docker.New(append(opts, docker.WithAPIVersion("1.41"))...)
				if err != nil {
					t.Fatal(err)
				}
				defer cli.Close()
				for i := range 3 {
					if i > 0 {
						time.Sleep(300 * time.Millisecond) // the server closes the idle connection meanwhile
					}
					if err := call.do(t, cli); err != nil {
						t.Errorf("call %d: %v", i+1, err)
					}
				}
				if closed.Load() == 0 {
					t.Fatal("the server closed no idle connection: the test did not test")
				}
			})
		}
	}
}

// A daemon that restarts closes every connection; the pooled ones are dead
// and the next request of any kind must go out on a new one.
func TestTransportDaemonRestart(t *testing.T) {
	t.Parallel()
	for _, call := range reuseCalls {
		t.Run(call.name, func(t *testing.T) {
			t.Parallel()
			ln := listen(t, "unix")
			path := ln.Addr().String()
			first := serveScript(t, ln, answerAll)
			cli := newClient(t, first.host())
			if _, err := getBody(testContext(t), cli, "/containers/x/json"); err != nil {
				t.Fatal(err)
			}
			first.Close() // listener and connections: the pooled connection is dead
			ln2, err := net.Listen("unix", path)
			if err != nil {
				t.Fatal(err)
			}
			second := serveScript(t, ln2, answerAll)
			if err := call.do(t, cli); err != nil {
				t.Errorf("after the restart: %v", err)
			}
			if n := second.accepted.Load(); n != 1 {
				t.Errorf("the restarted daemon accepted %d connections, want 1", n)
			}
		})
	}
}
