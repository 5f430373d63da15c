package dockertest_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/docker/swarm"
	"github.com/google/go-cmp/cmp"
)

// swarmSetup is a fake with an image "app" whose entrypoint is the
// built-in commands, in a swarm when initialised.
func swarmSetup(t *testing.T, initialised bool) (*dockertest.Server, *swarm.Cluster) {
	t.Helper()
	srv := dockertest.NewServer(t)
	if _, err := srv.AddImage("app", image.Config{}, nil); err != nil {
		t.Fatal(err)
	}
	sw := swarm.New(srv.Client())
	if initialised {
		if _, err := sw.Init(t.Context(), swarm.InitRequest{ListenAddr: "127.0.0.1:2377"}); err != nil {
			t.Fatal(err)
		}
	}
	return srv, sw
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestSwarmOutsideASwarm(t *testing.T) {
	t.Parallel()
	srv, sw := swarmSetup(t, false)
	ctx := t.Context()
	calls := map[string]func() error{
		"inspect":   func() error { _, err := sw.Inspect(ctx); return err },
		"nodes":     func() error { _, err := sw.Nodes().List(ctx); return err },
		"services":  func() error { _, err := sw.Services().List(ctx); return err },
		"tasks":     func() error { _, err := sw.Tasks().List(ctx); return err },
		"secrets":   func() error { _, err := sw.Secrets().List(ctx); return err },
		"configs":   func() error { _, err := sw.Configs().Inspect(ctx, "x"); return err },
		"unlockkey": func() error { _, err := sw.UnlockKey(ctx); return err },
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, docker.ErrUnavailable) || !strings.Contains(err.Error(), `Use "docker swarm init" or "docker swarm join"`) {
			t.Errorf("%s: %v, want 503 not a swarm manager", name, err)
		}
	}
	if err := sw.Leave(ctx, swarm.Force()); !errors.Is(err, docker.ErrUnavailable) || !strings.Contains(err.Error(), "not part of a swarm") {
		t.Errorf("leave: %v", err)
	}
	if p, err := srv.Client().Ping(ctx); err != nil || p.SwarmState != "inactive" {
		t.Errorf("ping swarm %q %q, %v", p.SwarmState, p.SwarmRole, err)
	}
}

func TestSwarmInitInspectUpdate(t *testing.T) {
	t.Parallel()
	srv, sw := swarmSetup(t, false)
	ctx := t.Context()
	nodeID, err := sw.Init(ctx, swarm.InitRequest{ListenAddr: "127.0.0.1:4242", Spec: swarm.Spec{Labels: map[string]string{"a": "1"},
		CAConfig: &docker.CAConfig{SigningCAKey: "KEY-MATERIAL"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sw.Init(ctx, swarm.InitRequest{}); !errors.Is(err, docker.ErrUnavailable) || !strings.Contains(err.Error(), "already part of a swarm") {
		t.Errorf("second init: %v", err)
	}
	if err := sw.Join(ctx, swarm.JoinRequest{ListenAddr: "x:1", RemoteAddrs: []string{"y:2"}, JoinToken: "SWMTKN-secret"}); !errors.Is(err, docker.ErrUnavailable) {
		t.Errorf("join while in a swarm: %v", err)
	}
	info, err := srv.Client().Info(ctx)
	if err != nil || info.Swarm.LocalNodeState != "active" || info.Swarm.NodeID != nodeID || info.Swarm.Cluster == nil || info.Swarm.NodeAddr != "127.0.0.1" {
		t.Errorf("info swarm %+v, %v", info.Swarm, err)
	}
	if p, err := srv.Client().Ping(ctx); err != nil || p.SwarmState+"/"+p.SwarmRole != "active/manager" {
		t.Errorf("ping swarm %q %q, %v", p.SwarmState, p.SwarmRole, err)
	}
	cur, err := sw.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Spec.Name != "default" || cur.Spec.Labels["a"] != "1" || cur.Spec.CAConfig.SigningCAKey != "" || cur.DataPathPort != 4789 {
		t.Errorf("spec %+v", cur.Spec)
	}
	spec := cur.Spec
	spec.EncryptionConfig.AutoLockManagers = true
	if err := sw.Update(ctx, cur.Version, spec, swarm.RotateManagerToken()); err != nil {
		t.Fatal(err)
	}
	var stale *swarm.StaleVersionError
	if err := sw.Update(ctx, cur.Version, spec); !errors.As(err, &stale) {
		t.Errorf("stale update: %v", err)
	}
	after, _ := sw.Inspect(ctx)
	if after.Version.Index <= cur.Version.Index || after.JoinTokens.Manager == cur.JoinTokens.Manager || after.JoinTokens.Worker != cur.JoinTokens.Worker {
		t.Errorf("after update: %+v", after.Version)
	}
	key, err := sw.UnlockKey(ctx)
	if err != nil || !strings.HasPrefix(key, "SWMKEY-") {
		t.Errorf("unlock key %q, %v", key, err)
	}
	if err := sw.Unlock(ctx, key); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("unlock: %v", err)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(string(r.Body), "KEY-MATERIAL") || strings.Contains(string(r.Body), key) || strings.Contains(string(r.Body), "SWMTKN-secret") {
			t.Errorf("%s recorded a secret: %s", r.Operation, r.Body)
		}
	}
	if err := sw.Leave(ctx); !errors.Is(err, docker.ErrUnavailable) || !strings.Contains(err.Error(), "Removing the last manager") {
		t.Errorf("leave without force: %v", err)
	}
	if err := sw.Leave(ctx, swarm.Force()); err != nil {
		t.Fatal(err)
	}
	if _, err := sw.Inspect(ctx); !errors.Is(err, docker.ErrUnavailable) {
		t.Errorf("inspect after leave: %v", err)
	}
}

func TestSwarmNode(t *testing.T) {
	t.Parallel()
	_, sw := swarmSetup(t, true)
	ctx := t.Context()
	nodes := sw.Nodes()
	list, err := nodes.List(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("nodes %v, %v", list, err)
	}
	n := list[0]
	spec := n.Spec
	spec.Labels, spec.Availability = map[string]string{"zone": "a"}, swarm.AvailabilityPause
	if err := nodes.Update(ctx, n.ID, n.Version, spec); err != nil {
		t.Fatal(err)
	}
	if err := nodes.Update(ctx, n.ID, n.Version, spec); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("stale node update: %v", err)
	}
	got, err := nodes.Inspect(ctx, n.ID[:5])
	if err != nil || got.Spec.Availability != swarm.AvailabilityPause || got.Version.Index <= n.Version.Index {
		t.Errorf("after update %+v, %v", got.Spec, err)
	}
	for filter, want := range map[[2]string]int{{"node.label", "zone=a"}: 1, {"node.label", "zone=b"}: 0, {"role", "worker"}: 0} {
		if l, err := nodes.List(ctx, swarm.Filter(filter[0], filter[1])); err != nil || len(l) != want {
			t.Errorf("filter %v: %d nodes, %v", filter, len(l), err)
		}
	}
	spec = got.Spec
	spec.Role = swarm.RoleWorker
	if err := nodes.Update(ctx, n.ID, got.Version, spec); !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("demote the last manager: %v", err)
	}
	if err := nodes.Remove(ctx, n.ID, swarm.Force()); !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("remove self: %v", err)
	}
	if _, err := nodes.Inspect(ctx, "nope"); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("unknown node: %v", err)
	}
}

func TestSwarmSecretsAndConfigs(t *testing.T) {
	t.Parallel()
	srv, sw := swarmSetup(t, true)
	ctx := t.Context()
	secrets, configs := sw.Secrets(), sw.Configs()
	data := []byte("top secret value")
	id, err := secrets.Create(ctx, swarm.SecretSpec{Name: "s", Labels: map[string]string{"l": "1"}, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	got, err := secrets.Inspect(ctx, "s")
	if err != nil || got.ID != id || got.Spec.Data != nil || got.Spec.Labels["l"] != "1" {
		t.Errorf("secret inspect %+v, %v", got, err)
	}
	if _, err := secrets.Create(ctx, swarm.SecretSpec{Name: "s", Data: data}); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := secrets.Create(ctx, swarm.SecretSpec{Name: "big", Data: make([]byte, 600<<10)}); !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("too big: %v", err)
	}
	changed := got.Spec
	changed.Data = []byte("other")
	if err := secrets.Update(ctx, id, got.Version, changed); !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("data update: %v", err)
	}
	relabelled := got.Spec
	relabelled.Labels = map[string]string{"l": "2"}
	if err := secrets.Update(ctx, id, got.Version, relabelled); err != nil {
		t.Fatal(err)
	}
	if err := secrets.Update(ctx, id, got.Version, relabelled); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("stale: %v", err)
	}
	if l, err := secrets.List(ctx, swarm.Filter("label", "l=2")); err != nil || len(l) != 1 {
		t.Errorf("list by label: %v, %v", l, err)
	}
	for _, r := range srv.Requests() {
		if bytes.Contains(r.Body, data) || strings.Contains(string(r.Body), "dG9wIHNlY3JldCB2YWx1ZQ") {
			t.Errorf("%s recorded the secret: %s", r.Operation, r.Body)
		}
	}

	cid, err := configs.Create(ctx, swarm.ConfigSpec{Name: "c", Data: []byte("conf")})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := configs.Inspect(ctx, cid); err != nil || string(c.Spec.Data) != "conf" {
		t.Errorf("config %+v, %v", c, err)
	}
	svc, err := sw.Services().Create(ctx, swarm.ServiceSpec{Name: "user", TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{
		Image: "app", Command: []string{"sleep", "60"}, Configs: []swarm.ConfigReference{{ConfigID: cid, ConfigName: "c", File: &swarm.FileTarget{Name: "/c"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := configs.Remove(ctx, cid); !errors.Is(err, docker.ErrInvalidArgument) || !strings.Contains(err.Error(), "config 'c' is in use by the following service: user") {
		t.Errorf("remove in use: %v", err)
	}
	if err := sw.Services().Remove(ctx, svc.ID); err != nil {
		t.Fatal(err)
	}
	if err := configs.Remove(ctx, cid); err != nil {
		t.Errorf("remove: %v", err)
	}
	if err := secrets.Remove(ctx, id); err != nil {
		t.Errorf("remove: %v", err)
	}
	if _, err := secrets.Inspect(ctx, id); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("inspect removed: %v", err)
	}
}

func TestSwarmServiceTasks(t *testing.T) {
	t.Parallel()
	srv, sw := swarmSetup(t, true)
	ctx := waitCtx(t)
	svcs, tasks := sw.Services(), sw.Tasks()
	grace := 100 * time.Millisecond
	spec := swarm.ServiceSpec{Name: "web", Labels: map[string]string{"tier": "front"}, TaskTemplate: swarm.TaskSpec{
		ContainerSpec: &swarm.ContainerSpec{Image: "app", Command: []string{"echo"}, Args: []string{"hello"}, StopGracePeriod: &grace}},
		Mode: swarm.ReplicatedMode(3)}
	auth := registry.AuthConfig{Username: "u", Password: "hunter2"}
	created, err := svcs.Create(ctx, spec, swarm.RegistryAuth(auth))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r.Header.Get("X-Registry-Auth")+string(r.Body), "hunter2") {
			t.Error("credentials recorded")
		}
	}
	// echo exits at once: the tasks complete and are restarted after the
	// default delay, so the tasks list shows complete ones.
	list, err := tasks.List(ctx, swarm.Filter("service", "web"))
	if err != nil || len(list) != 3 {
		t.Fatalf("tasks %d, %v", len(list), err)
	}
	r, err := tasks.Logs(ctx, list[0].ID, swarm.Details())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for range 50 { // the process runs in its own goroutine
		out.Reset()
		r, err = tasks.Logs(ctx, list[0].ID, swarm.Details())
		if err != nil {
			t.Fatal(err)
		}
		_, _ = r.Demux(&out, &out)
		r.Close()
		if out.Len() > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if want := "com.docker.swarm.task.id=" + list[0].ID + " hello\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("task logs %q, want suffix %q", out.String(), want)
	}

	plain, err := svcs.Inspect(ctx, created.ID)
	if err != nil || plain.Spec.TaskTemplate.RestartPolicy != nil {
		t.Fatalf("inspect %+v, %v", plain.Spec.TaskTemplate, err)
	}
	full, err := svcs.Inspect(ctx, "web", swarm.InsertDefaults())
	if err != nil || full.Spec.TaskTemplate.RestartPolicy == nil || full.Spec.TaskTemplate.RestartPolicy.Condition != swarm.RestartAny ||
		full.Spec.UpdateConfig == nil || full.Spec.EndpointSpec.Mode != "vip" {
		t.Errorf("insertDefaults %+v, %v", full.Spec, err)
	}
	for filter, want := range map[[2]string]int{{"mode", "replicated"}: 1, {"mode", "global"}: 0, {"label", "tier=front"}: 1, {"name", "we"}: 1, {"id", "zzz"}: 0} {
		if l, err := svcs.List(ctx, swarm.Filter(filter[0], filter[1])); err != nil || len(l) != want {
			t.Errorf("filter %v: %d, %v", filter, len(l), err)
		}
	}
	// Update the template: the old tasks go, new ones come; rollback
	// brings the old template back.
	next := plain.Spec
	cs := *next.TaskTemplate.ContainerSpec
	cs.Command, cs.Args = []string{"sleep"}, []string{"60"}
	next.TaskTemplate.ContainerSpec = &cs
	if _, err := svcs.Update(ctx, created.ID, plain.Version, next); err != nil {
		t.Fatal(err)
	}
	svc, err := svcs.WaitConverged(ctx, created.ID, swarm.PollInterval(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if svc.PreviousSpec == nil || svc.UpdateStatus == nil || svc.UpdateStatus.State != swarm.UpdateStateCompleted {
		t.Errorf("after update: %+v %+v", svc.PreviousSpec, svc.UpdateStatus)
	}
	scaled := svc.Spec
	scaled.Mode = swarm.ReplicatedMode(1)
	if _, err := svcs.Update(ctx, created.ID, svc.Version, scaled); err != nil {
		t.Fatal(err)
	}
	if _, err := svcs.WaitConverged(ctx, created.ID, swarm.PollInterval(20*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	withStatus, err := svcs.List(ctx, swarm.Status())
	if err != nil || len(withStatus) != 1 || !cmp.Equal(&swarm.ServiceStatus{RunningTasks: 1, DesiredTasks: 1}, withStatus[0].ServiceStatus) {
		t.Errorf("status %+v, %v", withStatus, err)
	}
	cur, _ := svcs.Inspect(ctx, created.ID)
	if _, err := svcs.Update(ctx, created.ID, cur.Version, cur.Spec, swarm.Rollback()); err != nil {
		t.Fatal(err)
	}
	back, _ := svcs.Inspect(ctx, created.ID)
	if *back.Spec.Mode.Replicated.Replicas != 3 || back.UpdateStatus.State != swarm.UpdateStateRollbackCompleted {
		t.Errorf("after rollback %+v %+v", back.Spec.Mode, back.UpdateStatus)
	}
	renamed := back.Spec
	renamed.Name = "other"
	if _, err := svcs.Update(ctx, created.ID, back.Version, renamed); !errors.Is(err, docker.ErrNotImplemented) {
		t.Errorf("rename: %v", err)
	}
	if _, err := svcs.Create(ctx, swarm.ServiceSpec{Name: "x", TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Image: "app",
		Secrets: []swarm.SecretReference{{SecretID: "nope", SecretName: "nope"}}}}}); !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("missing secret: %v", err)
	}
	if err := svcs.Remove(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if l, err := tasks.List(ctx, swarm.Filter("service", created.ID)); err != nil || len(l) != 0 {
		t.Errorf("tasks of a removed service: %d, %v", len(l), err)
	}
}

func TestSwarmJobsAndGlobal(t *testing.T) {
	t.Parallel()
	srv, sw := swarmSetup(t, true)
	ctx := waitCtx(t)
	svcs := sw.Services()
	never := swarm.RestartPolicy{Condition: swarm.RestartNone}
	job, err := svcs.Create(ctx, swarm.ServiceSpec{Name: "job", TaskTemplate: swarm.TaskSpec{
		ContainerSpec: &swarm.ContainerSpec{Image: "app", Command: []string{"echo", "done"}}, RestartPolicy: &never},
		Mode: swarm.ReplicatedJobMode(2, 5)})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := svcs.WaitConverged(ctx, job.ID, swarm.PollInterval(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	list, _ := sw.Tasks().List(ctx, swarm.Filter("service", job.ID))
	if len(list) != 5 || svc.JobStatus == nil {
		t.Errorf("%d job tasks, job status %+v", len(list), svc.JobStatus)
	}
	r, err := svcs.Logs(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	_, _ = r.Demux(&out, &out)
	r.Close()
	if out.String() != strings.Repeat("done\n", 5) {
		t.Errorf("job logs %q", out.String())
	}

	tty := true
	global, err := svcs.Create(ctx, swarm.ServiceSpec{Name: "g", TaskTemplate: swarm.TaskSpec{
		ContainerSpec: &swarm.ContainerSpec{Image: "app", Command: []string{"sleep", "60"}, TTY: tty}}, Mode: swarm.GlobalMode()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svcs.WaitConverged(ctx, global.ID, swarm.PollInterval(20*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	node, err := sw.Nodes().List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	drained := node[0].Spec
	drained.Availability = swarm.AvailabilityDrain
	if err := sw.Nodes().Update(ctx, node[0].ID, node[0].Version, drained); err != nil {
		t.Fatal(err)
	}
	if gl, _ := sw.Tasks().List(ctx, swarm.Filter("service", "g"), swarm.Filter("desired-state", "running")); len(gl) != 0 {
		t.Errorf("%d global tasks on a drained node", len(gl))
	}
	again, err := sw.Nodes().Inspect(ctx, node[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.Nodes().Update(ctx, again.ID, again.Version, node[0].Spec); err != nil {
		t.Fatal(err)
	}
	gl, _ := sw.Tasks().List(ctx, swarm.Filter("service", "g"), swarm.Filter("desired-state", "running"))
	if len(gl) != 1 || gl[0].Slot != 0 {
		t.Errorf("global tasks %+v", gl)
	}
	r, err = svcs.Logs(ctx, global.ID)
	if err != nil || r.Multiplexed() {
		t.Errorf("tty logs multiplexed %v, %v", r != nil && r.Multiplexed(), err)
	}
	if r != nil {
		r.Close()
	}

	missing, err := svcs.Create(ctx, swarm.ServiceSpec{Name: "m", TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Image: "nope:1"}}})
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := svcs.WaitConverged(short, missing.ID, swarm.PollInterval(20*time.Millisecond)); err == nil || !strings.Contains(err.Error(), "No such image: nope:1") {
		t.Errorf("missing image: %v", err)
	}

	var types []string
	events := srv.Client().Events(ctx, docker.Since(time.Now().Add(-time.Minute)), docker.Until(time.Now()),
		docker.Filter("scope", "swarm"))
	for ev, err := range events {
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, ev.Type+" "+ev.Action)
	}
	for _, want := range []string{"node create", "service create"} {
		if !strings.Contains(strings.Join(types, ","), want) {
			t.Errorf("swarm events %v lack %q", types, want)
		}
	}
}

// TestSwarmServiceSpecEras: a service spec sent at an older API version
// loses the fields that version did not have, as on the Engine.
func TestSwarmServiceSpecEras(t *testing.T) {
	t.Parallel()
	srv, sw := swarmSetup(t, true)
	swap, swappiness := int64(1<<20), int64(10)
	for _, tc := range []struct {
		version                   string
		seccomp, oomScore, swapOK bool
	}{{"1.43", false, false, false}, {"1.44", true, false, false}, {"1.46", true, true, false}, {"1.52", true, true, true}} {
		spec := swarm.ServiceSpec{Name: "era-" + strings.ReplaceAll(tc.version, ".", "-"), TaskTemplate: swarm.TaskSpec{
			ContainerSpec: &swarm.ContainerSpec{Image: "app", Command: []string{"sleep"}, OomScoreAdj: 100,
				Privileges: &swarm.Privileges{Seccomp: &swarm.SeccompOpts{Mode: "unconfined"}}},
			Resources: &swarm.ResourceRequirements{SwapBytes: &swap, MemorySwappiness: &swappiness}}}
		cli, err := docker.New(docker.WithHost(srv.Host()), docker.WithAPIVersion(tc.version))
		if err != nil {
			t.Fatal(err)
		}
		var created swarm.CreateResult
		err = cli.DoJSON(t.Context(), &docker.Request{Method: "POST", Path: "/services/create", JSON: spec}, &created)
		cli.Close()
		if err != nil {
			t.Fatalf("%s: %v", tc.version, err)
		}
		svc, err := sw.Services().Inspect(t.Context(), created.ID)
		if err != nil {
			t.Fatal(err)
		}
		cs, res := svc.Spec.TaskTemplate.ContainerSpec, svc.Spec.TaskTemplate.Resources
		got := [3]bool{cs.Privileges != nil && cs.Privileges.Seccomp != nil, cs.OomScoreAdj == 100, res != nil && res.SwapBytes != nil && res.MemorySwappiness != nil}
		if want := [3]bool{tc.seccomp, tc.oomScore, tc.swapOK}; got != want {
			t.Errorf("%s: kept Seccomp, OomScoreAdj, swap = %v, want %v", tc.version, got, want)
		}
	}
}
