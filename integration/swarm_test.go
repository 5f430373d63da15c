package integration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/swarm"
	"github.com/berth-go/berth/internal/testing/testenv"
	"github.com/google/go-cmp/cmp"
)

// TestSwarm runs every swarm operation but Join (which needs a second
// Engine; the unit tests cover it against a fake) on a single-node swarm
// that it creates and always leaves. It is not parallel: the swarm is the
// daemon's, and the steps depend on each other.
func TestSwarm(t *testing.T) {
	testenv.SkipOnPodman(t, testenv.PodmanNoSwarm)
	cli := testenv.Client(t)
	sw := swarm.New(cli)
	imageID := swImageID(t, cli)
	nodeID := swInit(t, cli, sw, swInitRequest("127.0.0.1:2377"))
	start := time.Now()
	t.Cleanup(func() { t.Logf("swarm test took %v", time.Since(start).Round(time.Millisecond)) })

	t.Run("InitAgain", func(t *testing.T) {
		_, err := sw.Init(testenv.Context(t, time0), swarm.InitRequest{ListenAddr: "127.0.0.1:2377"})
		if !errors.Is(err, docker.ErrUnavailable) {
			t.Fatalf("second init: err = %v, want docker.ErrUnavailable", err)
		}
		if !strings.Contains(err.Error(), "already part of a swarm") {
			t.Errorf("err = %v, want the daemon's message", err)
		}
	})

	var info swarm.Info
	if !t.Run("Inspect", func(t *testing.T) {
		var err error
		info, err = sw.Inspect(testenv.Context(t, time0))
		if err != nil {
			t.Fatal(err)
		}
		if info.ID == "" || info.Version.Index == 0 {
			t.Errorf("swarm id %q, version %d", info.ID, info.Version.Index)
		}
		if !strings.HasPrefix(info.JoinTokens.Worker, "SWMTKN-") || !strings.HasPrefix(info.JoinTokens.Manager, "SWMTKN-") {
			t.Errorf("join tokens missing") // the tokens themselves are not printed
		}
		if s := fmt.Sprint(info.JoinTokens); strings.Contains(s, info.JoinTokens.Worker) {
			t.Errorf("fmt shows a join token: %s", s)
		}
		if diff := cmp.Diff(testenv.Labels(), info.Spec.Labels); diff != "" {
			t.Errorf("spec labels (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"10.217.0.0/16"}, info.DefaultAddrPool); diff != "" || info.SubnetSize != 24 {
			t.Errorf("address pool %v /%d, want 10.217.0.0/16 /24", info.DefaultAddrPool, info.SubnetSize)
		}
	}) {
		return
	}

	t.Run("UpdateAndRotate", func(t *testing.T) {
		ctx := testenv.Context(t, time0)
		spec := info.Spec
		limit := int64(2)
		spec.Orchestration = &docker.OrchestrationConfig{TaskHistoryRetentionLimit: &limit}
		if err := sw.Update(ctx, info.Version, spec, swarm.RotateWorkerToken()); err != nil {
			t.Fatal(err)
		}
		after, err := sw.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after.Version.Index <= info.Version.Index {
			t.Errorf("version %d after update, was %d", after.Version.Index, info.Version.Index)
		}
		if got := after.Spec.Orchestration; got == nil || got.TaskHistoryRetentionLimit == nil || *got.TaskHistoryRetentionLimit != 2 {
			t.Errorf("TaskHistoryRetentionLimit not updated: %+v", got)
		}
		if after.JoinTokens.Worker == info.JoinTokens.Worker {
			t.Error("worker token not rotated")
		}
		if after.JoinTokens.Manager != info.JoinTokens.Manager {
			t.Error("manager token rotated without being asked to")
		}

		// The version just used is stale now.
		err = sw.Update(ctx, info.Version, spec)
		var stale *swarm.StaleVersionError
		if !errors.Is(err, docker.ErrConflict) || !errors.As(err, &stale) {
			t.Fatalf("update with a stale version: err = %v (%T), want a StaleVersionError", err, err)
		}
		if !strings.Contains(err.Error(), "update out of sequence") {
			t.Errorf("err = %v, want the daemon's message", err)
		}
		info = after
	})

	t.Run("AutolockAndUnlockKey", func(t *testing.T) {
		ctx := testenv.Context(t, time0)
		key, err := sw.UnlockKey(ctx)
		if err != nil || key != "" {
			t.Fatalf("unlock key before autolock: %q, %v; want empty", redacted(key), err)
		}
		cur, err := sw.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		spec := cur.Spec
		spec.EncryptionConfig.AutoLockManagers = true
		if err := sw.Update(ctx, cur.Version, spec); err != nil {
			t.Fatal(err)
		}
		key, err = sw.UnlockKey(ctx)
		if err != nil || !strings.HasPrefix(key, "SWMKEY-") {
			t.Fatalf("unlock key: %q, %v; want SWMKEY-...", redacted(key), err)
		}
		cur, err = sw.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.Update(ctx, cur.Version, cur.Spec, swarm.RotateManagerUnlockKey()); err != nil {
			t.Fatal(err)
		}
		rotated, err := sw.UnlockKey(ctx)
		if err != nil || rotated == key || !strings.HasPrefix(rotated, "SWMKEY-") {
			t.Errorf("unlock key after rotation changed: %v, err %v", rotated != key, err)
		}
		// The manager is not locked (its daemon did not restart): the daemon
		// refuses, which shows the request reached it well-formed.
		err = sw.Unlock(ctx, rotated)
		if !errors.Is(err, docker.ErrConflict) || !strings.Contains(err.Error(), "not locked") {
			t.Errorf("unlock of an unlocked manager: err = %v, want 409 swarm is not locked", err)
		}
		if strings.Contains(fmt.Sprint(err), rotated) {
			t.Error("the error shows the unlock key")
		}
		// Turn autolock off again.
		cur, err = sw.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cur.Spec.EncryptionConfig.AutoLockManagers = false
		if err := sw.Update(ctx, cur.Version, cur.Spec); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Nodes", func(t *testing.T) {
		ctx := testenv.Context(t, time0)
		nodes := sw.Nodes()
		list, err := nodes.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != nodeID {
			t.Fatalf("nodes = %+v, want only %s", list, nodeID)
		}
		n := list[0]
		if n.ManagerStatus == nil || !n.ManagerStatus.Leader || n.Spec.Role != swarm.RoleManager || n.Status.State != swarm.NodeStateReady {
			t.Errorf("node: role %s, state %s, manager status %+v", n.Spec.Role, n.Status.State, n.ManagerStatus)
		}
		if n.Description.Engine.EngineVersion == "" || n.Description.Platform.OS != "linux" || n.Description.Resources.NanoCPUs == 0 {
			t.Errorf("description: %+v", n.Description)
		}
		for role, want := range map[string]int{"manager": 1, "worker": 0} {
			got, err := nodes.List(ctx, swarm.Filter("role", role))
			if err != nil || len(got) != want {
				t.Errorf("nodes with role %s: %d (err %v), want %d", role, len(got), err, want)
			}
		}

		labels := map[string]string{"berth.zone": "a"}
		for k, v := range testenv.Labels() {
			labels[k] = v
		}
		spec := n.Spec
		spec.Labels, spec.Availability = labels, swarm.AvailabilityDrain
		if err := swUpdateNode(ctx, nodes, n.ID, func(s *swarm.NodeSpec) { s.Labels, s.Availability = labels, swarm.AvailabilityDrain }); err != nil {
			t.Fatal(err)
		}
		got, err := nodes.Inspect(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(labels, got.Spec.Labels); diff != "" || got.Spec.Availability != swarm.AvailabilityDrain {
			t.Errorf("after update: availability %s, labels (-want +got):\n%s", got.Spec.Availability, diff)
		}
		if byLabel, err := nodes.List(ctx, swarm.Filter("node.label", "berth.zone=a")); err != nil || len(byLabel) != 1 {
			t.Errorf("nodes with label berth.zone=a: %d (err %v)", len(byLabel), err)
		}
		if err := nodes.Update(ctx, n.ID, n.Version, spec); !errors.Is(err, docker.ErrConflict) {
			t.Errorf("node update with a stale version: err = %v, want docker.ErrConflict", err)
		}
		if err := swUpdateNode(ctx, nodes, n.ID, func(s *swarm.NodeSpec) { s.Availability = swarm.AvailabilityActive }); err != nil {
			t.Fatal(err)
		}
		if err := nodes.Remove(ctx, "berth-no-such-node"); !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("remove an unknown node: err = %v, want docker.ErrNotFound", err)
		}
		var de *docker.Error
		if err := nodes.Remove(ctx, n.ID); !errors.As(err, &de) {
			t.Errorf("remove the only manager: err = %v, want the daemon's refusal", err)
		}
	})

	secretData := []byte("berth secret " + testenv.RunID + "\n")
	configData := []byte("berth config " + testenv.RunID + "\n")
	var secretID, configID string
	secretName, configName := testenv.Name("secret"), testenv.Name("config")
	// Registered before the services' removal, so they run after it.
	t.Cleanup(func() { swRemoveObject(t, "secret", secretID, sw.Secrets().Remove) })
	t.Cleanup(func() { swRemoveObject(t, "config", configID, sw.Configs().Remove) })

	if !t.Run("Secrets", func(t *testing.T) {
		ctx := testenv.Context(t, time0)
		secrets := sw.Secrets()
		spec := swarm.SecretSpec{Name: secretName, Labels: testenv.Labels(), Data: secretData}
		var logged strings.Builder
		slog.New(slog.NewTextHandler(&logged, nil)).Info("creating", "secret", spec)
		for _, s := range []string{fmt.Sprint(spec), fmt.Sprintf("%+v %#v %s %q %x", spec, spec, spec, spec, spec), logged.String()} {
			if strings.Contains(s, "berth secret") || strings.Contains(s, fmt.Sprintf("%x", secretData)) {
				t.Fatalf("secret data printed: %s", s)
			}
		}
		var err error
		secretID, err = secrets.Create(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}

		got, err := secrets.Inspect(ctx, secretName)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != secretID || got.Spec.Name != secretName || len(got.Spec.Data) != 0 {
			t.Errorf("inspect: id %s name %s, %d data bytes (want none)", got.ID, got.Spec.Name, len(got.Spec.Data))
		}
		list, err := secrets.List(ctx, swarm.Filter("label", testenv.RunFilter()))
		if err != nil || len(list) != 1 || list[0].ID != secretID {
			t.Errorf("list by label: %d secrets, err %v", len(list), err)
		}

		upd := got.Spec
		upd.Labels = map[string]string{"berth.extra": "1"}
		for k, v := range testenv.Labels() {
			upd.Labels[k] = v
		}
		if err := secrets.Update(ctx, secretID, got.Version, upd); err != nil {
			t.Fatal(err)
		}
		if again, err := secrets.Inspect(ctx, secretID); err != nil || again.Spec.Labels["berth.extra"] != "1" {
			t.Errorf("labels after update: %v, err %v", again.Spec.Labels, err)
		}
		if err := secrets.Update(ctx, secretID, got.Version, upd); !errors.Is(err, docker.ErrConflict) {
			t.Errorf("secret update with a stale version: err = %v, want docker.ErrConflict", err)
		}

		if _, err := secrets.Create(ctx, spec); !errors.Is(err, docker.ErrConflict) {
			t.Errorf("second secret with the same name: err = %v, want docker.ErrConflict", err)
		}
		big := swarm.SecretSpec{Name: testenv.Name("big"), Labels: testenv.Labels(), Data: make([]byte, 600<<10)}
		if id, err := secrets.Create(ctx, big); !errors.Is(err, docker.ErrInvalidArgument) {
			t.Errorf("600 KiB secret: err = %v, want docker.ErrInvalidArgument", err)
			if id != "" {
				_ = secrets.Remove(ctx, id)
			}
		}
		if _, err := secrets.Inspect(ctx, "berth-no-such-secret"); !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("inspect unknown secret: err = %v, want docker.ErrNotFound", err)
		}
	}) {
		return
	}

	if !t.Run("Configs", func(t *testing.T) {
		ctx := testenv.Context(t, time0)
		configs := sw.Configs()
		var err error
		configID, err = configs.Create(ctx, swarm.ConfigSpec{Name: configName, Labels: testenv.Labels(), Data: configData})
		if err != nil {
			t.Fatal(err)
		}
		got, err := configs.Inspect(ctx, configID)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Spec.Data) != string(configData) {
			t.Errorf("config data %q, want %q", got.Spec.Data, configData)
		}
		list, err := configs.List(ctx, swarm.Filter("name", configName))
		if err != nil || len(list) != 1 {
			t.Errorf("list by name: %d configs, err %v", len(list), err)
		}
		upd := got.Spec
		upd.Labels = map[string]string{"berth.extra": "2"}
		for k, v := range testenv.Labels() {
			upd.Labels[k] = v
		}
		if err := configs.Update(ctx, configID, got.Version, upd); err != nil {
			t.Fatal(err)
		}
		if err := configs.Update(ctx, configID, got.Version, upd); !errors.Is(err, docker.ErrConflict) {
			t.Errorf("config update with a stale version: err = %v, want docker.ErrConflict", err)
		}
		// Changing the data of a config is refused.
		cur, err := configs.Inspect(ctx, configID)
		if err != nil {
			t.Fatal(err)
		}
		cur.Spec.Data = []byte("changed")
		if err := configs.Update(ctx, configID, cur.Version, cur.Spec); !errors.Is(err, docker.ErrInvalidArgument) {
			t.Errorf("config data update: err = %v, want docker.ErrInvalidArgument", err)
		}
	}) {
		return
	}

	swTestServices(t, cli, sw, imageID, secretData, configData, swarm.SecretReference{
		File:     &swarm.FileTarget{Name: "berth-secret", UID: "0", GID: "0", Mode: 0o400},
		SecretID: secretID, SecretName: secretName,
	}, swarm.ConfigReference{
		File:     &swarm.FileTarget{Name: "/berth-config", UID: "0", GID: "0", Mode: 0o444},
		ConfigID: configID, ConfigName: configName,
	})

	t.Run("Leave", func(t *testing.T) {
		ctx := testenv.Context(t, time0)
		var de *docker.Error
		if err := sw.Leave(ctx); !errors.As(err, &de) {
			t.Errorf("leave without force as the last manager: err = %v, want the daemon's refusal", err)
		}
		if err := sw.Leave(ctx, swarm.Force()); err != nil {
			t.Fatal(err)
		}
		if _, err := sw.Inspect(ctx); !errors.Is(err, docker.ErrUnavailable) {
			t.Errorf("inspect after leaving: err = %v, want docker.ErrUnavailable", err)
		}
		if err := sw.Leave(ctx, swarm.Force()); !errors.Is(err, docker.ErrUnavailable) {
			t.Errorf("leave again: err = %v, want docker.ErrUnavailable", err)
		}
	})
}

// redacted hides a secret in a failure message, keeping its shape.
func redacted(s string) string {
	if len(s) > 8 {
		return s[:7] + "..."
	}
	return s
}

// swRemoveObject removes a secret or config at the end of a test.
func swRemoveObject(t *testing.T, kind, id string, remove func(ctx context.Context, id string) error) {
	if id == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time0)
	defer cancel()
	if err := remove(ctx, id); err != nil && !errors.Is(err, docker.ErrNotFound) && !errors.Is(err, docker.ErrUnavailable) {
		t.Errorf("cleanup: remove %s %s: %v", kind, id, err)
	}
}

// swServiceArgs is what the test service's tasks run: print the secret and
// the config, then wait to be stopped.
func swServiceArgs(sleep string) []string {
	return []string{"cat-file", "/run/secrets/berth-secret", "--", "cat-file", "/berth-config", "--", "sleep", sleep}
}

func swTestServices(t *testing.T, cli *docker.Client, sw *swarm.Cluster, imageID string, secretData, configData []byte,
	secret swarm.SecretReference, config swarm.ConfigReference) {
	svcs, tasks := sw.Services(), sw.Tasks()
	grace := time.Second
	pids := int64(64)
	spec := swarm.ServiceSpec{
		Name:   testenv.Name("svc"),
		Labels: testenv.Labels(),
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: &swarm.ContainerSpec{
				Image:           imageID,
				Labels:          testenv.Labels(),
				Args:            swServiceArgs("10m"),
				Env:             []string{"BERTH_SWARM=1"},
				StopGracePeriod: &grace,
				Secrets:         []swarm.SecretReference{secret},
				Configs:         []swarm.ConfigReference{config},
			},
			Resources: &swarm.ResourceRequirements{Limits: &swarm.Limit{Pids: pids}},
			Placement: &swarm.Placement{Constraints: []string{"node.role==manager"}},
		},
		Mode:           swarm.ReplicatedMode(3),
		UpdateConfig:   &swarm.UpdateConfig{Parallelism: 0, Order: "stop-first", FailureAction: "pause", Monitor: 200 * time.Millisecond},
		RollbackConfig: &swarm.UpdateConfig{Parallelism: 0, Order: "stop-first", FailureAction: "pause", Monitor: 200 * time.Millisecond},
		EndpointSpec:   &swarm.EndpointSpec{Mode: "dnsrr"},
	}
	id := swCreateService(t, cli, svcs, spec) // removed when TestSwarm ends
	if !t.Run("ServiceConverges", func(t *testing.T) {
		ctx := testenv.Context(t, 2*time0)
		begin := time.Now()
		svc, err := svcs.WaitConverged(ctx, id, swarm.PollInterval(500*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("3 replicas running after %v", time.Since(begin).Round(time.Millisecond))
		if svc.Spec.Name != spec.Name || svc.Spec.Mode.Replicated == nil || *svc.Spec.Mode.Replicated.Replicas != 3 {
			t.Errorf("service spec: %+v", svc.Spec)
		}
	}) {
		return
	}
	ctx := testenv.Context(t, 3*time0)

	t.Run("ServiceListInspect", func(t *testing.T) {
		list, err := svcs.List(ctx, swarm.Filter("label", testenv.RunFilter()), swarm.Status())
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != id {
			t.Fatalf("services: %d, want 1", len(list))
		}
		if st := list[0].ServiceStatus; st == nil || st.RunningTasks != 3 || st.DesiredTasks != 3 {
			t.Errorf("service status %+v, want 3 running of 3", st)
		}
		plain, err := svcs.Inspect(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if plain.Spec.TaskTemplate.RestartPolicy != nil {
			t.Errorf("restart policy without insertDefaults: %+v", plain.Spec.TaskTemplate.RestartPolicy)
		}
		full, err := svcs.Inspect(ctx, spec.Name, swarm.InsertDefaults())
		if err != nil {
			t.Fatal(err)
		}
		if rp := full.Spec.TaskTemplate.RestartPolicy; rp == nil || rp.Condition != swarm.RestartAny || rp.Delay == nil {
			t.Errorf("restart policy with insertDefaults: %+v", rp)
		}
		if _, err := svcs.Inspect(ctx, "berth-no-such-service"); !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("inspect unknown service: err = %v, want docker.ErrNotFound", err)
		}
	})

	t.Run("TasksAndLogs", func(t *testing.T) {
		list, err := tasks.List(ctx, swarm.Filter("service", id), swarm.Filter("desired-state", "running"))
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 {
			t.Fatalf("%d running tasks, want 3", len(list))
		}
		want := string(secretData) + string(configData)
		for _, task := range list {
			got, err := tasks.Inspect(ctx, task.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status.State != swarm.TaskStateRunning || got.ServiceID != id || got.Status.ContainerStatus == nil || got.Slot == 0 {
				t.Errorf("task %s: state %s service %s slot %d", got.ID, got.Status.State, got.ServiceID, got.Slot)
			}
			r, err := tasks.Logs(ctx, task.ID)
			if err != nil {
				t.Fatal(err)
			}
			stdout, stderr := swDemux(t, r)
			if string(stdout) != want || len(stderr) != 0 {
				t.Errorf("task %d logs: stdout %q stderr %q, want stdout %q", got.Slot, stdout, stderr, want)
			}
		}
		r, err := svcs.Logs(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		stdout, _ := swDemux(t, r)
		var wantLines []string
		for range 3 {
			wantLines = append(wantLines, string(secretData), string(configData))
		}
		slices.Sort(wantLines)
		if diff := cmp.Diff(wantLines, swLines(stdout)); diff != "" {
			t.Errorf("service logs (-want +got):\n%s", diff)
		}
		r, err = svcs.Logs(ctx, id, swarm.Stderr(), swarm.TTY(false))
		if err != nil {
			t.Fatal(err)
		}
		if stdout, stderr := swDemux(t, r); len(stdout)+len(stderr) != 0 {
			t.Errorf("stderr-only logs: %q %q, want nothing", stdout, stderr)
		}
		r, err = svcs.Logs(ctx, id, swarm.Details(), swarm.Timestamps(), swarm.Tail(1))
		if err != nil {
			t.Fatal(err)
		}
		stdout, _ = swDemux(t, r)
		lines := swLines(stdout)
		if len(lines) != 3 {
			t.Errorf("tail 1 per task: %q, want 3 lines", lines)
		}
		for _, l := range lines {
			if !strings.Contains(l, "com.docker.swarm.service.id="+id) || !strings.HasSuffix(l, string(configData)) {
				t.Errorf("detailed line %q lacks the service id or the last line", l)
			}
		}
	})

	t.Run("ScaleUpdateRollback", func(t *testing.T) {
		svc, err := svcs.Inspect(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		scaled := svc.Spec
		scaled.Mode = swarm.ReplicatedMode(1)
		if _, err := svcs.Update(ctx, id, svc.Version, scaled); err != nil {
			t.Fatal(err)
		}
		svc, err = svcs.WaitConverged(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		running, err := tasks.List(ctx, swarm.Filter("service", id), swarm.Filter("desired-state", "running"))
		if err != nil || len(running) != 1 {
			t.Fatalf("after scaling to 1: %d running tasks (err %v)", len(running), err)
		}

		updated := svc.Spec
		cs := *updated.TaskTemplate.ContainerSpec
		cs.Args = swServiceArgs("9m")
		updated.TaskTemplate.ContainerSpec = &cs
		res, err := svcs.Update(ctx, id, svc.Version, updated)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("update warnings: %q", res.Warnings)
		if _, err := svcs.Update(ctx, id, svc.Version, updated); !errors.Is(err, docker.ErrConflict) ||
			!strings.Contains(err.Error(), "update out of sequence") {
			t.Errorf("update with a stale version: err = %v, want docker.ErrConflict with the daemon's message", err)
		}
		svc, err = svcs.WaitConverged(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := svc.Spec.TaskTemplate.ContainerSpec.Args; !slices.Equal(got, swServiceArgs("9m")) {
			t.Errorf("args after update: %q", got)
		}
		if svc.PreviousSpec == nil || !slices.Equal(svc.PreviousSpec.TaskTemplate.ContainerSpec.Args, swServiceArgs("10m")) {
			t.Errorf("previous spec: %+v", svc.PreviousSpec)
		}

		if _, err := svcs.Update(ctx, id, svc.Version, svc.Spec, swarm.Rollback()); err != nil {
			t.Fatal(err)
		}
		svc, err = svcs.WaitConverged(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := svc.Spec.TaskTemplate.ContainerSpec.Args; !slices.Equal(got, swServiceArgs("10m")) {
			t.Errorf("args after rollback: %q", got)
		}
		if svc.UpdateStatus == nil || svc.UpdateStatus.State != swarm.UpdateStateRollbackCompleted {
			t.Errorf("update status after rollback: %+v", svc.UpdateStatus)
		}
	})

	t.Run("JobMode", func(t *testing.T) {
		never := swarm.RestartPolicy{Condition: swarm.RestartNone}
		job := swarm.ServiceSpec{
			Name:   testenv.Name("job"),
			Labels: testenv.Labels(),
			TaskTemplate: swarm.TaskSpec{
				ContainerSpec: &swarm.ContainerSpec{Image: imageID, Labels: testenv.Labels(), Args: []string{"echo", "job done"}},
				RestartPolicy: &never,
			},
			Mode: swarm.ReplicatedJobMode(2, 2),
		}
		jobID := swCreateService(t, cli, svcs, job)
		svc, err := svcs.WaitConverged(ctx, jobID)
		if err != nil {
			t.Fatal(err)
		}
		if svc.JobStatus == nil {
			t.Fatal("job service without JobStatus")
		}
		list, err := tasks.List(ctx, swarm.Filter("service", jobID))
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, task := range list {
			if task.JobIteration == nil || task.JobIteration.Index != svc.JobStatus.JobIteration.Index {
				t.Errorf("task %s job iteration %+v, want %d", task.ID, task.JobIteration, svc.JobStatus.JobIteration.Index)
			}
			if task.Status.State == swarm.TaskStateComplete {
				done++
			}
		}
		if done != 2 {
			t.Errorf("%d completed tasks, want 2", done)
		}
		r, err := svcs.Logs(ctx, jobID)
		if err != nil {
			t.Fatal(err)
		}
		stdout, _ := swDemux(t, r)
		if diff := cmp.Diff([]string{"job done\n", "job done\n"}, swLines(stdout)); diff != "" {
			t.Errorf("job logs (-want +got):\n%s", diff)
		}
	})

	t.Run("GlobalModes", func(t *testing.T) {
		// A global service with a TTY: on API 1.41 the logs are labelled
		// raw-stream either way, so Logs must learn the TTY from the spec.
		global := swarm.ServiceSpec{
			Name:   testenv.Name("global"),
			Labels: testenv.Labels(),
			TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{
				Image: imageID, Labels: testenv.Labels(), TTY: true,
				Args: []string{"echo", "tty line", "--", "sleep", "10m"}, StopGracePeriod: &grace,
			}},
			Mode: swarm.GlobalMode(),
		}
		gid := swCreateService(t, cli, svcs, global)
		if _, err := svcs.WaitConverged(ctx, gid); err != nil {
			t.Fatal(err)
		}
		r, err := svcs.Logs(ctx, gid)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil || r.Multiplexed() || string(b) != "tty line\r\n" {
			t.Errorf("tty logs: multiplexed %v, %q, %v; want raw %q", r.Multiplexed(), b, err, "tty line\r\n")
		}

		never := swarm.RestartPolicy{Condition: swarm.RestartNone}
		gjob := swarm.ServiceSpec{
			Name:   testenv.Name("gjob"),
			Labels: testenv.Labels(),
			TaskTemplate: swarm.TaskSpec{
				ContainerSpec: &swarm.ContainerSpec{Image: imageID, Labels: testenv.Labels(), Args: []string{"echo", "global job"}},
				RestartPolicy: &never,
			},
			Mode: swarm.GlobalJobMode(),
		}
		jid := swCreateService(t, cli, svcs, gjob)
		svc, err := svcs.WaitConverged(ctx, jid)
		if err != nil {
			t.Fatal(err)
		}
		if svc.Spec.Mode.GlobalJob == nil || svc.JobStatus == nil {
			t.Errorf("global job: mode %+v, job status %+v", svc.Spec.Mode, svc.JobStatus)
		}
	})

	t.Run("BadInput", func(t *testing.T) {
		bad := swarm.ServiceSpec{
			Name:   testenv.Name("bad"),
			Labels: testenv.Labels(),
			TaskTemplate: swarm.TaskSpec{
				ContainerSpec: &swarm.ContainerSpec{Image: imageID},
				Placement:     &swarm.Placement{Constraints: []string{"node.role=manager"}},
			},
		}
		created, err := svcs.Create(ctx, bad)
		var de *docker.Error
		if !errors.As(err, &de) || !strings.Contains(de.Message, "constraint") {
			t.Errorf("invalid constraint: err = %v, want the daemon's message", err)
		}
		if created.ID != "" {
			swRemoveService(t, cli, svcs, created.ID)
		}
		dup := spec // the first service's name is taken
		if _, err := svcs.Create(ctx, dup); !errors.Is(err, docker.ErrConflict) {
			t.Errorf("duplicate service name: err = %v, want docker.ErrConflict", err)
		}
		seccomp := bad
		seccomp.Name = testenv.Name("seccomp")
		seccomp.TaskTemplate.Placement = nil
		seccomp.TaskTemplate.ContainerSpec = &swarm.ContainerSpec{Image: imageID, Privileges: &swarm.Privileges{Seccomp: &swarm.SeccompOpts{Mode: "default"}}}
		if v := cli.APIVersion(); docker.CompareVersions(v, "1.44") < 0 {
			if _, err := svcs.Create(ctx, seccomp); !errors.Is(err, docker.ErrVersion) {
				t.Errorf("seccomp on API %s: err = %v, want docker.ErrVersion", v, err)
			}
		}
	})

	t.Run("Remove", func(t *testing.T) {
		swRemoveService(t, cli, svcs, id)
		if err := svcs.Remove(ctx, id); !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("remove twice: err = %v, want docker.ErrNotFound", err)
		}
		if err := sw.Secrets().Remove(ctx, secret.SecretID); err != nil {
			t.Errorf("remove secret: %v", err)
		}
		if err := sw.Configs().Remove(ctx, config.ConfigID); err != nil {
			t.Errorf("remove config: %v", err)
		}
		list, err := svcs.List(ctx, swarm.Filter("label", testenv.RunFilter()))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			swRemoveService(t, cli, svcs, s.ID)
		}
	})
}
