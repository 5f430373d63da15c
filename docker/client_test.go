package docker

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/berth-go/berth/internal/httpx"
	"github.com/google/go-cmp/cmp"
)

func TestPathEscapingNeverReachesAnotherEndpoint(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	var hits atomic.Int64
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "unexpected "+r.URL.Path, 418)
	})
	c := f.client(t)
	for _, id := range []string{"../../images/json", "..", ".", "a/../../b", ""} {
		p, err := httpx.Path("/containers/{}/json", "container id", id)
		if err == nil {
			_, err = c.Do(t.Context(), &Request{Path: p})
		}
		if err == nil {
			t.Errorf("id %q: no error", id)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests reached the daemon", n)
	}
	// An id with a slash but no dot element is escaped, not rejected.
	p, err := httpx.Path("/containers/{}/json", "container id", "a/b")
	if err != nil || p != "/containers/a%2Fb/json" {
		t.Errorf("Path(a/b) = %q, %v", p, err)
	}
}

func TestRequestCarriesHeadersAndVersion(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	got := make(chan *http.Request, 1)
	f.mux.HandleFunc("/v1.41/containers/a%2Fb/json", func(w http.ResponseWriter, r *http.Request) {
		got <- r.Clone(context.Background())
		_, _ = w.Write([]byte(`{}`))
	})
	f.mux.HandleFunc("/v1.41/containers/a/b/json", func(w http.ResponseWriter, r *http.Request) {
		got <- r.Clone(context.Background())
		_, _ = w.Write([]byte(`{}`))
	})
	c := f.client(t, WithUserAgent("ci-runner/1.0"), WithHeader("X-Meta", "one"), WithHeader("X-Meta", "two"))
	p, _ := httpx.Path("/containers/{}/json", "id", "a/b")
	if err := c.DoJSON(t.Context(), &Request{Path: p, Query: map[string][]string{"size": {"1"}}}, nil); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if d := cmp.Diff([]string{"one", "two"}, r.Header.Values("X-Meta")); d != "" {
		t.Errorf("X-Meta (-want +got)\n%s", d)
	}
	if ua := r.Header.Get("User-Agent"); ua != "ci-runner/1.0" {
		t.Errorf("User-Agent = %q", ua)
	}
	if r.Host != "docker" {
		t.Errorf("Host = %q, want docker over a unix socket", r.Host)
	}
	if r.URL.RawQuery != "size=1" {
		t.Errorf("query = %q", r.URL.RawQuery)
	}
	if r.URL.EscapedPath() != "/v1.41/containers/a%2Fb/json" {
		t.Errorf("path on the wire = %q", r.URL.EscapedPath())
	}
}

func TestHTTPHostWorksForHTTPTest(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", "1.44")
		_, _ = w.Write([]byte(`{"ID":"abc"}`))
	}))
	t.Cleanup(srv.Close)
	c, err := New(WithHost(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Info(t.Context())
	if err != nil || info.ID != "abc" || c.APIVersion() != "1.44" {
		t.Fatalf("info = %+v, version %s, err %v", info, c.APIVersion(), err)
	}
}

func TestHTTPSHostVerifiesByDefault(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", "1.44")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, err := New(WithHost(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(t.Context()); err == nil {
		t.Fatal("a self-signed server was trusted without configuration")
	}
	c, err = New(WithHost(srv.URL), WithTLSConfig(srv.Client().Transport.(*http.Transport).TLSClientConfig))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(t.Context()); err != nil {
		t.Fatalf("with the server's CA: %v", err)
	}
}

func TestWithTimeoutBoundsCallsNotStreams(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/info", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	f.mux.HandleFunc("/v1.41/events", func(w http.ResponseWriter, r *http.Request) {
		for i := range 3 {
			_, _ = w.Write([]byte(`{"Type":"container","Action":"tick","time":` + string(rune('1'+i)) + `}`))
			w.(http.Flusher).Flush()
			time.Sleep(150 * time.Millisecond)
		}
	})
	c := f.client(t, WithTimeout(100*time.Millisecond))
	start := time.Now()
	_, err := c.Info(t.Context())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Info err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Info took %v with a 100ms timeout", d)
	}
	n := 0
	for _, err := range c.Events(t.Context()) {
		if err != nil {
			t.Fatalf("event stream cut by WithTimeout: %v", err)
		}
		n++
	}
	if n != 3 {
		t.Errorf("got %d events, want 3", n)
	}
}

type countingRT struct {
	rt http.RoundTripper
	n  atomic.Int64
}

func (c *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.rt.RoundTrip(r)
}

func TestWithTransportWraps(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", "1.41")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	rt := &countingRT{rt: http.DefaultTransport}
	c, err := New(WithHost(srv.URL), WithTransport(rt))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Info(t.Context()); err != nil {
		t.Fatal(err)
	}
	if rt.n.Load() != 2 { // _ping + info
		t.Errorf("transport saw %d requests, want 2", rt.n.Load())
	}
}

func TestWithDialerIsUsed(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	sock := strings.TrimPrefix(f.host, "unix://")
	var dials atomic.Int64
	c, err := New(WithHost("tcp://docker.invalid:2375"), WithDialer(func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		if network != "tcp" || addr != "docker.invalid:2375" {
			t.Errorf("dialer got %s %s", network, addr)
		}
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	if dials.Load() == 0 {
		t.Error("custom dialer not used")
	}
}

func TestWithLoggerLogsRequestsNotSecrets(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/auth", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"Status":"Login Succeeded","IdentityToken":"tok-SECRET"}`))
	})
	var buf bytes.Buffer
	c := f.client(t, WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err := c.DoJSON(t.Context(), &Request{Method: "POST", Path: "/auth", JSON: map[string]string{"password": "pw-SECRET"}}, nil); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "path=/auth") || !strings.Contains(out, "status=200") {
		t.Errorf("log lacks the request line:\n%s", out)
	}
	if strings.Contains(out, "SECRET") {
		t.Errorf("log leaks a secret:\n%s", out)
	}
}

func TestCancelledContextReturnsPromptly(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/info", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	c := f.client(t)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Info(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestSharedHeaderStaysClean: plain requests share one header map, so a
// request with its own headers or a JSON body must not leave them behind
// for the next one, however the calls interleave.
func TestSharedHeaderStaysClean(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	type seen struct {
		ct, extra, ua, body string
	}
	got := make(chan seen, 200)
	f.mux.HandleFunc("/v1.41/x", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Header.Get("Content-Type"), r.Header.Get("X-Extra"), r.Header.Get("User-Agent"), string(b)}
		_, _ = w.Write([]byte(`{}`))
	})
	c := f.client(t, WithUserAgent("ua/1"))
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := &Request{Method: http.MethodPost, Path: "/x"}
			switch i % 3 {
			case 1:
				req.JSON = map[string]int{"n": i}
			case 2:
				req.Header = http.Header{"X-Extra": {"yes"}}
			}
			if err := c.DoJSON(t.Context(), req, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	close(got)
	var plain, withJSON, withHeader int
	for s := range got {
		switch {
		case s.ct == "application/json" && s.extra == "" && strings.HasPrefix(s.body, `{"n":`):
			withJSON++
		case s.extra == "yes" && s.ct == "" && s.body == "":
			withHeader++
		case s.ct == "" && s.extra == "" && s.body == "":
			plain++
		default:
			t.Errorf("mixed-up request: %+v", s)
		}
		if s.ua != "ua/1" {
			t.Errorf("User-Agent %q", s.ua)
		}
	}
	if plain != 14 || withJSON != 13 || withHeader != 13 {
		t.Errorf("plain %d, JSON %d, own header %d; want 14, 13, 13", plain, withJSON, withHeader)
	}
	if d := cmp.Diff(http.Header{"User-Agent": {"ua/1"}}, c.baseHeader); d != "" {
		t.Errorf("shared header changed (-want +got)\n%s", d)
	}
}

// TestTLSHandshakeIsBounded: a daemon address that accepts connections but
// never answers the TLS handshake fails the call even without a deadline.
func TestTLSHandshakeIsBounded(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() }) // held open, silent
		}
	}()
	c, err := New(WithHost("tcp://"+l.Addr().String()), WithTLSConfig(&tls.Config{MinVersion: tls.VersionTLS12}), WithAPIVersion("1.41"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.handshakeTimeout = 200 * time.Millisecond
	c.own.TLSHandshakeTimeout = c.handshakeTimeout
	start := time.Now()
	_, err = c.Ping(context.Background())
	if err == nil || !strings.Contains(err.Error(), "TLS handshake") {
		t.Errorf("err = %v, want a TLS handshake error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("returned after %v", d)
	}
}
