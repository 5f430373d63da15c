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
			// nproc too: given any ulimit, Podman adds nproc=1048576 for
			// a root container unless nproc is given (podman-ulimit-nproc).
			Ulimits: []container.Ulimit{{Name: "nofile", Soft: 1024, Hard: 2048}, {Name: "nproc", Soft: 4096, Hard: 4096}},
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
	nofile := slices.IndexFunc(hc.Ulimits, func(u container.Ulimit) bool { return u.Name == "nofile" })
	tmpfsOK := len(hc.Mounts) == 1 && hc.Mounts[0].Target == "/scratch" && hc.Tmpfs["/run"] == "size=65536k"
	if testenv.OnPodman(t, testenv.PodmanHostConfig) {
		nofile = slices.IndexFunc(hc.Ulimits, func(u container.Ulimit) bool { return u.Name == "RLIMIT_NOFILE" })
		tmpfsOK = strings.HasPrefix(hc.Tmpfs["/run"], "size=65536k,") && strings.HasPrefix(hc.Tmpfs["/scratch"], "size=1048576,")
	}
	if hc.Memory != 64<<20 || hc.CPUShares != 512 || hc.PidsLimit == nil || *hc.PidsLimit != 64 ||
		hc.MemorySwappiness == nil || *hc.MemorySwappiness != 0 || hc.NetworkMode != "none" ||
		hc.RestartPolicy != (container.RestartPolicy{Name: "on-failure", MaximumRetryCount: 2}) ||
		len(hc.Ulimits) != 2 || nofile < 0 || hc.Ulimits[nofile].Hard != 2048 || !tmpfsOK {
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

	if !testenv.OnPodman(t, testenv.PodmanTop) {
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
	}

	// Pause and unpause.
	if err := s.Pause(ctx, id); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Inspect(ctx, id); err != nil || !d.State.Paused || d.State.Status != "paused" {
		t.Errorf("after pause: %+v, %v", d.State, err)
	}
	wantRefusal(t, "pause a paused container", s.Pause(ctx, id), docker.ErrConflict, "container state improper")
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
	wantRefusal(t, "rename to a taken name", s.Rename(ctx, other, name2), docker.ErrConflict, "name is already in use")

	// Update the memory limit and the restart policy.
	noUpdate := testenv.OnPodman(t, testenv.PodmanNoUpdate)
	if !noUpdate {
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
	wantRefusal(t, "kill a stopped container", s.Kill(ctx, id), docker.ErrConflict, "container state improper")
	// Wait on an exited container returns at once with its code. (Without
	// the update the policy is still on-failure: Podman restarted the
	// container after the SIGUSR1 and the stop above ended that run.)
	if code := waitExit(t, s, id, 10*time.Second); code != 138 && !noUpdate {
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
		want := int64(3)
		if testenv.OnPodman(t, testenv.PodmanWaitRemoved) {
			want = 0
		}
		select {
		case r := <-done:
			if r.err != nil || r.exit.StatusCode != want {
				t.Errorf("removed wait = %+v, %v; want %d", r.exit, r.err, want)
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
	wantRefusal(t, "resize a created container", s.Resize(ctx, stopped, 40, 120), docker.ErrConflict, "container state improper")
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
		// On Podman: the message of its 500 (podman-status-500) when it
		// refuses with another status, or a difference to skip for.
		podmanSays string
		podmanSkip testenv.Difference
	}{
		{name: "inspect empty id", err: func() error { _, err := s.Inspect(ctx, ""); return err }, msg: "empty"},
		{name: "start empty id", err: func() error { return s.Start(ctx, "") }, msg: "empty"},
		{name: "inspect unknown", err: func() error { _, err := s.Inspect(ctx, unknown); return err }, is: docker.ErrNotFound, msg: unknown},
		{name: "start unknown", err: func() error { return s.Start(ctx, unknown) }, is: docker.ErrNotFound, msg: unknown},
		{name: "stop unknown", err: func() error { return s.Stop(ctx, unknown) }, is: docker.ErrNotFound, msg: unknown},
		{name: "remove unknown", err: func() error { return s.Remove(ctx, unknown) }, is: docker.ErrNotFound, msg: unknown},
		{name: "wait unknown", err: func() error { _, err := s.Wait(ctx, unknown); return err }, is: docker.ErrNotFound, msg: unknown},
		{name: "top unknown", err: func() error { _, err := s.Top(ctx, unknown); return err }, is: docker.ErrNotFound, msg: unknown},
		{name: "name conflict", err: func() error { return create(container.Config{}, container.HostConfig{}, container.Name(taken)) },
			is: docker.ErrConflict, msg: taken, podmanSays: "already in use"},
		{name: "bad restart policy", err: func() error {
			return create(container.Config{}, container.HostConfig{RestartPolicy: container.RestartPolicy{Name: "bogus"}})
		}, is: docker.ErrInvalidArgument, msg: "bogus", podmanSays: "invalid argument"},
		{name: "negative memory", err: func() error {
			return create(container.Config{}, container.HostConfig{Resources: container.Resources{Memory: -5}})
		}, is: docker.ErrInvalidArgument, msg: "memory", podmanSkip: testenv.PodmanValidation},
		// Podman says "the --rm option conflicts with --restart".
		{name: "auto-remove with restart", err: func() error {
			return create(container.Config{}, container.HostConfig{AutoRemove: true, RestartPolicy: container.RestartPolicy{Name: "always"}})
		}, is: docker.ErrInvalidArgument, msg: "restart", podmanSays: "conflicts with --restart"},
		{name: "missing image", err: func() error { return create(container.Config{Image: "berth-no-such-image:1"}, container.HostConfig{}) },
			is: docker.ErrNotFound, msg: "berth-no-such-image"},
		{name: "update bad restart policy", err: func() error {
			_, err := s.Update(ctx, taken, container.UpdateConfig{RestartPolicy: container.RestartPolicy{Name: "bogus"}})
			return err
		}, is: docker.ErrInvalidArgument, msg: "bogus", podmanSkip: testenv.PodmanNoUpdate},
		{name: "update negative memory", err: func() error {
			_, err := s.Update(ctx, taken, container.UpdateConfig{Resources: container.Resources{Memory: -5}})
			return err
		}, is: docker.ErrInvalidArgument, msg: "memory", podmanSkip: testenv.PodmanNoUpdate},
		{name: "rename empty", err: func() error { return s.Rename(ctx, taken, "") }, msg: "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.podmanSkip.ID != "" {
				testenv.SkipOnPodman(t, tc.podmanSkip)
			}
			err := tc.err()
			if err == nil {
				t.Fatal("no error")
			}
			var de *docker.Error
			if tc.is == nil && errors.As(err, &de) {
				t.Errorf("local error dressed as a daemon error: %v", err)
			}
			if tc.is != nil && tc.podmanSays != "" {
				wantRefusal(t, "err", err, tc.is, tc.podmanSays)
			} else if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want %v", err, tc.is)
			}
			if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(tc.msg)) {
				t.Errorf("err = %v, want it to mention %q", err, tc.msg)
			}
		})
	}
}

// TestContainerMissingExecutable starts a container whose entrypoint does
// not exist: the Engine refuses the start with 400 and records exit code
// 127, as docker run reports a command that cannot be found.
func TestContainerMissingExecutable(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, time.Minute)
	id := newCtr(t, s, container.Config{Entrypoint: []string{"/berth-no-such-binary"}}, container.HostConfig{})
	err := s.Start(ctx, id)
	wantRefusal(t, "start", err, docker.ErrInvalidArgument, "/berth-no-such-binary")
	if err == nil || !strings.Contains(err.Error(), "/berth-no-such-binary") {
		t.Errorf("start: %v, want the daemon's message naming the executable", err)
	}
	d, err := s.Inspect(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := 127
	if testenv.OnPodman(t, testenv.PodmanExitCodes) {
		want = 0
	}
	if d.State.Running || d.State.ExitCode != want {
		t.Errorf("state after the refused start: %+v, want exit code %d", d.State, want)
	}
}
