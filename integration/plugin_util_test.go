package integration

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/plugin"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// pluginSocket is the socket the test plugins name; the daemon looks for it
// in /run/docker/plugins inside the plugin.
const pluginSocket = "berth.sock"

// pluginRootfs builds a plugin root file system in a temporary directory:
// the test image's static berth-test and docker/plugin/testdata/sockplugin
// (a static program that listens on the plugin socket, since berth-test has
// no networking and the daemon enables only a plugin that listens).
func pluginRootfs(t *testing.T) string {
	t.Helper()
	ctx := testenv.Context(t, 3*time.Minute)
	dir := filepath.Join(t.TempDir(), "rootfs")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := testenv.BuildTestBinary(ctx, dir); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w",
		"-o", filepath.Join(dir, "berth-sockplugin"), "./docker/plugin/testdata/sockplugin")
	cmd.Dir = testenv.RepoRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build sockplugin: %v\n%s", err, out)
	}
	return dir
}

// pluginConfig is the config of the test plugins: an authorization plugin
// (a capability the daemon consults only when configured to, so enabling
// it disturbs nothing) served by sockplugin, in its own empty network
// namespace, with a settable DEBUG variable and arguments.
func pluginConfig(description string) plugin.Config {
	return plugin.Config{
		Description:   description,
		Documentation: "https://github.com/berth-go/berth",
		Interface:     plugin.Interface{Types: []string{"docker.authz/1.0"}, Socket: pluginSocket},
		Entrypoint:    []string{"/berth-sockplugin", "/run/docker/plugins/" + pluginSocket},
		WorkDir:       "/",
		Network:       plugin.NetworkConfig{Type: "none"},
		Env:           []plugin.Env{{Name: "DEBUG", Description: "debug level", Settable: []string{"value"}, Value: "0"}},
		Args:          plugin.Args{Name: "args", Description: "extra arguments", Settable: []string{"value"}, Value: []string{}},
	}
}

// pluginCreateMu serializes plugin creation, which writes a marker file
// into a rootfs that tests may share.
var pluginCreateMu sync.Mutex

// createPlugin creates a plugin from cfg and rootfs, streaming the context
// through a pipe, and force-removes it when the test ends. It first writes
// the plugin's name into the rootfs: Engine 20.10 refuses to create a plugin
// whose root file system layer it stores already ("409 content
// sha256:...: already exists"), and two builds of the same binaries within
// one second make identical layers.
func createPlugin(t *testing.T, plugins *plugin.Service, name string, cfg plugin.Config, rootfs string) {
	t.Helper()
	pluginCreateMu.Lock()
	defer pluginCreateMu.Unlock()
	if err := os.WriteFile(filepath.Join(rootfs, "berth-plugin-name"), []byte(name+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go func() { // ends when the context is written or Create stops reading
		pw.CloseWithError(plugin.WriteContext(pw, cfg, os.DirFS(rootfs)))
	}()
	err := plugins.Create(testenv.Context(t, 2*time0), name, pr)
	pr.Close()
	if err != nil {
		t.Fatalf("Create %s: %v", name, err)
	}
	cleanupPlugin(t, plugins, name)
}

// cleanupPlugin force-removes a plugin when the test ends, if it is still
// there.
func cleanupPlugin(t *testing.T, plugins *plugin.Service, name string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time0)
		defer cancel()
		if err := plugins.Remove(ctx, name, plugin.Force()); err != nil && !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("removing plugin %s: %v", name, err)
		}
	})
}
