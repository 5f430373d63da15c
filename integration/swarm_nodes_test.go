package integration

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/swarm"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// TestSwarmNodes runs a swarm of two real Engines: the daemon under test
// as the manager and a second dockerd the test starts as the worker (see
// swWorker). Through berth's public API it joins the worker (a wrong token
// first), lists the nodes, spreads a replicated service, drains the worker
// and makes it active again, runs a global service, kills the worker's
// dockerd and watches the manager notice and reschedule, starts it again,
// and has it leave and removes it. It reports how long each step took:
// about a minute in all on a 2-core machine, most of it the daemon's wait
// before refusing a wrong token (~10s) and the manager marking the killed
// and the departed worker down (10-15s each: three heartbeat periods after
// the last heartbeat). It is not parallel: the swarm is the daemon's.
func TestSwarmNodes(t *testing.T) {
	testenv.Client(t) // skip (or fail) without a daemon
	testenv.SkipOnPodman(t, testenv.PodmanNoSwarm)
	if reason := swWorkerMissing(); reason != "" {
		swSkip(t, reason)
	}
	begin := time.Now()
	var timings swTimings
	t.Cleanup(func() {
		t.Logf("two-node swarm test took %v; %s", time.Since(begin).Round(time.Millisecond), timings.String())
	})

	// Both clients log every request at debug level: the log must never
	// show a join token or unlock key.
	var logged swLog
	logger := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mcli, err := docker.New(docker.FromEnv(), docker.WithUserAgent("berth-integration-tests"), docker.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mcli.Close() })
	if h := mcli.Host(); !strings.HasPrefix(h, "unix://") {
		swSkip(t, "the two-node swarm test needs the daemon under test on this machine, behind a unix socket; it is at "+h)
	}
	imageID := swImageID(t, mcli)
	w := swStartWorker(t, logger)
	mgr, wrk := swarm.New(mcli), swarm.New(w.cli)
	t.Cleanup(func() {
		if s := swSecretRE.FindString(logged.String()); s != "" {
			t.Errorf("berth's debug log shows a swarm secret (%s)", redacted(s))
		}
	})

	ctx := testenv.Context(t, 3*time0) // the budget of the whole two-node run
	start := time.Now()
	swCopyImage(t, ctx, mcli, w.cli, imageID)
	timings.add("image copied to the worker", time.Since(start))

	managerID := swInit(t, mcli, mgr, swInitRequest(w.managerAddr()))
	info, err := mgr.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	token := info.JoinTokens.Worker
	heartbeat := 5 * time.Second
	if d := info.Spec.Dispatcher; d != nil && d.HeartbeatPeriod > 0 {
		heartbeat = d.HeartbeatPeriod
	}
	join := swarm.JoinRequest{ListenAddr: w.addr(), AdvertiseAddr: w.addr(), RemoteAddrs: []string{w.managerAddr()}, JoinToken: token}

	// errText checks that an error shows no token and returns its text.
	errText := func(t *testing.T, err error) string {
		t.Helper()
		s := fmt.Sprint(err)
		if strings.Contains(s, token) || swSecretRE.MatchString(s) {
			t.Errorf("the error shows a join token: %s", swSecretRE.ReplaceAllString(s, "[secret]"))
		}
		return swSecretRE.ReplaceAllString(s, "[secret]")
	}

	if !t.Run("JoinWrongToken", func(t *testing.T) {
		wrong := join
		i := strings.LastIndexByte(token, '-')
		wrong.JoinToken = token[:i+1] + strings.Repeat("0", len(token)-i-1) // the right CA, a wrong secret
		start := time.Now()
		err := wrk.Join(ctx, wrong)
		took := time.Since(start)
		if !errors.Is(err, docker.ErrInvalidArgument) {
			t.Fatalf("join with a wrong token: err = %v, want docker.ErrInvalidArgument", errText(t, err))
		}
		t.Logf("join with a wrong token: after %v: %s", took.Round(time.Millisecond), errText(t, err))
		timings.add("join refused", took)
		if s := fmt.Sprint(wrong); strings.Contains(s, wrong.JoinToken) {
			t.Errorf("fmt shows the join request's token: %s", s)
		}
		st, err := w.cli.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Swarm.LocalNodeState != "inactive" {
			t.Errorf("worker after a refused join: state %q (%s), want inactive", st.Swarm.LocalNodeState, st.Swarm.Error)
		}
	}) {
		return
	}

	var workerID string
	if !t.Run("Join", func(t *testing.T) {
		start := time.Now()
		if err := wrk.Join(ctx, join); err != nil {
			t.Fatalf("join: %s", errText(t, err))
		}
		took := time.Since(start)
		timings.add("join", took)
		st, err := w.cli.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		workerID = st.Swarm.NodeID
		t.Logf("join returned nil after %v; worker's Info: state %s, node %s, addr %s, control %v, managers %v",
			took.Round(time.Millisecond), st.Swarm.LocalNodeState, workerID, st.Swarm.NodeAddr, st.Swarm.ControlAvailable, st.Swarm.RemoteManagers)
		if st.Swarm.LocalNodeState != "active" || workerID == "" || st.Swarm.ControlAvailable || st.Swarm.NodeAddr != w.ip.String() {
			t.Errorf("worker's swarm info: %+v", st.Swarm)
		}
		if _, err := wrk.Inspect(ctx); !errors.Is(err, docker.ErrUnavailable) {
			t.Errorf("inspect the swarm on a worker: err = %v, want docker.ErrUnavailable", err)
		}
		if err := wrk.Join(ctx, join); !errors.Is(err, docker.ErrUnavailable) {
			t.Errorf("join again: err = %s, want docker.ErrUnavailable", errText(t, err))
		}
	}) {
		return
	}
	// Registered after the manager's leave, so it runs before it.
	t.Cleanup(func() {
		if !w.running() {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time0)
		defer cancel()
		if err := wrk.Leave(ctx, swarm.Force()); err != nil && !errors.Is(err, docker.ErrUnavailable) {
			t.Errorf("cleanup: the worker leaves: %v", err)
		}
	})

	nodes, tasks, svcs := mgr.Nodes(), mgr.Tasks(), mgr.Services()
	if !t.Run("Nodes", func(t *testing.T) {
		start := time.Now()
		var list []swarm.Node
		took, err := swPoll(ctx, time0, func(ctx context.Context) (bool, string, error) {
			var err error
			list, err = nodes.List(ctx)
			return len(list) == 2 && list[0].Status.State == swarm.NodeStateReady && list[1].Status.State == swarm.NodeStateReady,
				swNodeStates(list), err
		})
		if err != nil {
			t.Fatal(err)
		}
		timings.add("worker listed ready", time.Since(start))
		t.Logf("nodes after %v: %s", took.Round(time.Millisecond), swNodeStates(list))
		for _, n := range list {
			switch n.ID {
			case managerID:
				if n.Spec.Role != swarm.RoleManager || n.ManagerStatus == nil || !n.ManagerStatus.Leader ||
					n.ManagerStatus.Addr != w.managerAddr() || n.Status.Addr != w.managerIP.String() {
					t.Errorf("manager: role %s, status %+v, manager status %+v", n.Spec.Role, n.Status, n.ManagerStatus)
				}
			case workerID:
				if n.Spec.Role != swarm.RoleWorker || n.ManagerStatus != nil || n.Status.Addr != w.ip.String() ||
					n.Spec.Availability != swarm.AvailabilityActive {
					t.Errorf("worker: role %s, availability %s, status %+v, manager status %+v", n.Spec.Role, n.Spec.Availability, n.Status, n.ManagerStatus)
				}
			default:
				t.Errorf("unknown node %s", n.ID)
			}
		}
		workers, err := nodes.List(ctx, swarm.Filter("role", "worker"))
		if err != nil || len(workers) != 1 || workers[0].ID != workerID {
			t.Errorf("nodes with role worker: %d (err %v), want the worker", len(workers), err)
		}
	}) {
		return
	}

	replicated := swCreateService(t, mcli, svcs, swNodesService("spread", imageID, swarm.ReplicatedMode(4)))
	if !t.Run("ReplicatedSpreads", func(t *testing.T) {
		start := time.Now()
		if _, err := svcs.WaitConverged(ctx, replicated, swarm.PollInterval(250*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		timings.add("4 replicas converged", time.Since(start))
		on, err := swRunningOn(ctx, tasks, replicated)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("4 replicas running after %v: %d on the manager, %d on the worker", time.Since(start).Round(time.Millisecond), on[managerID], on[workerID])
		if on[managerID] != 2 || on[workerID] != 2 {
			t.Errorf("running tasks per node: %v, want 2 on each", on)
		}
	}) {
		return
	}

	if !t.Run("Drain", func(t *testing.T) {
		start := time.Now()
		swSetAvailability(t, ctx, nodes, workerID, swarm.AvailabilityDrain)
		// The orchestrator acts on the drain after the update returns: until
		// then the service looks converged with the worker's tasks.
		took, err := swPoll(ctx, time0, func(ctx context.Context) (bool, string, error) {
			on, err := swRunningOn(ctx, tasks, replicated)
			return on[managerID] == 4 && on[workerID] == 0, fmt.Sprint(on), err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svcs.WaitConverged(ctx, replicated, swarm.PollInterval(250*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		timings.add("drain converged", time.Since(start))
		t.Logf("drained: 4 tasks on the manager after %v, converged after %v", took.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		left, err := tasks.List(ctx, swarm.Filter("node", workerID), swarm.Filter("desired-state", "running"))
		if err != nil || len(left) != 0 {
			t.Errorf("tasks meant to run on the drained worker: %d (err %v)", len(left), err)
		}
		swSetAvailability(t, ctx, nodes, workerID, swarm.AvailabilityActive)
	}) {
		return
	}

	global := swCreateService(t, mcli, svcs, swNodesService("global", imageID, swarm.GlobalMode()))
	if !t.Run("Global", func(t *testing.T) {
		start := time.Now()
		if _, err := svcs.WaitConverged(ctx, global, swarm.PollInterval(250*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		timings.add("global converged", time.Since(start))
		on, err := swRunningOn(ctx, tasks, global)
		if err != nil {
			t.Fatal(err)
		}
		if on[managerID] != 1 || on[workerID] != 1 || len(on) != 2 {
			t.Errorf("global tasks per node: %v, want one on each", on)
		}
	}) {
		return
	}

	if !t.Run("Rebalance", func(t *testing.T) {
		// Swarm does not move running tasks back to a node made active:
		// a forced update redeploys them, spread again.
		start := time.Now()
		svc, err := svcs.Inspect(ctx, replicated)
		if err != nil {
			t.Fatal(err)
		}
		spec := svc.Spec
		spec.TaskTemplate.ForceUpdate++
		if _, err := svcs.Update(ctx, replicated, svc.Version, spec); err != nil {
			t.Fatal(err)
		}
		if _, err := svcs.WaitConverged(ctx, replicated, swarm.PollInterval(250*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		timings.add("rebalanced", time.Since(start))
		on, err := swRunningOn(ctx, tasks, replicated)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("after a forced update: %d on the manager, %d on the worker", on[managerID], on[workerID])
		if on[workerID] == 0 {
			t.Errorf("running tasks per node: %v, want some on the worker", on)
		}
	}) {
		return
	}

	var lost []swarm.Task // the tasks running on the worker when it was killed
	if !t.Run("NodeLoss", func(t *testing.T) {
		var err error
		lost, err = tasks.List(ctx, swarm.Filter("node", workerID), swarm.Filter("desired-state", "running"))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := w.kill(t); err != nil {
			t.Fatal(err)
		}
		var n swarm.Node
		took, err := swPoll(ctx, 6*heartbeat+30*time.Second, func(ctx context.Context) (bool, string, error) {
			var err error
			n, err = nodes.Inspect(ctx, workerID)
			return n.Status.State == swarm.NodeStateDown, string(n.Status.State), err
		})
		if err != nil {
			t.Fatalf("the manager did not report the killed worker down: %v", err)
		}
		timings.add("worker seen down", took)
		t.Logf("Nodes().Inspect: worker %s (%q) %v after SIGKILL (heartbeat period %v)", n.Status.State, n.Status.Message, took.Round(time.Millisecond), heartbeat)

		svc, err := svcs.WaitConverged(ctx, replicated, swarm.PollInterval(250*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		timings.add("converged on the manager", time.Since(start))
		on, err := swRunningOn(ctx, tasks, replicated)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("WaitConverged returned %v after the kill: %v running on the manager, %d on the worker", time.Since(start).Round(time.Millisecond), on[managerID], on[workerID])
		if on[managerID] != int(*svc.Spec.Mode.Replicated.Replicas) || on[workerID] != 0 {
			t.Errorf("running tasks per node: %v, want all on the manager", on)
		}
		// The lost tasks keep the state their node last reported.
		for _, l := range lost {
			got, err := tasks.Inspect(ctx, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.DesiredState == swarm.TaskStateRunning {
				t.Errorf("task %s on the lost worker: desired %s, state %s", got.ID, got.DesiredState, got.Status.State)
			}
			if got.ServiceID == replicated {
				t.Logf("lost task %s: desired %s, state %s (%q)", got.ID, got.DesiredState, got.Status.State, got.Status.Message)
			}
		}
		if _, err := svcs.WaitConverged(ctx, global, swarm.PollInterval(250*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		if on, err := swRunningOn(ctx, tasks, global); err != nil || on[managerID] != 1 || len(on) != 1 {
			t.Errorf("global tasks with the worker down: %v (err %v), want the manager's alone", on, err)
		}
	}) {
		return
	}

	if !t.Run("Rejoin", func(t *testing.T) {
		start := time.Now()
		if err := w.start(ctx); err != nil {
			t.Fatalf("restart the worker's dockerd: %v", err)
		}
		answered := time.Since(start)
		var n swarm.Node
		_, err := swPoll(ctx, 2*time0, func(ctx context.Context) (bool, string, error) {
			var err error
			n, err = nodes.Inspect(ctx, workerID)
			return n.Status.State == swarm.NodeStateReady, string(n.Status.State), err
		})
		if err != nil {
			t.Fatal(err)
		}
		timings.add("worker ready again", time.Since(start))
		t.Logf("worker's dockerd answered after %v, node ready after %v", answered.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		if _, err := svcs.WaitConverged(ctx, global, swarm.PollInterval(250*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		if _, err := svcs.WaitConverged(ctx, replicated, swarm.PollInterval(250*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		timings.add("converged after rejoin", time.Since(start))
		t.Logf("both services converged %v after the restart", time.Since(start).Round(time.Millisecond))
		if on, err := swRunningOn(ctx, tasks, global); err != nil || on[managerID] != 1 || on[workerID] != 1 {
			t.Errorf("global tasks after the rejoin: %v (err %v), want one on each node", on, err)
		}
		// Swarm does not move the replicated tasks back by itself.
		if on, err := swRunningOn(ctx, tasks, replicated); err != nil || on[managerID] != 4 {
			t.Errorf("replicated tasks after the rejoin: %v (err %v), want 4 on the manager", on, err)
		}
		// The returning worker reports what became of the lost tasks.
		for _, l := range lost {
			got, err := tasks.Inspect(ctx, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status.State == swarm.TaskStateRunning {
				t.Errorf("lost task %s still running after the rejoin", got.ID)
			}
			if got.ServiceID == replicated {
				t.Logf("lost task %s after the rejoin: desired %s, state %s (%q)", got.ID, got.DesiredState, got.Status.State, got.Status.Message)
			}
		}
	}) {
		return
	}

	t.Run("LeaveAndRemove", func(t *testing.T) {
		err := nodes.Remove(ctx, workerID)
		if !errors.Is(err, docker.ErrInvalidArgument) || !strings.Contains(err.Error(), "is not down") {
			t.Errorf("remove a ready node: err = %v, want docker.ErrInvalidArgument, not down", err)
		}
		t.Logf("Nodes().Remove of the ready worker: %v", err)
		start := time.Now()
		if err := wrk.Leave(ctx); err != nil {
			t.Fatal(err)
		}
		timings.add("leave", time.Since(start))
		if st, err := w.cli.Info(ctx); err != nil || st.Swarm.LocalNodeState != "inactive" {
			t.Errorf("worker after leaving: state %q (err %v), want inactive", st.Swarm.LocalNodeState, err)
		}
		var n swarm.Node
		took, err := swPoll(ctx, time0, func(ctx context.Context) (bool, string, error) {
			var err error
			n, err = nodes.Inspect(ctx, workerID)
			return n.Status.State == swarm.NodeStateDown, string(n.Status.State), err
		})
		if err != nil {
			t.Fatal(err)
		}
		timings.add("left node seen down", took)
		t.Logf("after leave: node %s after %v (message %q)", n.Status.State, took.Round(time.Millisecond), n.Status.Message)
		if err := nodes.Remove(ctx, workerID); err != nil {
			t.Fatal(err)
		}
		list, err := nodes.List(ctx)
		if err != nil || len(list) != 1 || list[0].ID != managerID {
			t.Errorf("nodes after remove: %s (err %v), want the manager alone", swNodeStates(list), err)
		}
		if err := nodes.Remove(ctx, workerID); !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("remove again: err = %v, want docker.ErrNotFound", err)
		}
	})
}
