package swarm

import (
	"context"
	"errors"
	"github.com/berth-go/berth/internal/fakeapi"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
)

// fake is the package's stand-in daemon (internal/fakeapi): a real unix
// socket, /_ping answered, every other request recorded.
type (
	fake        = fakeapi.Server
	seenRequest = fakeapi.Request
)

// setup serves a fake daemon speaking API 1.41 (the real Engine here) and
// returns a Cluster bound to it.
func setup(t *testing.T) (*Cluster, *fake) { return setupVersion(t, "1.41") }

func setupVersion(t *testing.T, version string) (*Cluster, *fake) {
	t.Helper()
	cli, f := fakeapi.New(t, version, fakeapi.StripVersion())
	return New(cli), f
}

// fixture reads a file of testdata/.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// call is one method of the package, invoked with a given id for the
// shared checks.
type call struct {
	name   string
	takeID bool // the id reaches the path: empty and ".." ids are refused
	fn     func(ctx context.Context, c *Cluster, id string) error
}

var v1 = Version{Index: 1}

// calls lists every endpoint method (and WaitConverged).
var calls = []call{
	{"Init", false, func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Init(ctx, InitRequest{ListenAddr: "0.0.0.0:2377"})
		return err
	}},
	{"Join", false, func(ctx context.Context, c *Cluster, _ string) error {
		return c.Join(ctx, JoinRequest{ListenAddr: "0.0.0.0:2377", RemoteAddrs: []string{"127.0.0.1:2377"}, JoinToken: "t"})
	}},
	{"Leave", false, func(ctx context.Context, c *Cluster, _ string) error { return c.Leave(ctx) }},
	{"Inspect", false, func(ctx context.Context, c *Cluster, _ string) error { _, err := c.Inspect(ctx); return err }},
	{"Update", false, func(ctx context.Context, c *Cluster, _ string) error { return c.Update(ctx, v1, Spec{}) }},
	{"Unlock", false, func(ctx context.Context, c *Cluster, _ string) error { return c.Unlock(ctx, "SWMKEY-1-x") }},
	{"UnlockKey", false, func(ctx context.Context, c *Cluster, _ string) error { _, err := c.UnlockKey(ctx); return err }},

	{"NodeList", false, func(ctx context.Context, c *Cluster, _ string) error { _, err := c.Nodes().List(ctx); return err }},
	{"NodeInspect", true, func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Nodes().Inspect(ctx, id)
		return err
	}},
	{"NodeUpdate", true, func(ctx context.Context, c *Cluster, id string) error {
		return c.Nodes().Update(ctx, id, v1, NodeSpec{})
	}},
	{"NodeRemove", true, func(ctx context.Context, c *Cluster, id string) error { return c.Nodes().Remove(ctx, id) }},

	{"ServiceList", false, func(ctx context.Context, c *Cluster, _ string) error { _, err := c.Services().List(ctx); return err }},
	{"ServiceCreate", false, func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Services().Create(ctx, ServiceSpec{})
		return err
	}},
	{"ServiceInspect", true, func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Services().Inspect(ctx, id)
		return err
	}},
	{"ServiceUpdate", true, func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Services().Update(ctx, id, v1, ServiceSpec{})
		return err
	}},
	{"ServiceRemove", true, func(ctx context.Context, c *Cluster, id string) error { return c.Services().Remove(ctx, id) }},
	{"ServiceLogs", true, func(ctx context.Context, c *Cluster, id string) error {
		r, err := c.Services().Logs(ctx, id, TTY(false))
		if err == nil {
			r.Close()
		}
		return err
	}},
	{"WaitConverged", true, func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Services().WaitConverged(ctx, id)
		return err
	}},

	{"TaskList", false, func(ctx context.Context, c *Cluster, _ string) error { _, err := c.Tasks().List(ctx); return err }},
	{"TaskInspect", true, func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Tasks().Inspect(ctx, id)
		return err
	}},
	{"TaskLogs", true, func(ctx context.Context, c *Cluster, id string) error {
		r, err := c.Tasks().Logs(ctx, id, TTY(false))
		if err == nil {
			r.Close()
		}
		return err
	}},

	{"SecretList", false, func(ctx context.Context, c *Cluster, _ string) error { _, err := c.Secrets().List(ctx); return err }},
	{"SecretCreate", false, func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Secrets().Create(ctx, SecretSpec{Name: "s", Data: []byte("x")})
		return err
	}},
	{"SecretInspect", true, func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Secrets().Inspect(ctx, id)
		return err
	}},
	{"SecretUpdate", true, func(ctx context.Context, c *Cluster, id string) error {
		return c.Secrets().Update(ctx, id, v1, SecretSpec{})
	}},
	{"SecretRemove", true, func(ctx context.Context, c *Cluster, id string) error { return c.Secrets().Remove(ctx, id) }},

	{"ConfigList", false, func(ctx context.Context, c *Cluster, _ string) error { _, err := c.Configs().List(ctx); return err }},
	{"ConfigCreate", false, func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Configs().Create(ctx, ConfigSpec{Name: "c", Data: []byte("x")})
		return err
	}},
	{"ConfigInspect", true, func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Configs().Inspect(ctx, id)
		return err
	}},
	{"ConfigUpdate", true, func(ctx context.Context, c *Cluster, id string) error {
		return c.Configs().Update(ctx, id, v1, ConfigSpec{})
	}},
	{"ConfigRemove", true, func(ctx context.Context, c *Cluster, id string) error { return c.Configs().Remove(ctx, id) }},
}

func TestSharedErrorMapping(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status   int
		sentinel error
	}{
		{http.StatusInternalServerError, nil},
		{http.StatusNotFound, docker.ErrNotFound},
		{http.StatusConflict, docker.ErrConflict},
		{http.StatusServiceUnavailable, docker.ErrUnavailable},
	} {
		for _, c := range calls {
			t.Run(http.StatusText(tc.status)+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				cl, f := setup(t)
				f.Reply("/", tc.status, map[string]string{"message": "boom from the fake"})
				err := c.fn(t.Context(), cl, "x1")
				var de *docker.Error
				if !errors.As(err, &de) {
					t.Fatalf("err = %v (%T), want *docker.Error", err, err)
				}
				if de.StatusCode != tc.status || de.Message != "boom from the fake" {
					t.Errorf("got %d %q, want %d and the daemon's message", de.StatusCode, de.Message, tc.status)
				}
				if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
					t.Errorf("errors.Is(%v, %v) = false", err, tc.sentinel)
				}
				var stale *StaleVersionError
				if errors.As(err, &stale) {
					t.Errorf("a %d without the out-of-sequence message became a StaleVersionError", tc.status)
				}
			})
		}
	}
}

func TestSharedBadIDSendsNothing(t *testing.T) {
	t.Parallel()
	for _, c := range calls {
		if !c.takeID {
			continue
		}
		for _, id := range []string{"", "..", "../../containers/json"} {
			t.Run(c.name+"/"+id, func(t *testing.T) {
				t.Parallel()
				cl, f := setup(t)
				f.Reply("/", http.StatusOK, "{}")
				err := c.fn(t.Context(), cl, id)
				if err == nil {
					t.Fatalf("id %q accepted", id)
				}
				var de *docker.Error
				if errors.As(err, &de) {
					t.Errorf("local validation error dressed as a daemon error: %v", err)
				}
				if n := len(f.Requests()); n != 0 {
					t.Errorf("%d requests sent for id %q", n, id)
				}
			})
		}
	}
}

func TestSharedCancelReturnsPromptly(t *testing.T) {
	t.Parallel()
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cl, f := setup(t)
			f.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				select { // hang until the client gives up (bounded)
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
				}
			})
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(50*time.Millisecond, cancel)
			start := time.Now()
			err := c.fn(ctx, cl, "x1")
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("returned after %v", d)
			}
		})
	}
}
