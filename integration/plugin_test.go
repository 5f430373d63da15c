package integration

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/plugin"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/internal/testing/testenv"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// listed reports whether List with opts returns the plugin named name.
func pluginListed(t *testing.T, plugins *plugin.Service, name string, opts ...plugin.ListOption) bool {
	t.Helper()
	list, err := plugins.List(testenv.Context(t, time0), opts...)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return slices.ContainsFunc(list, func(p plugin.Plugin) bool { return p.Name == name })
}

// TestPluginLocal runs the local part of a plugin's life on the real
// Engine: create from a context, inspect, set, enable, list, disable,
// remove, and the daemon's refusals on the way.
func TestPluginLocal(t *testing.T) {
	t.Parallel()
	testenv.SkipOnPodman(t, testenv.PodmanNoPlugins)
	cli := testenv.Client(t)
	plugins := plugin.New(cli)
	rootfs := pluginRootfs(t)
	ctx := testenv.Context(t, 2*time0)

	name := testenv.Name("plugin") + ":v1"
	cfg := pluginConfig("berth local plugin")
	createPlugin(t, plugins, name, cfg, rootfs)

	// The same name again is refused.
	err := plugins.Create(ctx, name, strings.NewReader(""))
	if !errors.Is(err, docker.ErrConflict) {
		t.Errorf("Create again: err = %v, want ErrConflict", err)
	}
	var de *docker.Error
	t.Logf("create again: %v", err)

	got, err := plugins.Inspect(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	want := plugin.Plugin{
		Name: name, Enabled: false, PluginReference: name,
		Settings: plugin.Settings{Mounts: []plugin.Mount{}, Env: []string{"DEBUG=0"}, Args: []string{}, Devices: []plugin.Device{}},
		Config:   cfg,
	}
	ignore := cmpopts.IgnoreFields(plugin.Plugin{}, "ID")
	ignoreDaemon := cmpopts.IgnoreFields(plugin.Config{}, "DockerVersion", "RootFS")
	if diff := cmp.Diff(want, got, ignore, ignoreDaemon, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Inspect (-want +got):\n%s", diff)
	}
	if got.ID == "" || got.Config.RootFS == nil || got.Config.RootFS.Type != "layers" || len(got.Config.RootFS.DiffIDs) != 1 {
		t.Errorf("Inspect: id %q, rootfs %+v", got.ID, got.Config.RootFS)
	}
	if byID, err := plugins.Inspect(ctx, got.ID[:12]); err != nil || byID.Name != name {
		t.Errorf("Inspect by id prefix = %q, %v", byID.Name, err)
	}

	// Settings change while the plugin is disabled.
	if err := plugins.Set(ctx, name, "DEBUG=1", "args=-v --x"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	got, err = plugins.Inspect(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(plugin.Settings{Env: []string{"DEBUG=1"}, Args: []string{"-v", "--x"}}, got.Settings, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Settings after Set (-want +got):\n%s", diff)
	}
	if err := plugins.Set(ctx, name, "NOT_DECLARED=1"); !errors.As(err, &de) {
		t.Errorf("Set of an undeclared variable: err = %v, want a *docker.Error", err)
	}

	// Enable: the plugin serves its socket, so the daemon accepts it.
	start := time.Now()
	if err := plugins.Enable(ctx, name, plugin.Timeout(10*time.Second)); err != nil {
		t.Fatalf("Enable: %v", err)
	}
	t.Logf("enabled in %v", time.Since(start).Round(time.Millisecond))
	if got, err := plugins.Inspect(ctx, name); err != nil || !got.Enabled {
		t.Errorf("after Enable: Enabled = %v, %v", got.Enabled, err)
	}
	if err := plugins.Enable(ctx, name); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("Enable again: err = %v, want ErrConflict", err)
	}
	if err := plugins.Set(ctx, name, "DEBUG=2"); !errors.As(err, &de) {
		t.Errorf("Set while enabled: err = %v, want a *docker.Error", err)
	}
	if err := plugins.Remove(ctx, name); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("Remove while enabled: err = %v, want ErrConflict", err)
	}

	// List with filters.
	if !pluginListed(t, plugins, name, plugin.Filter("capability", "authz"), plugin.Filter("enabled", "true")) {
		t.Error("List capability=authz enabled=true misses the plugin")
	}
	if pluginListed(t, plugins, name, plugin.Filter("enabled", "false")) {
		t.Error("List enabled=false lists an enabled plugin")
	}
	if pluginListed(t, plugins, name, plugin.Filter("capability", "volumedriver")) {
		t.Error("List capability=volumedriver lists an authz plugin")
	}
	// The specification's "enable" key: 20.10 refuses it.
	if _, err := plugins.List(ctx, plugin.Filter("enable", "true")); err != nil && !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("List enable=true: err = %v, want nil or ErrInvalidArgument", err)
	} else {
		t.Logf("List with the spec's enable filter: %v", err)
	}

	if err := plugins.Disable(ctx, name); err != nil {
		t.Fatalf("Disable: %v", err)
	}
	if got, err := plugins.Inspect(ctx, name); err != nil || got.Enabled {
		t.Errorf("after Disable: Enabled = %v, %v", got.Enabled, err)
	}
	if err := plugins.Disable(ctx, name, plugin.Force()); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("Disable again: err = %v, want ErrConflict", err)
	}
	if !pluginListed(t, plugins, name, plugin.Filter("enabled", "false")) {
		t.Error("List enabled=false misses the disabled plugin")
	}

	// Enabled again, then removed by force.
	if err := plugins.Enable(ctx, name); err != nil {
		t.Fatalf("Enable (default timeout): %v", err)
	}
	if err := plugins.Remove(ctx, name, plugin.Force()); err != nil {
		t.Fatalf("Remove with Force: %v", err)
	}
	if _, err := plugins.Inspect(ctx, name); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("Inspect after Remove: err = %v, want ErrNotFound", err)
	}
	for _, err := range []error{plugins.Remove(ctx, name), plugins.Enable(ctx, name), plugins.Disable(ctx, name), plugins.Set(ctx, name, "DEBUG=1")} {
		if !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("operation on a removed plugin: err = %v, want ErrNotFound", err)
		}
	}
}

// TestPluginEnableRefusedWithoutSocket records what the Engine does with a
// plugin whose entrypoint is the test binary (berth-test sleep 3600): it
// runs, but never listens on the socket its config names, so the daemon
// gives up after about 12 seconds and leaves it disabled.
func TestPluginEnableRefusedWithoutSocket(t *testing.T) {
	t.Parallel()
	testenv.SkipOnPodman(t, testenv.PodmanNoPlugins)
	cli := testenv.Client(t)
	plugins := plugin.New(cli)
	rootfs := pluginRootfs(t)
	ctx := testenv.Context(t, 2*time0)

	name := testenv.Name("plugin-sleep")
	cfg := pluginConfig("berth plugin that never listens")
	cfg.Interface.Types = []string{"docker.volumedriver/1.0"}
	cfg.Entrypoint = []string{"/berth-test", "sleep", "3600"}
	createPlugin(t, plugins, name, cfg, rootfs)

	start := time.Now()
	err := plugins.Enable(ctx, name, plugin.Timeout(5*time.Second))
	took := time.Since(start)
	var de *docker.Error
	if !errors.As(err, &de) || !strings.Contains(de.Message, pluginSocket) {
		t.Fatalf("Enable: err = %v, want a *docker.Error about %s", err, pluginSocket)
	}
	t.Logf("Enable refused after %v: %v", took.Round(time.Millisecond), err)
	if got, err := plugins.Inspect(ctx, name); err != nil || got.Enabled {
		t.Errorf("after the refused Enable: Enabled = %v, %v", got.Enabled, err)
	}
}

// TestPluginRegistry pushes plugins to the local registry, reads their
// privileges back, pulls one accepting them and upgrades it.
func TestPluginRegistry(t *testing.T) {
	t.Parallel()
	testenv.SkipOnPodman(t, testenv.PodmanNoPlugins)
	cli := testenv.Client(t)
	addr, user, password := testenv.Registry(t)
	plugins := plugin.New(cli)
	rootfs := pluginRootfs(t)
	ctx := testenv.Context(t, 3*time0)
	var de *docker.Error
	auth := plugin.RegistryAuth(registry.AuthConfig{Username: user, Password: password, ServerAddress: addr})

	base := addr + "/" + testenv.Name("plugin")
	v1, v2 := base+":v1", base+":v2"
	cfg2 := pluginConfig("berth plugin v2")
	cfg2.Env[0].Value = "2"
	createPlugin(t, plugins, v1, pluginConfig("berth plugin v1"), rootfs)
	createPlugin(t, plugins, v2, cfg2, rootfs)

	for _, ref := range []string{v1, v2} {
		var digest string
		n := 0
		for p, err := range plugins.Push(ctx, ref, auth) {
			if err != nil {
				t.Fatalf("Push %s: %v", ref, err)
			}
			n++
			if len(p.Aux) > 0 {
				var aux struct{ Tag, Digest string }
				if err := docker.DecodeAux(p.Aux, &aux); err != nil {
					t.Errorf("push aux %s: %v", p.Aux, err)
				}
				digest = aux.Digest
			}
		}
		if !strings.HasPrefix(digest, "sha256:") {
			t.Errorf("Push %s: %d messages, no digest in aux", ref, n)
		}
		t.Logf("pushed %s: %s", ref, digest)
	}
	// Without credentials the registry refuses the push.
	var pushErr error
	for _, err := range plugins.Push(ctx, v1) {
		if err != nil {
			pushErr = err
			break
		}
	}
	if pushErr == nil {
		t.Error("Push without credentials succeeded")
	}
	t.Logf("push without credentials: %v", pushErr)

	for _, ref := range []string{v1, v2} {
		if err := plugins.Remove(ctx, ref); err != nil {
			t.Fatalf("Remove %s: %v", ref, err)
		}
	}

	privs, err := plugins.Privileges(ctx, v1, auth)
	if err != nil {
		t.Fatal(err)
	}
	wantPrivs := []plugin.Privilege{{Name: "network", Value: []string{"none"}}}
	if diff := cmp.Diff(wantPrivs, privs, cmpopts.IgnoreFields(plugin.Privilege{}, "Description")); diff != "" {
		t.Errorf("Privileges (-want +got):\n%s", diff)
	}
	// Engine 20.10 answers an empty list when it cannot read the plugin.
	if p, err := plugins.Privileges(ctx, v1); err == nil && len(p) == 0 {
		t.Logf("Privileges without credentials: an empty list and no error")
	} else {
		t.Logf("Privileges without credentials: %v, %v", p, err)
	}

	// Pulling without accepting the privileges is refused.
	local := testenv.Name("plugin-local") + ":latest"
	cleanupPlugin(t, plugins, local)
	var pullErr error
	for _, err := range plugins.Pull(ctx, v1, nil, auth, plugin.Name(local)) {
		if err != nil {
			pullErr = err
			break
		}
	}
	if pullErr == nil {
		t.Fatal("Pull without accepting the privileges succeeded")
	}
	var streamErr *docker.StreamError
	if !errors.As(pullErr, &streamErr) && !errors.As(pullErr, &de) {
		t.Errorf("Pull refusing the privileges: err = %v (%T), want a *docker.StreamError or *docker.Error", pullErr, pullErr)
	}
	t.Logf("pull refusing the privileges: %v", pullErr)
	if _, err := plugins.Inspect(ctx, local); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("after the refused Pull: Inspect err = %v, want ErrNotFound", err)
	}

	// Accepting them installs it, disabled, under the local name.
	n := 0
	for _, err := range plugins.Pull(ctx, v1, privs, auth, plugin.Name(local)) {
		if err != nil {
			t.Fatalf("Pull: %v", err)
		}
		n++
	}
	got, err := plugins.Inspect(ctx, local)
	if err != nil {
		t.Fatal(err)
	}
	if got.Enabled || got.PluginReference != v1 || got.Config.Description != "berth plugin v1" {
		t.Errorf("pulled plugin: Enabled %v, PluginReference %q, Description %q", got.Enabled, got.PluginReference, got.Config.Description)
	}
	t.Logf("pulled %s as %s in %d messages", v1, local, n)
	if err := plugins.Set(ctx, local, "DEBUG=7"); err != nil {
		t.Fatalf("Set: %v", err)
	}

	// Upgrade needs the plugin disabled.
	if err := plugins.Enable(ctx, local); err != nil {
		t.Fatalf("Enable: %v", err)
	}
	var upErr error
	for _, err := range plugins.Upgrade(ctx, local, v2, privs, auth) {
		if err != nil {
			upErr = err
			break
		}
	}
	if !errors.Is(upErr, docker.ErrConflict) {
		t.Errorf("Upgrade of an enabled plugin: err = %v, want ErrConflict", upErr)
	}
	t.Logf("upgrade while enabled: %v", upErr)
	if err := plugins.Disable(ctx, local); err != nil {
		t.Fatalf("Disable: %v", err)
	}
	for _, err := range plugins.Upgrade(ctx, local, v2, privs, auth) {
		if err != nil {
			t.Fatalf("Upgrade: %v", err)
		}
	}
	got, err = plugins.Inspect(ctx, local)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != local || got.PluginReference != v2 || got.Config.Description != "berth plugin v2" {
		t.Errorf("upgraded plugin: Name %q, PluginReference %q, Description %q", got.Name, got.PluginReference, got.Config.Description)
	}
	// The settings made on v1 survive the upgrade (v2 declares DEBUG=2).
	if diff := cmp.Diff([]string{"DEBUG=7"}, got.Settings.Env); diff != "" {
		t.Errorf("settings after Upgrade (-want +got):\n%s", diff)
	}

	if !pluginListed(t, plugins, local, plugin.Filter("capability", "authz"), plugin.Filter("enabled", "false")) {
		t.Error("List capability=authz enabled=false misses the upgraded plugin")
	}
	if err := plugins.Remove(ctx, local); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if pluginListed(t, plugins, local) {
		t.Error("List still shows the removed plugin")
	}
}
