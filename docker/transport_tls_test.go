package docker_test

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
)

// A TLS configuration may offer h2 (one shared with other clients, say), and
// a daemon behind a TLS terminator may accept it. The Client speaks HTTP/1.1
// (attach and exec hijack the connection), so it must offer only that.
func TestTransportTLSWithH2Server(t *testing.T) {
	t.Parallel()
	var hijacked sync.WaitGroup // hijacked handlers outlive srv.Close
	t.Cleanup(hijacked.Wait)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/_ping":
			w.Header().Set("API-Version", "1.41")
			_, _ = io.WriteString(w, "OK")
		case "/v1.41/containers/x/attach":
			hijacked.Add(1)
			defer hijacked.Done()
			echoHijacked(t, w, r)
		default:
			_, _ = io.WriteString(w, `{"Id":"x"}`)
		}
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // an HTTP/1.1 request on h2 is logged
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	cli := newClient(t, "tcp://"+srv.Listener.Addr().String(),
		docker.WithTLSConfig(&tls.Config{RootCAs: roots, NextProtos: []string{"h2", "http/1.1"}}))
	ctx := testContext(t)

	if _, err := cli.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if got, err := getBody(ctx, cli, "/containers/x/json"); err != nil || got != `{"Id":"x"}` {
		t.Errorf("GET: %q, %v", got, err)
	}
	conn, err := cli.Hijack(ctx, &docker.Request{Method: http.MethodPost, Path: "/containers/x/attach"}, true)
	if err != nil {
		t.Fatalf("Hijack: %v", err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "ping"); err != nil {
		t.Fatal(err)
	}
	if err := conn.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(conn); err != nil || string(got) != "ping" {
		t.Errorf("the hijacked connection echoed %q, %v", got, err)
	}
}

// echoHijacked takes over an HTTP/1.1 request's connection as the daemon's
// attach does, and echoes what the client sends until it half-closes.
func echoHijacked(t *testing.T, w http.ResponseWriter, r *http.Request) {
	nc, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack (the request came over %s): %v", r.Proto, err)
		return
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(connTimeout))
	if _, err := io.WriteString(nc, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"+
		"Content-Type: application/vnd.docker.raw-stream\r\n\r\n"); err != nil {
		return
	}
	in, _ := io.ReadAll(rw.Reader)
	_, _ = nc.Write(in)
}
