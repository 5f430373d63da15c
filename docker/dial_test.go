package docker

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// dialSeen is what a fake daemon saw of a request written on a connection
// from Dial.
type dialSeen struct {
	RequestURI, Host       string
	UserAgent, Extra, Mine string
}

// recordDialed answers 200 and sends what it saw on seen.
func recordDialed(seen chan<- dialSeen) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		seen <- dialSeen{r.RequestURI, r.Host, r.UserAgent(), r.Header.Get("X-Extra"), r.Header.Get("X-Mine")}
	}
}

// roundTripOn writes hreq on the connection and reads the answer's status.
func roundTripOn(t *testing.T, rw io.ReadWriter, hreq *http.Request) int {
	t.Helper()
	if err := hreq.Write(rw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(rw), hreq)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestDialGivesTheClientsRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		opts      []Option
		wantPings int64
		want      dialSeen
	}{
		{"negotiated", nil, 1, dialSeen{
			RequestURI: "/v1.44/containers/c1/attach/ws?stream=1", Host: "docker", UserAgent: DefaultUserAgent, Mine: "m",
		}},
		{"pinned, with headers", []Option{WithAPIVersion("1.41"), WithUserAgent("ua/2"), WithHeader("X-Extra", "e")}, 0, dialSeen{
			RequestURI: "/v1.41/containers/c1/attach/ws?stream=1", Host: "docker", UserAgent: "ua/2", Extra: "e", Mine: "m",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, "1.44")
			seen := make(chan dialSeen, 1)
			f.mux.Handle("GET /{v}/containers/c1/attach/ws", recordDialed(seen))
			c := f.client(t, tc.opts...)
			req := &Request{Path: "/containers/c1/attach/ws", Query: url.Values{"stream": {"1"}}, Header: http.Header{"X-Mine": {"m"}}}
			nc, hreq, err := c.Dial(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			if got := roundTripOn(t, nc, hreq); got != http.StatusOK {
				t.Fatalf("status %d", got)
			}
			if diff := cmp.Diff(tc.want, <-seen); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if got := f.pings.Load(); got != tc.wantPings {
				t.Errorf("%d pings, want %d", got, tc.wantPings)
			}
		})
	}
}

func TestDialTLS(t *testing.T) {
	t.Parallel()
	seen := make(chan dialSeen, 1)
	mux := http.NewServeMux()
	mux.Handle("GET /v1.41/containers/c1/attach/ws", recordDialed(seen))
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, err := New(WithHost(srv.URL), WithAPIVersion("1.41"), WithTLSConfig(srv.Client().Transport.(*http.Transport).TLSClientConfig))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	nc, hreq, err := c.Dial(t.Context(), &Request{Path: "/containers/c1/attach/ws"})
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	tc, ok := nc.(*tls.Conn)
	if !ok || !tc.ConnectionState().HandshakeComplete {
		t.Fatalf("connection %T, want a *tls.Conn with its handshake done", nc)
	}
	if hreq.URL.Scheme != "https" {
		t.Errorf("URL %s, want https", hreq.URL)
	}
	if got := roundTripOn(t, nc, hreq); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if got := (<-seen).RequestURI; got != "/v1.41/containers/c1/attach/ws" {
		t.Errorf("request URI %q", got)
	}
}

func TestDialErrors(t *testing.T) {
	t.Parallel()
	live := newFake(t, "1.41").host
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	for _, tc := range []struct {
		name  string
		host  string
		ctx   context.Context
		check func(error) bool
	}{
		{"no socket", "unix:///nonexistent/berth/docker.sock", t.Context(), func(err error) bool {
			var ue *DaemonUnreachableError
			return errors.As(err, &ue)
		}},
		{"cancelled", live, cancelled, func(err error) bool { return errors.Is(err, context.Canceled) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(WithHost(tc.host), WithAPIVersion("1.41"))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			nc, _, err := c.Dial(tc.ctx, &Request{Path: "/containers/c1/attach/ws"})
			if err == nil {
				nc.Close()
				t.Fatal("no error")
			}
			if !tc.check(err) {
				t.Errorf("err = %v (%T)", err, err)
			}
		})
	}
}

// TestDialIgnoresTimeoutAndBody: WithTimeout bounds calls, not the
// sessions Dial opens, so the request it returns carries no deadline; nor
// does it carry a body, which the caller sends if it wants one.
func TestDialIgnoresTimeoutAndBody(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	c := f.client(t, WithAPIVersion("1.41"), WithTimeout(time.Millisecond))
	for _, req := range []*Request{
		{Path: "/containers/c1/attach/ws"},
		{Path: "/containers/c1/attach/ws", Body: io.NopCloser(strings.NewReader("streamed"))},
		{Path: "/containers/c1/attach/ws", JSON: map[string]int{"a": 1}},
	} {
		nc, hreq, err := c.Dial(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		nc.Close()
		if _, ok := hreq.Context().Deadline(); ok {
			t.Error("the request has a deadline")
		}
		if hreq.Body != nil || hreq.Header.Get("Content-Type") != "" {
			t.Errorf("the request has a body (%T, %q)", hreq.Body, hreq.Header.Get("Content-Type"))
		}
	}
}
