package testenv

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
)

// RequireDaemonEnv names the variable that turns a missing daemon into a
// test failure.
const RequireDaemonEnv = "BERTH_REQUIRE_DAEMON"

var daemon struct {
	once   sync.Once
	cli    *docker.Client
	server Server
	err    error
}

// Client returns a client for the daemon the environment points at (as
// docker.FromEnv finds it), shared by the tests of one test binary. Without
// a daemon the test is skipped, or failed when BERTH_REQUIRE_DAEMON=1.
func Client(t testing.TB) *docker.Client {
	t.Helper()
	daemon.once.Do(func() {
		cli, err := docker.New(docker.FromEnv(), docker.WithUserAgent("berth-integration-tests"))
		if err != nil {
			daemon.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := cli.Ping(ctx); err != nil {
			daemon.err = err
			return
		}
		if _, err := cli.NegotiateAPIVersion(ctx); err != nil {
			daemon.err = err
			return
		}
		if daemon.server, err = identify(ctx, cli); err != nil {
			daemon.err = err
			return
		}
		daemon.cli = cli
	})
	if daemon.err != nil {
		msg := fmt.Sprintf("no Docker daemon: %v", daemon.err)
		if os.Getenv(RequireDaemonEnv) == "1" {
			t.Fatalf("%s (%s=1 requires one)", msg, RequireDaemonEnv)
		}
		t.Skipf("%s (set %s=1 to fail instead; see README)", msg, RequireDaemonEnv)
	}
	return daemon.cli
}

// Context returns t's context bounded by d, so no integration step can hang
// a test run.
func Context(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}
