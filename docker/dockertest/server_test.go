package dockertest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
	"github.com/google/go-cmp/cmp"
)

func TestClientNegotiatesWithFake(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"", "1.41", "1.24"} {
		var opts []Option
		if v != "" {
			opts = append(opts, WithAPIVersion(v))
		}
		srv := NewServer(t, opts...)
		want := v
		if want == "" {
			want = docker.MaxAPIVersion
		}
		p, err := srv.Client().Ping(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		got, err := srv.Client().NegotiateAPIVersion(t.Context())
		if err != nil || got != want || p.APIVersion != want {
			t.Errorf("advertised %s: negotiated %s, ping %s, err %v", want, got, p.APIVersion, err)
		}
		if _, err := srv.Client().Version(t.Context()); err != nil {
			t.Errorf("version at %s: %v", want, err)
		}
	}
}

func TestVersionBoundsLikeTheEngine(t *testing.T) {
	t.Parallel()
	srv := NewServer(t, WithAPIVersion("1.41"))
	for _, tc := range []struct {
		version, want string
	}{
		{"1.44", "client version 1.44 is too new. Maximum supported API version is 1.41"},
		{"1.12", "client version 1.12 is too old"},
	} {
		cli, err := docker.New(docker.WithHost(srv.URL()), docker.WithAPIVersion(tc.version))
		if err != nil {
			t.Fatal(err)
		}
		_, err = cli.Info(t.Context())
		if !errors.Is(err, docker.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("version %s: err = %v", tc.version, err)
		}
	}
}

func TestUnknownRouteIs501NamingIt(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	_, err := srv.Client().Do(t.Context(), &docker.Request{Method: "POST", Path: "/nonsense/thing"})
	if !errors.Is(err, docker.ErrNotImplemented) || !strings.Contains(err.Error(), "POST /nonsense/thing") {
		t.Fatalf("err = %v, want 501 naming the route", err)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	cli := srv.Client()
	ctx := t.Context()
	if _, err := cli.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	remove := srv.Inject(Fault{Route: "SystemInfo", Status: 500, Message: "boom", Times: 1})
	if _, err := cli.Info(ctx); err == nil || !strings.Contains(err.Error(), "500 boom") {
		t.Errorf("first call: err = %v, want the injected 500", err)
	}
	if _, err := cli.Info(ctx); err != nil {
		t.Errorf("second call (Times: 1): %v", err)
	}
	remove()

	remove = srv.Inject(Fault{Route: "GET /version", NotJSON: true})
	if _, err := cli.Version(ctx); err == nil || !strings.Contains(err.Error(), "502 Bad Gateway") {
		t.Errorf("NotJSON: err = %v", err)
	}
	remove()

	remove = srv.Inject(Fault{Route: "SystemInfo", Drop: true})
	if _, err := cli.Info(ctx); err == nil {
		t.Error("Drop: no error")
	}
	remove()

	remove = srv.Inject(Fault{Route: "SystemInfo", Delay: 300 * time.Millisecond})
	start := time.Now()
	if _, err := cli.Info(ctx); err != nil || time.Since(start) < 300*time.Millisecond {
		t.Errorf("Delay: err %v after %v", err, time.Since(start))
	}
	remove()

	for i := range 3 {
		srv.Emit("container", "start", "c"+string(rune('0'+i)), nil)
	}
	remove = srv.Inject(Fault{Route: "SystemEvents", CutAfter: 20})
	n := 0
	var last error
	for _, err := range cli.Events(ctx, docker.Since(time.Now().Add(-time.Hour)), docker.Until(time.Now())) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if last == nil || n != 0 {
		t.Errorf("CutAfter 20 bytes: %d events, last err %v; want an error before the first event ends", n, last)
	}
	remove()
}

// TestFaultDropAndRetries pins what Fault.Drop's doc says: net/http's
// Transport sends an idempotent request (GET, HEAD) again once when a
// reused connection is dropped before any answer, so a single Drop on a GET
// can go unseen; a second one, or a POST, fails.
func TestFaultDropAndRetries(t *testing.T) {
	t.Parallel()
	info := func(ctx context.Context, cli *docker.Client) error { _, err := cli.Info(ctx); return err }
	prune := func(ctx context.Context, cli *docker.Client) error {
		_, err := cli.Do(ctx, &docker.Request{Method: "POST", Path: "/containers/prune"})
		return err
	}
	for _, tc := range []struct {
		name, route, path string
		times             int
		call              func(ctx context.Context, cli *docker.Client) error
		wantErr           bool
		wantSeen          int // requests the fake saw on the route
	}{
		{"GET dropped once", "SystemInfo", "/info", 1, info, false, 2},
		{"GET dropped twice", "SystemInfo", "/info", 2, info, true, 2},
		{"POST dropped once", "ContainerPrune", "/containers/prune", 1, prune, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := NewServer(t)
			cli := srv.Client()
			if _, err := cli.Ping(t.Context()); err != nil { // a kept-alive connection to reuse
				t.Fatal(err)
			}
			srv.Inject(Fault{Route: tc.route, Drop: true, Times: tc.times})
			err := tc.call(t.Context(), cli)
			if (err != nil) != tc.wantErr {
				t.Errorf("err = %v, want an error: %v", err, tc.wantErr)
			}
			seen := 0
			for _, r := range srv.Requests() {
				if strings.HasSuffix(r.Path, tc.path) {
					seen++
				}
			}
			if seen != tc.wantSeen {
				t.Errorf("the fake saw %d requests, want %d", seen, tc.wantSeen)
			}
		})
	}
}

func TestRequestsAreRecordedWithoutCredentials(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	cli := srv.Client()
	_, err := cli.Login(t.Context(), registry.AuthConfig{Username: "u", Password: "pw-SECRET", ServerAddress: "r.example"})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = cli.Do(t.Context(), &docker.Request{Method: "POST", Path: "/build", Header: http.Header{"X-Registry-Auth": {"tok-SECRET"}}})
	reqs := srv.Requests()
	var ops []string
	for _, r := range reqs {
		ops = append(ops, r.Method+" "+r.Path+" "+r.Operation)
		for _, vs := range r.Header {
			for _, v := range vs {
				if strings.Contains(v, "SECRET") {
					t.Errorf("header leaks a secret: %v", r.Header)
				}
			}
		}
		if strings.Contains(string(r.Body), "SECRET") {
			t.Errorf("body leaks a secret: %s", r.Body)
		}
	}
	want := []string{"GET /_ping SystemPing", "POST /auth SystemAuth", "POST /build ImageBuild"}
	if d := cmp.Diff(want, ops); d != "" {
		t.Errorf("requests (-want +got)\n%s", d)
	}
	if reqs[1].Version != docker.MaxAPIVersion || !strings.Contains(string(reqs[1].Body), `"username":"u"`) {
		t.Errorf("login record = %+v", reqs[1])
	}
}

func TestLoginWithRegisteredUsers(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	srv.AddRegistryUser("127.0.0.1:5000", "berth", "right")
	cli := srv.Client()
	if _, err := cli.Login(t.Context(), registry.AuthConfig{Username: "berth", Password: "right", ServerAddress: "127.0.0.1:5000"}); err != nil {
		t.Errorf("right password: %v", err)
	}
	_, err := cli.Login(t.Context(), registry.AuthConfig{Username: "berth", Password: "wrong", ServerAddress: "127.0.0.1:5000"})
	if !errors.Is(err, docker.ErrUnauthorized) {
		t.Errorf("wrong password: err = %v", err)
	}
}

func TestEventsReplayFollowAndFilters(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	cli := srv.Client()
	start := time.Now()
	srv.Emit("container", "create", "aaa", map[string]string{"name": "web", "app": "x"})
	srv.Emit("image", "pull", "alpine:3", map[string]string{"name": "alpine:3"})
	srv.Emit("container", "start", "aaa", map[string]string{"name": "web", "app": "x"})

	var got []string
	for ev, err := range cli.Events(t.Context(), docker.Since(start), docker.Until(time.Now()), docker.Filter("type", "container"), docker.Filter("label", "app=x")) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev.Action)
	}
	if d := cmp.Diff([]string{"create", "start"}, got); d != "" {
		t.Errorf("replay (-want +got)\n%s", d)
	}

	// Follow: an event emitted after the loop starts arrives.
	go func() {
		time.Sleep(50 * time.Millisecond)
		srv.Emit("volume", "create", "v1", nil)
	}()
	for ev, err := range cli.Events(t.Context(), docker.Filter("type", "volume")) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Actor.ID != "v1" {
			t.Errorf("followed event = %+v", ev)
		}
		break
	}
	_, err := cli.Do(t.Context(), &docker.Request{Path: "/events", Query: map[string][]string{"filters": {`{"bogus":["x"]}`}}})
	if !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("bogus filter: err = %v", err)
	}
}

func TestCloseDoesNotHangOnOpenStreams(t *testing.T) {
	t.Parallel()
	srv, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(t.Context(), &docker.Request{Path: "/events", Stream: true})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close() // forgotten until after Close
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung with an events stream open")
	}
	_, _ = io.Copy(io.Discard, resp.Body)
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	cli := srv.Client()
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			remove := srv.Inject(Fault{Route: "SystemVersion", Delay: time.Millisecond, Times: 1})
			defer remove()
			srv.Emit("container", "start", "c", nil)
			_, _ = cli.Info(t.Context())
			_, _ = cli.Version(t.Context())
			_ = srv.Requests()
		}()
	}
	wg.Wait()
}
