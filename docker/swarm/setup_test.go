package swarm

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/testing/fakeapi"
)

// fake is the package's stand-in daemon (internal/testing/fakeapi): a real
// unix socket, /_ping answered, every other request recorded.
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

var v1 = Version{Index: 1}

// inPath marks the calls taking an id: it reaches the path.
const inPath = fakeapi.IDInPath

// calls lists every endpoint method (and WaitConverged) for the shared
// checks; the ids of all that take one reach the path, so empty and ".."
// ids are refused.
var calls = []fakeapi.Call[*Cluster]{
	{Name: "Init", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Init(ctx, InitRequest{ListenAddr: "0.0.0.0:2377"})
		return err
	}},
	{Name: "Join", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		return c.Join(ctx, JoinRequest{ListenAddr: "0.0.0.0:2377", RemoteAddrs: []string{"127.0.0.1:2377"}, JoinToken: "t"})
	}},
	{Name: "Leave", Fn: func(ctx context.Context, c *Cluster, _ string) error { return c.Leave(ctx) }},
	{Name: "Inspect", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Inspect(ctx)
		return err
	}},
	{Name: "Update", Fn: func(ctx context.Context, c *Cluster, _ string) error { return c.Update(ctx, v1, Spec{}) }},
	{Name: "Unlock", Fn: func(ctx context.Context, c *Cluster, _ string) error { return c.Unlock(ctx, "SWMKEY-1-x") }},
	{Name: "UnlockKey", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.UnlockKey(ctx)
		return err
	}},

	{Name: "NodeList", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Nodes().List(ctx)
		return err
	}},
	{Name: "NodeInspect", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Nodes().Inspect(ctx, id)
		return err
	}},
	{Name: "NodeUpdate", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		return c.Nodes().Update(ctx, id, v1, NodeSpec{})
	}},
	{Name: "NodeRemove", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		return c.Nodes().Remove(ctx, id)
	}},

	{Name: "ServiceList", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Services().List(ctx)
		return err
	}},
	{Name: "ServiceCreate", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Services().Create(ctx, ServiceSpec{})
		return err
	}},
	{Name: "ServiceInspect", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Services().Inspect(ctx, id)
		return err
	}},
	{Name: "ServiceUpdate", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Services().Update(ctx, id, v1, ServiceSpec{})
		return err
	}},
	{Name: "ServiceRemove", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		return c.Services().Remove(ctx, id)
	}},
	{Name: "ServiceLogs", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		r, err := c.Services().Logs(ctx, id, TTY(false))
		if err == nil {
			r.Close()
		}
		return err
	}},
	{Name: "WaitConverged", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Services().WaitConverged(ctx, id)
		return err
	}},

	{Name: "TaskList", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Tasks().List(ctx)
		return err
	}},
	{Name: "TaskInspect", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Tasks().Inspect(ctx, id)
		return err
	}},
	{Name: "TaskLogs", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		r, err := c.Tasks().Logs(ctx, id, TTY(false))
		if err == nil {
			r.Close()
		}
		return err
	}},

	{Name: "SecretList", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Secrets().List(ctx)
		return err
	}},
	{Name: "SecretCreate", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Secrets().Create(ctx, SecretSpec{Name: "s", Data: []byte("x")})
		return err
	}},
	{Name: "SecretInspect", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Secrets().Inspect(ctx, id)
		return err
	}},
	{Name: "SecretUpdate", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		return c.Secrets().Update(ctx, id, v1, SecretSpec{})
	}},
	{Name: "SecretRemove", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		return c.Secrets().Remove(ctx, id)
	}},

	{Name: "ConfigList", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Configs().List(ctx)
		return err
	}},
	{Name: "ConfigCreate", Fn: func(ctx context.Context, c *Cluster, _ string) error {
		_, err := c.Configs().Create(ctx, ConfigSpec{Name: "c", Data: []byte("x")})
		return err
	}},
	{Name: "ConfigInspect", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		_, err := c.Configs().Inspect(ctx, id)
		return err
	}},
	{Name: "ConfigUpdate", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		return c.Configs().Update(ctx, id, v1, ConfigSpec{})
	}},
	{Name: "ConfigRemove", ID: inPath, Fn: func(ctx context.Context, c *Cluster, id string) error {
		return c.Configs().Remove(ctx, id)
	}},
}

// shared runs the checks every resource package shares
// (internal/testing/fakeapi).
var shared = fakeapi.Suite[*Cluster]{Setup: setup, Calls: calls, ID: "x1"}

func TestSharedErrorMapping(t *testing.T) {
	t.Parallel()
	cases := []fakeapi.ErrorCase{
		{Status: http.StatusInternalServerError},
		{Status: http.StatusNotFound, Sentinel: docker.ErrNotFound},
		{Status: http.StatusConflict, Sentinel: docker.ErrConflict},
		{Status: http.StatusServiceUnavailable, Sentinel: docker.ErrUnavailable},
	}
	shared.ErrorMapping(t, cases, func(t *testing.T, status int, err error) {
		var stale *StaleVersionError
		if errors.As(err, &stale) {
			t.Errorf("a %d without the out-of-sequence message became a StaleVersionError", status)
		}
	})
}

func TestSharedBadIDSendsNothing(t *testing.T) {
	t.Parallel()
	shared.BadIDsSendNothing(t, "", "..", "../../containers/json")
}

func TestSharedCancelReturnsPromptly(t *testing.T) {
	t.Parallel()
	shared.CancelReturnsPromptly(t)
}
