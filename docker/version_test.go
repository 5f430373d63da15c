package docker

import (
	"errors"
	"net/http"
	"sync"
	"testing"
)

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.41", "1.41", 0}, {"1.41", "1.56", -1}, {"1.56", "1.41", 1},
		{"1.9", "1.10", -1}, {"1.100", "1.99", 1}, {"2.0", "1.99", 1},
		{"1", "1.0", 0}, {"", "", 0}, {"x.y", "0.0", 0}, {"1.41.1", "1.41", 1},
	} {
		if got := CompareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestNegotiationHappensOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/version", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"Version":"20.10.24","ApiVersion":"1.41"}`))
	})
	c := f.client(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Version(t.Context())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := f.pings.Load(); got != 1 {
		t.Errorf("%d pings for 100 concurrent first calls, want exactly 1", got)
	}
	if got := c.APIVersion(); got != "1.41" {
		t.Errorf("APIVersion() = %s, want 1.41", got)
	}
}

func TestNegotiationNeverGoesUp(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.99")
	c := f.client(t)
	v, err := c.NegotiateAPIVersion(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if v != MaxAPIVersion {
		t.Errorf("negotiated %s with a 1.99 daemon, want %s", v, MaxAPIVersion)
	}
}

func TestNegotiationFallsBackToVersion(t *testing.T) {
	t.Parallel()
	f := newFake(t, "") // no API-Version header
	f.mux.HandleFunc("/version", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"ApiVersion":"1.30"}`))
	})
	c := f.client(t)
	v, err := c.NegotiateAPIVersion(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if v != "1.30" {
		t.Errorf("negotiated %s, want 1.30 from GET /version", v)
	}
}

func TestNegotiationTooOldDaemon(t *testing.T) {
	t.Parallel()
	c := newFake(t, "1.12").client(t)
	_, err := c.NegotiateAPIVersion(t.Context())
	if !errors.Is(err, ErrVersion) {
		t.Fatalf("err = %v, want ErrVersion", err)
	}
}

func TestPinnedVersionSkipsPing(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.56")
	got := make(chan string, 1)
	f.mux.HandleFunc("/v1.41/info", func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.Path
		_, _ = w.Write([]byte(`{"ID":"x"}`))
	})
	c := f.client(t, WithAPIVersion("1.41"))
	if _, err := c.Info(t.Context()); err != nil {
		t.Fatal(err)
	}
	if f.pings.Load() != 0 {
		t.Error("a pinned client pinged to negotiate")
	}
	if p := <-got; p != "/v1.41/info" {
		t.Errorf("path = %s", p)
	}
}

func TestMinVersionFailsBeforeSending(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	sent := make(chan struct{}, 1)
	f.mux.HandleFunc("/v1.41/system/df", func(w http.ResponseWriter, r *http.Request) { sent <- struct{}{} })
	c := f.client(t)
	_, err := c.DiskUsage(t.Context(), DiskUsageTypes("image"))
	if !errors.Is(err, ErrVersion) {
		t.Fatalf("err = %v, want ErrVersion", err)
	}
	for _, want := range []string{"1.42", "1.41"} {
		if !contains(err.Error(), want) {
			t.Errorf("error %q does not name version %s", err, want)
		}
	}
	select {
	case <-sent:
		t.Error("the request reached the daemon")
	default:
	}
}

// TestPingSettlesNegotiation checks that Ping settles the version from its
// API-Version header as negotiation would, so that APIVersion reports it and
// the next call sends no second ping; without the header, or with a daemon
// too old, nothing is settled, and Ping never moves a settled or pinned
// version.
func TestPingSettlesNegotiation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, daemon string
		opts         []Option
		pingOpts     []PingOption
		want         string // APIVersion after the ping
		wantPings    int64  // pings after the ping and an Info
	}{
		{name: "older daemon", daemon: "1.41", want: "1.41", wantPings: 1},
		{name: "HEAD", daemon: "1.43", pingOpts: []PingOption{Head()}, want: "1.43", wantPings: 1},
		{name: "newer daemon", daemon: "1.99", want: MaxAPIVersion, wantPings: 1},
		{name: "pinned", daemon: "1.41", opts: []Option{WithAPIVersion("1.40")}, want: "1.40", wantPings: 1},
		{name: "too old", daemon: "1.12", want: MaxAPIVersion, wantPings: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, tc.daemon)
			for _, v := range []string{"1.40", "1.41", "1.43", MaxAPIVersion} {
				f.mux.HandleFunc("/v"+v+"/info", func(w http.ResponseWriter, r *http.Request) {
					_, _ = w.Write([]byte(`{"ID":"x"}`))
				})
			}
			c := f.client(t, tc.opts...)
			p, err := c.Ping(t.Context(), tc.pingOpts...)
			if err != nil || p.APIVersion != tc.daemon {
				t.Fatalf("Ping = %+v, %v", p, err)
			}
			if got := c.APIVersion(); got != tc.want {
				t.Errorf("APIVersion() after Ping = %s, want %s", got, tc.want)
			}
			_, _ = c.Info(t.Context()) // the too old daemon fails negotiation: that is its point
			if got := f.pings.Load(); got != tc.wantPings {
				t.Errorf("%d pings after Ping and Info, want %d", got, tc.wantPings)
			}
		})
	}
}
