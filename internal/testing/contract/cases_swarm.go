package contract

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/swarm"
	"github.com/berth-go/berth/internal/httpx"
	"github.com/berth-go/berth/internal/testing/testenv"
	"github.com/google/go-cmp/cmp"
)

var swarmCases = []contractCase{
	{name: "SwarmServiceLifecycle", skipPodman: testenv.PodmanNoSwarm, run: func(h *harness) {
		sw := swarm.New(h.tg.Client)
		h.swarmInit(sw)
		ctx, cancel := context.WithTimeout(h.Context(), 90*time.Second)
		defer cancel()
		imageID := h.imageID()

		if _, err := sw.Init(ctx, swarm.InitRequest{ListenAddr: "127.0.0.1:0"}); !errors.Is(err, docker.ErrUnavailable) ||
			!strings.Contains(err.Error(), "already part of a swarm") {
			h.Errorf("second init: %v, want 503 already part of a swarm", err)
		}
		info, err := sw.Inspect(ctx)
		if err != nil {
			h.Fatal(err)
		}
		if info.ID == "" || info.Version.Index == 0 || !strings.HasPrefix(info.JoinTokens.Worker, "SWMTKN-") ||
			!cmp.Equal(h.tg.Labels, info.Spec.Labels) || info.Spec.Orchestration == nil {
			h.Errorf("swarm: id %q version %d labels %v", info.ID, info.Version.Index, info.Spec.Labels)
		}
		if di, err := h.tg.Client.Info(ctx); err != nil || di.Swarm.LocalNodeState != "active" || !di.Swarm.ControlAvailable || di.Swarm.NodeID == "" {
			h.Errorf("info swarm = %+v, %v", di.Swarm, err)
		}
		if err := sw.Update(ctx, info.Version, info.Spec, swarm.RotateWorkerToken()); err != nil {
			h.Fatal(err)
		}
		after, err := sw.Inspect(ctx)
		if err != nil || after.Version.Index <= info.Version.Index || after.JoinTokens.Worker == info.JoinTokens.Worker ||
			after.JoinTokens.Manager != info.JoinTokens.Manager {
			h.Errorf("after update: version %d (was %d), err %v", after.Version.Index, info.Version.Index, err)
		}
		var stale *swarm.StaleVersionError
		if err := sw.Update(ctx, info.Version, info.Spec); !errors.As(err, &stale) || !strings.Contains(err.Error(), "update out of sequence") {
			h.Errorf("swarm update with a stale version: %v", err)
		}
		nodes, err := sw.Nodes().List(ctx, swarm.Filter("role", "manager"))
		if err != nil || len(nodes) != 1 || nodes[0].ManagerStatus == nil || !nodes[0].ManagerStatus.Leader {
			h.Errorf("nodes = %+v, %v", nodes, err)
		}

		secretData, configData := []byte("contract secret\n"), []byte("contract config\n")
		secretName, configName := testenv.Name("csecret"), testenv.Name("cconfig")
		secretID, err := sw.Secrets().Create(ctx, swarm.SecretSpec{Name: secretName, Labels: h.tg.Labels, Data: secretData})
		if err != nil {
			h.Fatal(err)
		}
		h.Cleanup(func() { _ = sw.Secrets().Remove(context.Background(), secretID) })
		if got, err := sw.Secrets().Inspect(ctx, secretName); err != nil || got.ID != secretID || len(got.Spec.Data) != 0 {
			h.Errorf("secret inspect: id %s, %d data bytes, %v", got.ID, len(got.Spec.Data), err)
		}
		if _, err := sw.Secrets().Create(ctx, swarm.SecretSpec{Name: secretName, Labels: h.tg.Labels, Data: secretData}); !errors.Is(err, docker.ErrConflict) {
			h.Errorf("second secret with the name: %v", err)
		}
		configID, err := sw.Configs().Create(ctx, swarm.ConfigSpec{Name: configName, Labels: h.tg.Labels, Data: configData})
		if err != nil {
			h.Fatal(err)
		}
		h.Cleanup(func() { _ = sw.Configs().Remove(context.Background(), configID) })
		if got, err := sw.Configs().Inspect(ctx, configID); err != nil || !bytes.Equal(got.Spec.Data, configData) {
			h.Errorf("config inspect: %q, %v", got.Spec.Data, err)
		}

		grace := time.Second
		spec := swarm.ServiceSpec{
			Name:   testenv.Name("csvc"),
			Labels: h.tg.Labels,
			TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{
				Image: imageID, Labels: h.tg.Labels, Args: []string{"cat-file", "/run/secrets/s", "--", "sleep", "60"}, StopGracePeriod: &grace,
				Secrets: []swarm.SecretReference{{File: &swarm.FileTarget{Name: "s", UID: "0", GID: "0", Mode: 0o400}, SecretID: secretID, SecretName: secretName}},
				Configs: []swarm.ConfigReference{{File: &swarm.FileTarget{Name: "/c", UID: "0", GID: "0", Mode: 0o444}, ConfigID: configID, ConfigName: configName}},
			}},
			Mode: swarm.ReplicatedMode(2),
		}
		svcs := sw.Services()
		id := h.service(svcs, spec)
		if _, err := svcs.Create(ctx, spec); !errors.Is(err, docker.ErrConflict) {
			h.Errorf("second service with the name: %v", err)
		}
		svc, err := svcs.WaitConverged(ctx, id, swarm.PollInterval(200*time.Millisecond))
		if err != nil {
			h.Fatal(err)
		}
		running, err := sw.Tasks().List(ctx, swarm.Filter("service", id), swarm.Filter("desired-state", "running"))
		if err != nil || len(running) != 2 {
			h.Fatalf("%d running tasks, %v; want 2", len(running), err)
		}
		for _, task := range running {
			if task.Status.State != swarm.TaskStateRunning || task.Status.ContainerStatus == nil || task.Slot == 0 || task.NodeID != nodes[0].ID {
				h.Errorf("task %+v", task)
			}
		}
		list, err := svcs.List(ctx, swarm.Filter("name", spec.Name), swarm.Status())
		if err != nil || len(list) != 1 || list[0].ServiceStatus == nil || list[0].ServiceStatus.RunningTasks != 2 || list[0].ServiceStatus.DesiredTasks != 2 {
			h.Errorf("service list with status: %+v, %v", list, err)
		}
		logs, err := svcs.Logs(ctx, id)
		if err != nil {
			h.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := logs.Demux(&out, &out); err != nil || out.String() != string(secretData)+string(secretData) {
			h.Errorf("service logs %q, %v", out.String(), err)
		}
		logs.Close()
		if err := sw.Secrets().Remove(ctx, secretID); !errors.Is(err, docker.ErrInvalidArgument) || !strings.Contains(err.Error(), "in use") {
			h.Errorf("remove a secret in use: %v", err)
		}

		scaled := svc.Spec
		scaled.Mode = swarm.ReplicatedMode(1)
		if _, err := svcs.Update(ctx, id, svc.Version, scaled); err != nil {
			h.Fatal(err)
		}
		if _, err := svcs.Update(ctx, id, svc.Version, scaled); !errors.As(err, &stale) || !strings.Contains(err.Error(), "update out of sequence") {
			h.Errorf("service update with a stale version: %v", err)
		}
		svc, err = svcs.WaitConverged(ctx, id, swarm.PollInterval(200*time.Millisecond))
		if err != nil {
			h.Fatal(err)
		}
		if svc.PreviousSpec == nil || *svc.PreviousSpec.Mode.Replicated.Replicas != 2 {
			h.Errorf("previous spec %+v", svc.PreviousSpec)
		}
		running, err = sw.Tasks().List(ctx, swarm.Filter("service", id), swarm.Filter("desired-state", "running"))
		if err != nil || len(running) != 1 {
			h.Errorf("after scaling to 1: %d running tasks, %v", len(running), err)
		}

		h.removeService(svcs, id)
		if _, err := svcs.Inspect(ctx, id); !errors.Is(err, docker.ErrNotFound) {
			h.Errorf("inspect a removed service: %v", err)
		}
		if err := sw.Secrets().Remove(ctx, secretID); err != nil {
			h.Errorf("remove secret: %v", err)
		}
		if err := sw.Configs().Remove(ctx, configID); err != nil {
			h.Errorf("remove config: %v", err)
		}

		never := swarm.RestartPolicy{Condition: swarm.RestartNone}
		job := swarm.ServiceSpec{Name: testenv.Name("cjob"), Labels: h.tg.Labels,
			TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Image: imageID, Labels: h.tg.Labels, Args: []string{"echo", "done"}}, RestartPolicy: &never},
			Mode:         swarm.ReplicatedJobMode(1, 1)}
		jobID := h.service(svcs, job)
		js, err := svcs.WaitConverged(ctx, jobID, swarm.PollInterval(200*time.Millisecond))
		if err != nil {
			h.Fatal(err)
		}
		if js.JobStatus == nil {
			h.Error("job without JobStatus")
		}
		logs, err = svcs.Logs(ctx, jobID)
		if err != nil {
			h.Fatal(err)
		}
		out.Reset()
		if _, err := logs.Demux(&out, &out); err != nil || !strings.Contains(out.String(), "done") {
			h.Errorf("job logs %q, %v", out.String(), err)
		}
		logs.Close()
		h.removeService(svcs, jobID)

		if err := sw.Leave(ctx); !errors.Is(err, docker.ErrUnavailable) || !strings.Contains(err.Error(), "Removing the last manager") {
			h.Errorf("leave without force: %v", err)
		}
		if err := sw.Leave(ctx, swarm.Force()); err != nil {
			h.Fatal(err)
		}
		if _, err := sw.Inspect(ctx); !errors.Is(err, docker.ErrUnavailable) || !strings.Contains(err.Error(), "not a swarm manager") {
			h.Errorf("inspect after leaving: %v", err)
		}
	}},
}

// swarmInit makes the target a single-node swarm listening on a free
// loopback port, and always leaves it (forced) when the case ends. A target
// already in a swarm the case did not create fails the case untouched.
func (h *harness) swarmInit(sw *swarm.Cluster) {
	h.Helper()
	ctx := h.ctx()
	info, err := h.tg.Client.Info(ctx)
	if err != nil {
		h.Fatal(err)
	}
	if st := info.Swarm.LocalNodeState; st != "" && st != "inactive" {
		h.Fatalf("the %s is already in a swarm (state %s) that this case did not create; it is left alone", h.tg.Name, st)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	hadGWBridge := h.networkExists(ctx, "docker_gwbridge")
	h.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := sw.Leave(ctx, swarm.Force()); err != nil && !errors.Is(err, docker.ErrUnavailable) {
			h.Errorf("cleanup: leave the swarm: %v", err)
		}
		if !hadGWBridge && h.networkExists(ctx, "docker_gwbridge") {
			p, _ := httpx.Path("/networks/{}", "network", "docker_gwbridge")
			if err := h.tg.Client.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: p}, nil); err != nil {
				h.Logf("cleanup: remove docker_gwbridge: %v", err)
			}
		}
	})
	if _, err := sw.Init(ctx, swarm.InitRequest{ListenAddr: addr, AdvertiseAddr: addr, Spec: swarm.Spec{Labels: h.tg.Labels}}); err != nil {
		h.Fatalf("swarm init on %s: %v", addr, err)
	}
}

func (h *harness) networkExists(ctx context.Context, name string) bool {
	p, err := httpx.Path("/networks/{}", "network", name)
	return err == nil && h.tg.Client.DoJSON(ctx, &docker.Request{Path: p}, nil) == nil
}

// imageID is the test image's id: services refer to it by id so the
// Engine never tries to pull it.
func (h *harness) imageID() string {
	h.Helper()
	d, err := image.New(h.tg.Client).Inspect(h.ctx(), h.tg.Image)
	if err != nil {
		h.Fatal(err)
	}
	return d.ID
}

// service creates a service, removed (with its task containers) when the
// case ends.
func (h *harness) service(svcs *swarm.Services, spec swarm.ServiceSpec) string {
	h.Helper()
	created, err := svcs.Create(h.ctx(), spec)
	if err != nil {
		h.Fatalf("create service %s: %v", spec.Name, err)
	}
	h.Cleanup(func() { h.removeService(svcs, created.ID) })
	return created.ID
}

// removeService removes a service if it is still there and then its task
// containers: Engine 20.10 removes those of completed tasks only when its
// reaper comes by, so after a short wait they are removed by force.
func (h *harness) removeService(svcs *swarm.Services, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := svcs.Remove(ctx, id); err != nil && !errors.Is(err, docker.ErrNotFound) && !errors.Is(err, docker.ErrUnavailable) {
		h.Errorf("remove service %s: %v", id, err)
	}
	q := url.Values{"all": {"1"}, "filters": {docker.Filters{"label": {"com.docker.swarm.service.id=" + id}}.Encode()}}
	for i := 0; i < 30; i++ {
		var ctrs []struct {
			ID string `json:"Id"`
		}
		if err := h.tg.Client.DoJSON(ctx, &docker.Request{Path: "/containers/json", Query: q}, &ctrs); err != nil || len(ctrs) == 0 {
			return
		}
		if i == 15 {
			for _, c := range ctrs {
				p, _ := httpx.Path("/containers/{}", "container", c.ID)
				_ = h.tg.Client.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: p, Query: url.Values{"force": {strconv.Itoa(1)}}}, nil)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
}
