package integration

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/internal/testing/testenv"
)

func TestContainerLifecycle(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, 3*time.Minute)
	name := testenv.Name("life")
	swappiness := int64(0)
	id := newCtr(t, s, container.Config{
		Cmd:        []string{"sleep", "300"},
		Env:        []string{"GREETING=hello"},
		Labels:     map[string]string{"berth.ctr": "life"},
		WorkingDir: "/tmp",
	}, container.HostConfig{
		Resources: container.Resources{
			Memory: 64 << 20, CPUShares: 512, PidsLimit: new64(64), MemorySwappiness: &swappiness,
			Ulimits: []container.Ulimit{{Name: "nofile", Soft: 1024, Hard: 2048}},
		},
		Mounts:        []container.Mount{{Type: container.MountTmpfs, Target: "/scratch", TmpfsOptions: container.TmpfsOptions{SizeBytes: 1 << 20}}},
		RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyOnFailure, MaximumRetryCount: 2},
		Tmpfs:         map[string]string{"/run": "size=65536k"},
	}, container.Name(name))

	// Everything given comes back from Inspect.
	d, err := s.Inspect(ctx, id, container.Size())
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "/"+name || !slices.Contains(d.Config.Env, "GREETING=hello") || d.Config.Labels["berth.ctr"] != "life" ||
		d.Config.WorkingDir != "/tmp" || d.State.Status != "created" || d.SizeRootFs == nil {
		t.Errorf("inspect: name %q env %v labels %v wd %q state %q sizeRootFs %v", d.Name, d.Config.Env, d.Config.Labels, d.Config.WorkingDir, d.State.Status, d.SizeRootFs)
	}
	hc := d.HostConfig
	if hc.Memory != 64<<20 || hc.CPUShares != 512 || hc.PidsLimit == nil || *hc.PidsLimit != 64 ||
		hc.MemorySwappiness == nil || *hc.MemorySwappiness != 0 || hc.NetworkMode != "none" ||
		hc.RestartPolicy != (container.RestartPolicy{Name: "on-failure", MaximumRetryCount: 2}) ||
		len(hc.Ulimits) != 1 || hc.Ulimits[0].Hard != 2048 || len(hc.Mounts) != 1 || hc.Mounts[0].Target != "/scratch" ||
		hc.Tmpfs["/run"] != "size=65536k" {
		t.Errorf("host config read back: %+v", hc)
	}

	// List finds it by label and name.
	list, err := s.List(ctx, container.All(), container.Size(), container.Filter("label", testenv.RunFilter(), "berth.ctr=life"), container.Filter("name", name))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != id || list[0].State != "created" || list[0].Labels["berth.ctr"] != "life" || list[0].SizeRootFs == nil {
		t.Fatalf("list = %+v", list)
	}
	if running, err := s.List(ctx, container.Filter("name", name)); err != nil || len(running) != 0 {
		t.Errorf("list without All shows a created container: %v, %v", running, err)
	}

	// Start, twice: the second is a 304, not an error.
	if err := s.Start(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx, id); err != nil {
		t.Errorf("second start: %v, want nil (304)", err)
	}
	d, err = s.Inspect(ctx, id)
	if err != nil || !d.State.Running || d.State.Pid == 0 {
		t.Fatalf("after start: %+v, %v", d.State, err)
	}
	started := d.State.StartedAt

	top, err := s.Top(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(top.Processes) == 0 || !slices.Contains(top.Titles, "CMD") || !strings.Contains(strings.Join(top.Processes[0], " "), "sleep 300") {
		t.Errorf("top = %+v", top)
	}
	top, err = s.Top(ctx, id, container.PsArgs("-o pid,comm"))
	if err != nil || len(top.Titles) != 2 {
		t.Errorf("top with ps args = %+v, %v", top, err)
	}

	// Pause and unpause.
	if err := s.Pause(ctx, id); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Inspect(ctx, id); err != nil || !d.State.Paused || d.State.Status != "paused" {
		t.Errorf("after pause: %+v, %v", d.State, err)
	}
	if err := s.Pause(ctx, id); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("pause a paused container: %v, want ErrConflict", err)
	}
	if err := s.Unpause(ctx, id); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Inspect(ctx, id); err != nil || d.State.Paused || !d.State.Running {
		t.Errorf("after unpause: %+v, %v", d.State, err)
	}

	// Rename; a taken name is a conflict.
	name2 := testenv.Name("life2")
	if err := s.Rename(ctx, id, name2); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Inspect(ctx, name2); err != nil || d.ID != id {
		t.Errorf("inspect by new name: %v, %v", d.ID, err)
	}
	other := newCtr(t, s, container.Config{Cmd: []string{"exit", "0"}}, container.HostConfig{})
	if err := s.Rename(ctx, other, name2); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("rename to a taken name: %v, want ErrConflict", err)
	}

	// Update the memory limit and the restart policy.
	up, err := s.Update(ctx, id, container.UpdateConfig{
		Resources:     container.Resources{Memory: 128 << 20, MemorySwap: 256 << 20},
		RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyUnlessStopped},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("update warnings: %v", up.Warnings)
	if d, err := s.Inspect(ctx, id); err != nil || d.HostConfig.Memory != 128<<20 || d.HostConfig.RestartPolicy.Name != "unless-stopped" || d.HostConfig.CPUShares != 512 {
		t.Errorf("after update: memory %d restart %+v cpu shares %d, %v", d.HostConfig.Memory, d.HostConfig.RestartPolicy, d.HostConfig.CPUShares, err)
	}

	// Restart: a new start time, still running.
	if err := s.Restart(ctx, id, container.Timeout(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	d, err = s.Inspect(ctx, id)
	if err != nil || !d.State.Running || !d.State.StartedAt.After(started) {
		t.Errorf("after restart: %+v (started before %v), %v", d.State, started, err)
	}

	// Kill with a signal: the test program reports it and exits 128+10.
	if err := s.Kill(ctx, id, container.Signal("SIGUSR1")); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, s, id, time.Minute); code != 138 {
		t.Errorf("exit code after SIGUSR1 = %d, want 138", code)
	}
	// Stopping a stopped container is not an error (304); killing it is a conflict.
	if err := s.Stop(ctx, id); err != nil {
		t.Errorf("stop a stopped container: %v, want nil", err)
	}
	if err := s.Kill(ctx, id); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("kill a stopped container: %v, want ErrConflict", err)
	}
	// Wait on an exited container returns at once with its code.
	if code := waitExit(t, s, id, 10*time.Second); code != 138 {
		t.Errorf("second wait = %d, want 138", code)
	}

	changes, err := s.Changes(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(changes, func(c container.Change) bool { return c.Path == "/scratch" && c.Kind == container.ChangeAdd }) {
		t.Errorf("changes = %+v, want /scratch added", changes)
	}

	if err := s.Remove(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Inspect(ctx, id); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("inspect after remove: %v, want ErrNotFound", err)
	}
}

func new64(v int64) *int64 { return &v }

func TestContainerWaitConditions(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, 2*time.Minute)

	t.Run("next-exit", func(t *testing.T) {
		id := runCtr(t, s, container.Config{Cmd: []string{"sleep", "300"}}, container.HostConfig{})
		type result struct {
			exit container.Exit
			err  error
		}
		done := make(chan result, 1)
		go func() {
			e, err := s.Wait(ctx, id, container.Condition(container.WaitNextExit))
			done <- result{e, err}
		}()
		time.Sleep(200 * time.Millisecond) // let the wait register
		if err := s.Stop(ctx, id, container.Timeout(10*time.Second)); err != nil {
			t.Fatal(err)
		}
		r := <-done
		if r.err != nil || r.exit.StatusCode != 143 {
			t.Errorf("next-exit wait = %+v, %v; want 143 (SIGTERM)", r.exit, r.err)
		}
	})

	t.Run("not-running", func(t *testing.T) {
		id := runCtr(t, s, container.Config{Cmd: []string{"exit", "7"}}, container.HostConfig{})
		exit, err := s.Wait(ctx, id, container.Condition(container.WaitNotRunning))
		if err != nil || exit.StatusCode != 7 {
			t.Errorf("wait = %+v, %v; want 7", exit, err)
		}
	})

	t.Run("removed", func(t *testing.T) {
		id := runCtr(t, s, container.Config{Cmd: []string{"exit", "3"}}, container.HostConfig{})
		waitExit(t, s, id, time.Minute)
		type result struct {
			exit container.Exit
			err  error
		}
		done := make(chan result, 1)
		go func() {
			e, err := s.Wait(ctx, id, container.Condition(container.WaitRemoved))
			done <- result{e, err}
		}()
		time.Sleep(200 * time.Millisecond)
		select {
		case r := <-done:
			t.Fatalf("wait for removal returned before the removal: %+v, %v", r.exit, r.err)
		default:
		}
		if err := s.Remove(ctx, id); err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-done:
			if r.err != nil || r.exit.StatusCode != 3 {
				t.Errorf("removed wait = %+v, %v; want 3", r.exit, r.err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("wait for removal did not return")
		}
	})

	t.Run("cancel", func(t *testing.T) {
		id := runCtr(t, s, container.Config{Cmd: []string{"sleep", "300"}}, container.HostConfig{})
		wctx, cancel := contextWithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := s.Wait(wctx, id)
		if !errors.Is(err, errDeadline) || time.Since(start) > 5*time.Second {
			t.Errorf("cancelled wait: %v after %v", err, time.Since(start))
		}
	})
}

func TestContainerResize(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, time.Minute)
	id := runCtr(t, s, container.Config{Cmd: []string{"sleep", "300"}, Tty: true}, container.HostConfig{})
	if err := s.Resize(ctx, id, 40, 120); err != nil {
		t.Fatal(err)
	}
	stopped := newCtr(t, s, container.Config{Cmd: []string{"exit", "0"}, Tty: true}, container.HostConfig{})
	if err := s.Resize(ctx, stopped, 40, 120); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("resize a created container: %v, want ErrConflict", err)
	}
}

func TestContainerPrune(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, time.Minute)
	mark := "berth.prune=" + testenv.Name("p")
	label := map[string]string{"berth.prune": strings.TrimPrefix(mark, "berth.prune=")}
	a := newCtr(t, s, container.Config{Cmd: []string{"exit", "0"}, Labels: label}, container.HostConfig{})
	b := newCtr(t, s, container.Config{Cmd: []string{"exit", "0"}, Labels: label}, container.HostConfig{})
	keep := newCtr(t, s, container.Config{Cmd: []string{"exit", "0"}}, container.HostConfig{})
	rep, err := s.Prune(ctx, container.Filter("label", mark))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(rep.ContainersDeleted)
	want := []string{a, b}
	slices.Sort(want)
	if !slices.Equal(rep.ContainersDeleted, want) {
		t.Errorf("pruned %v, want %v", rep.ContainersDeleted, want)
	}
	if _, err := s.Inspect(ctx, keep); err != nil {
		t.Errorf("a container without the label was pruned: %v", err)
	}
}

func TestContainerBadInput(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, time.Minute)
	taken := testenv.Name("taken")
	newCtr(t, s, container.Config{Cmd: []string{"exit", "0"}}, container.HostConfig{}, container.Name(taken))
	img := testenv.Image(t)
	create := func(cfg container.Config, hc container.HostConfig, opts ...container.CreateOption) error {
		cfg.Labels = testenv.Labels()
		if cfg.Image == "" {
			cfg.Image = img
		}
		hc.NetworkMode = "none"
		c, err := s.Create(ctx, cfg, append(opts, container.WithHostConfig(hc))...)
		if err == nil {
			removeCtr(t, s, c.ID)
		}
		return err
	}
	const unknown = "berth-no-such-container-0123"
	for _, tc := range []struct {
		name string
		err  func() error
		is   error  // the sentinel, or nil for a local error
		msg  string // a part of the message
	}{
		{"inspect empty id", func() error { _, err := s.Inspect(ctx, ""); return err }, nil, "empty"},
		{"start empty id", func() error { return s.Start(ctx, "") }, nil, "empty"},
		{"inspect unknown", func() error { _, err := s.Inspect(ctx, unknown); return err }, docker.ErrNotFound, unknown},
		{"start unknown", func() error { return s.Start(ctx, unknown) }, docker.ErrNotFound, unknown},
		{"stop unknown", func() error { return s.Stop(ctx, unknown) }, docker.ErrNotFound, unknown},
		{"remove unknown", func() error { return s.Remove(ctx, unknown) }, docker.ErrNotFound, unknown},
		{"wait unknown", func() error { _, err := s.Wait(ctx, unknown); return err }, docker.ErrNotFound, unknown},
		{"top unknown", func() error { _, err := s.Top(ctx, unknown); return err }, docker.ErrNotFound, unknown},
		{"name conflict", func() error { return create(container.Config{}, container.HostConfig{}, container.Name(taken)) }, docker.ErrConflict, taken},
		{"bad restart policy", func() error {
			return create(container.Config{}, container.HostConfig{RestartPolicy: container.RestartPolicy{Name: "bogus"}})
		}, docker.ErrInvalidArgument, "bogus"},
		{"negative memory", func() error {
			return create(container.Config{}, container.HostConfig{Resources: container.Resources{Memory: -5}})
		}, docker.ErrInvalidArgument, "memory"},
		{"auto-remove with restart", func() error {
			return create(container.Config{}, container.HostConfig{AutoRemove: true, RestartPolicy: container.RestartPolicy{Name: "always"}})
		}, docker.ErrInvalidArgument, "AutoRemove"},
		{"missing image", func() error { return create(container.Config{Image: "berth-no-such-image:1"}, container.HostConfig{}) }, docker.ErrNotFound, "berth-no-such-image"},
		{"update bad restart policy", func() error {
			_, err := s.Update(ctx, taken, container.UpdateConfig{RestartPolicy: container.RestartPolicy{Name: "bogus"}})
			return err
		}, docker.ErrInvalidArgument, "bogus"},
		{"update negative memory", func() error {
			_, err := s.Update(ctx, taken, container.UpdateConfig{Resources: container.Resources{Memory: -5}})
			return err
		}, docker.ErrInvalidArgument, "memory"},
		{"rename empty", func() error { return s.Rename(ctx, taken, "") }, nil, "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if err == nil {
				t.Fatal("no error")
			}
			var de *docker.Error
			if tc.is == nil && errors.As(err, &de) {
				t.Errorf("local error dressed as a daemon error: %v", err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want %v", err, tc.is)
			}
			if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(tc.msg)) {
				t.Errorf("err = %v, want it to mention %q", err, tc.msg)
			}
		})
	}
}
