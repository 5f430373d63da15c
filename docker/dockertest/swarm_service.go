package dockertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/swarm"
)

// fakeService is a service and its orchestration state. The Server's mu
// guards it.
type fakeService struct {
	swarm.Service
	jobTasks int // tasks made for the current job iteration
}

// findService resolves a full id, a name or a unique id prefix.
func (sw *fakeSwarm) findService(ref string) *fakeService {
	if svc, ok := sw.services[ref]; ok {
		return svc
	}
	var byPrefix *fakeService
	n := 0
	for id, svc := range sw.services {
		if svc.Spec.Name == ref {
			return svc
		}
		if strings.HasPrefix(id, ref) {
			byPrefix, n = svc, n+1
		}
	}
	if n == 1 {
		return byPrefix
	}
	return nil
}

// validServiceName is what the fake accepts as a service name: one DNS
// label (the Engine is stricter about dots and underscores).
var validServiceName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// checkServiceSpec validates spec against the swarm; it returns the
// Engine's status and message.
func (sw *fakeSwarm) checkServiceSpec(spec *swarm.ServiceSpec) (int, string) {
	cs := spec.TaskTemplate.ContainerSpec
	if cs == nil {
		return 400, "rpc error: code = InvalidArgument desc = ContainerSpec: missing in service spec"
	}
	if cs.Image == "" {
		return 400, "rpc error: code = InvalidArgument desc = ContainerSpec: image reference must be provided"
	}
	if spec.Name != "" && (len(spec.Name) > 63 || !validServiceName.MatchString(spec.Name)) {
		return 400, "rpc error: code = InvalidArgument desc = name must be valid as a DNS name component"
	}
	var missing []string
	for _, ref := range cs.Secrets {
		if _, ok := sw.secrets[ref.SecretID]; !ok {
			missing = append(missing, ref.SecretName)
		}
	}
	if len(missing) > 0 {
		return 400, "rpc error: code = InvalidArgument desc = secret not found: " + strings.Join(missing, ", ")
	}
	for _, ref := range cs.Configs {
		if _, ok := sw.configs[ref.ConfigID]; !ok {
			missing = append(missing, ref.ConfigName)
		}
	}
	if len(missing) > 0 {
		return 400, "rpc error: code = InvalidArgument desc = config not found: " + strings.Join(missing, ", ")
	}
	m := spec.Mode
	n := 0
	for _, set := range []bool{m.Replicated != nil, m.Global != nil, m.ReplicatedJob != nil, m.GlobalJob != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return 400, "rpc error: code = InvalidArgument desc = only one service mode may be set"
	}
	return 0, ""
}

// normalizeServiceSpec fills what the Engine stores for unset fields.
func normalizeServiceSpec(spec *swarm.ServiceSpec) {
	m := &spec.Mode
	switch {
	case m.Replicated != nil:
		if m.Replicated.Replicas == nil {
			one := uint64(1)
			m.Replicated.Replicas = &one
		}
	case m.Global != nil, m.GlobalJob != nil:
	case m.ReplicatedJob != nil:
		j := m.ReplicatedJob
		if j.TotalCompletions == nil && j.MaxConcurrent == nil {
			one := uint64(1)
			j.TotalCompletions, j.MaxConcurrent = &one, &one
		}
		if j.TotalCompletions == nil {
			v := *j.MaxConcurrent
			j.TotalCompletions = &v
		}
		if j.MaxConcurrent == nil {
			v := *j.TotalCompletions
			j.MaxConcurrent = &v
		}
	default:
		*m = swarm.ReplicatedMode(1)
	}
	if spec.TaskTemplate.Runtime == "" {
		spec.TaskTemplate.Runtime = "container"
	}
	if spec.Labels == nil {
		spec.Labels = map[string]string{}
	}
}

func (s *Server) handleServiceCreate(w http.ResponseWriter, r *http.Request, _ params) {
	var spec swarm.ServiceSpec
	if !decodeBody(w, r, &spec) {
		return
	}
	serviceSpecForVersion(r, &spec)
	var created *fakeService
	s.withSwarm(w, func(sw *fakeSwarm) {
		if status, msg := sw.checkServiceSpec(&spec); status != 0 {
			writeError(w, status, msg)
			return
		}
		id := swarmID()
		if spec.Name == "" {
			spec.Name = generatedName(id)
		}
		for _, other := range sw.services {
			if other.Spec.Name == spec.Name {
				writeError(w, http.StatusConflict, "rpc error: code = AlreadyExists desc = name conflicts with an existing object: service "+spec.Name+" already exists")
				return
			}
		}
		normalizeServiceSpec(&spec)
		now := time.Now().UTC()
		svc := &fakeService{Service: swarm.Service{ID: id, Version: sw.next(), CreatedAt: now, UpdatedAt: now, Spec: spec}}
		svc.Endpoint = swarm.Endpoint{Spec: swarm.EndpointSpec{}}
		if spec.EndpointSpec != nil {
			svc.Endpoint.Spec = *spec.EndpointSpec
		}
		if spec.Mode.ReplicatedJob != nil || spec.Mode.GlobalJob != nil {
			svc.JobStatus = &swarm.JobStatus{JobIteration: svc.Version, LastExecution: now}
		}
		sw.services[id] = svc
		s.emitSwarm("service", "create", id, map[string]string{"name": spec.Name})
		created = svc
		writeJSON(w, http.StatusCreated, swarm.CreateResult{ID: id})
	})
	if created != nil {
		s.reconcile(created.ID)
	}
}

func (s *Server) handleServiceList(w http.ResponseWriter, r *http.Request, _ params) {
	f, ok := swarmFilters(w, r, "id", "label", "mode", "name")
	if !ok {
		return
	}
	status := isTrue(r.URL.Query().Get("status"))
	s.withSwarm(w, func(sw *fakeSwarm) {
		svcs := make([]*fakeService, 0, len(sw.services))
		for _, svc := range sw.services {
			if anyOf(f, "id", func(v string) bool { return strings.HasPrefix(svc.ID, v) }) &&
				anyOf(f, "name", func(v string) bool { return strings.HasPrefix(svc.Spec.Name, v) }) &&
				anyOf(f, "mode", func(v string) bool { return v == serviceMode(&svc.Spec) }) &&
				labelsMatch(svc.Spec.Labels, f["label"]) {
				svcs = append(svcs, svc)
			}
		}
		sort.Slice(svcs, func(i, j int) bool { return svcs[i].CreatedAt.Before(svcs[j].CreatedAt) })
		out := make([]swarm.Service, 0, len(svcs))
		for _, svc := range svcs {
			v := svc.Service
			if status {
				st := sw.serviceStatus(svc)
				v.ServiceStatus = &st
			}
			out = append(out, v)
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// serviceMode names the mode as the mode filter does.
func serviceMode(spec *swarm.ServiceSpec) string {
	switch m := spec.Mode; {
	case m.Global != nil:
		return "global"
	case m.ReplicatedJob != nil:
		return "replicated-job"
	case m.GlobalJob != nil:
		return "global-job"
	}
	return "replicated"
}

// serviceStatus counts the service's tasks as GET /services?status=1 does.
func (sw *fakeSwarm) serviceStatus(svc *fakeService) swarm.ServiceStatus {
	var st swarm.ServiceStatus
	for _, t := range sw.tasks {
		if t.ServiceID != svc.ID {
			continue
		}
		if t.Status.State == swarm.TaskStateRunning {
			st.RunningTasks++
		}
		if svc.JobStatus != nil && t.JobIteration != nil && t.JobIteration.Index == svc.JobStatus.JobIteration.Index &&
			t.Status.State == swarm.TaskStateComplete {
			st.CompletedTasks++
		}
	}
	m := svc.Spec.Mode
	switch {
	case m.Replicated != nil:
		st.DesiredTasks = *m.Replicated.Replicas
	case m.Global != nil:
		st.DesiredTasks = 1
	case m.ReplicatedJob != nil:
		left := *m.ReplicatedJob.TotalCompletions - min(st.CompletedTasks, *m.ReplicatedJob.TotalCompletions)
		st.DesiredTasks = min(left, *m.ReplicatedJob.MaxConcurrent)
	case m.GlobalJob != nil:
		if st.CompletedTasks == 0 {
			st.DesiredTasks = 1
		}
	}
	return st
}

func (s *Server) handleServiceInspect(w http.ResponseWriter, r *http.Request, p params) {
	defaults := isTrue(r.URL.Query().Get("insertDefaults"))
	s.withSwarm(w, func(sw *fakeSwarm) {
		svc := sw.findService(p["id"])
		if svc == nil {
			writeError(w, http.StatusNotFound, "service "+p["id"]+" not found")
			return
		}
		out := svc.Service
		if defaults {
			out.Spec = withServiceDefaults(out.Spec)
			if out.PreviousSpec != nil {
				prev := withServiceDefaults(*out.PreviousSpec)
				out.PreviousSpec = &prev
			}
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// withServiceDefaults returns spec with the Engine's defaults in its unset
// fields (insertDefaults).
func withServiceDefaults(spec swarm.ServiceSpec) swarm.ServiceSpec {
	b, _ := json.Marshal(spec) // a deep copy
	var c swarm.ServiceSpec
	_ = json.Unmarshal(b, &c)
	t := &c.TaskTemplate
	if t.RestartPolicy == nil {
		t.RestartPolicy = &swarm.RestartPolicy{}
	}
	if t.RestartPolicy.Condition == "" {
		t.RestartPolicy.Condition = swarm.RestartAny
	}
	if t.RestartPolicy.Delay == nil {
		d := 5 * time.Second
		t.RestartPolicy.Delay = &d
	}
	if t.RestartPolicy.MaxAttempts == nil {
		var zero uint64
		t.RestartPolicy.MaxAttempts = &zero
	}
	if cs := t.ContainerSpec; cs != nil && cs.StopGracePeriod == nil {
		d := 10 * time.Second
		cs.StopGracePeriod = &d
	}
	for _, u := range []**swarm.UpdateConfig{&c.UpdateConfig, &c.RollbackConfig} {
		if *u == nil {
			*u = &swarm.UpdateConfig{}
		}
		if (*u).Parallelism == 0 {
			(*u).Parallelism = 1
		}
		if (*u).FailureAction == "" {
			(*u).FailureAction = "pause"
		}
		if (*u).Monitor == 0 {
			(*u).Monitor = 5 * time.Second
		}
		if (*u).Order == "" {
			(*u).Order = "stop-first"
		}
	}
	if c.EndpointSpec == nil {
		c.EndpointSpec = &swarm.EndpointSpec{}
	}
	if c.EndpointSpec.Mode == "" {
		c.EndpointSpec.Mode = "vip"
	}
	return c
}

func (s *Server) handleServiceUpdate(w http.ResponseWriter, r *http.Request, p params) {
	var spec swarm.ServiceSpec
	if !decodeBody(w, r, &spec) {
		return
	}
	serviceSpecForVersion(r, &spec)
	version, ok := readVersion(w, r)
	if !ok {
		return
	}
	rollback := r.URL.Query().Get("rollback") == "previous"
	var updated string
	s.withSwarm(w, func(sw *fakeSwarm) {
		svc := sw.findService(p["id"])
		if svc == nil {
			writeError(w, http.StatusNotFound, "service "+p["id"]+" not found")
			return
		}
		now := time.Now().UTC()
		var status *swarm.UpdateStatus
		if rollback {
			if svc.PreviousSpec == nil {
				writeError(w, http.StatusInternalServerError, "service does not have a previous spec")
				return
			}
			spec = *svc.PreviousSpec
			status = &swarm.UpdateStatus{State: swarm.UpdateStateRollbackCompleted, StartedAt: &now, CompletedAt: &now, Message: "rollback completed"}
		} else {
			if st, msg := sw.checkServiceSpec(&spec); st != 0 {
				writeError(w, st, msg)
				return
			}
			normalizeServiceSpec(&spec)
			status = &swarm.UpdateStatus{State: swarm.UpdateStateCompleted, StartedAt: &now, CompletedAt: &now, Message: "update completed"}
		}
		switch {
		case spec.Name != svc.Spec.Name:
			writeError(w, http.StatusNotImplemented, "rpc error: code = Unimplemented desc = renaming services is not supported")
			return
		case serviceMode(&spec) != serviceMode(&svc.Spec):
			writeError(w, http.StatusBadRequest, "rpc error: code = InvalidArgument desc = service mode change is not allowed")
			return
		case version != svc.Version.Index:
			writeError(w, http.StatusInternalServerError, errOutOfSequence)
			return
		}
		prev := svc.Spec
		templateChanged := string(specKey(&prev.TaskTemplate)) != string(specKey(&spec.TaskTemplate))
		svc.PreviousSpec, svc.Spec = &prev, spec
		svc.Version, svc.UpdatedAt = sw.next(), now
		if spec.EndpointSpec != nil {
			svc.Endpoint.Spec = *spec.EndpointSpec
		}
		if templateChanged || rollback {
			svc.UpdateStatus = status
		}
		if svc.JobStatus != nil {
			// Every update of a job starts a new iteration.
			svc.JobStatus = &swarm.JobStatus{JobIteration: svc.Version, LastExecution: now}
			svc.jobTasks = 0
		}
		if templateChanged {
			for _, t := range sw.tasks {
				if t.ServiceID == svc.ID && t.DesiredState != swarm.TaskStateShutdown {
					s.shutdownTaskLocked(t)
				}
			}
		}
		attrs := map[string]string{"name": spec.Name}
		if old, cur := prev.Mode.Replicated, spec.Mode.Replicated; old != nil && cur != nil && *old.Replicas != *cur.Replicas {
			attrs["replicas.old"], attrs["replicas.new"] = fmt.Sprint(*old.Replicas), fmt.Sprint(*cur.Replicas)
		}
		s.emitSwarm("service", "update", svc.ID, attrs)
		updated = svc.ID
		writeJSON(w, http.StatusOK, swarm.UpdateResult{})
	})
	if updated != "" {
		s.reconcile(updated)
	}
}

func (s *Server) handleServiceRemove(w http.ResponseWriter, r *http.Request, p params) {
	var stop []*fakeContainer
	s.withSwarm(w, func(sw *fakeSwarm) {
		svc := sw.findService(p["id"])
		if svc == nil {
			writeError(w, http.StatusNotFound, "service "+p["id"]+" not found")
			return
		}
		delete(sw.services, svc.ID)
		for id, t := range sw.tasks {
			if t.ServiceID == svc.ID {
				t.DesiredState = swarm.TaskStateShutdown
				delete(sw.tasks, id)
				if t.ctr != nil {
					stop = append(stop, t.ctr)
				}
			}
		}
		s.emitSwarm("service", "remove", svc.ID, map[string]string{"name": svc.Spec.Name})
		w.WriteHeader(http.StatusOK)
	})
	for _, c := range stop {
		go s.stopAndRemove(c)
	}
}

// stopAndRemove stops a task's container within its grace period and
// removes it, as the Engine's executor does for a removed task.
func (s *Server) stopAndRemove(c *fakeContainer) {
	s.mu.Lock()
	sig, grace := taskStop(c)
	s.mu.Unlock()
	s.stop(c, sig, grace)
	select {
	case <-s.done:
		return
	default:
	}
	s.mu.Lock()
	s.removeLocked(c)
	s.mu.Unlock()
}

// taskStop is the signal and grace period a task's container stops with;
// the caller holds s.mu.
func taskStop(c *fakeContainer) (string, time.Duration) {
	sig := "SIGTERM"
	if c.config.StopSignal != "" {
		if n := normalizeSignal(c.config.StopSignal); n != "" {
			sig = n
		}
	}
	grace := 10 * time.Second
	if c.config.StopTimeout != nil {
		grace = time.Duration(*c.config.StopTimeout) * time.Second
	}
	return sig, grace
}

// specKey is a task template as JSON, for comparisons; the default
// runtime is left out as tasks do not carry it.
func specKey(t *swarm.TaskSpec) []byte {
	c := *t
	if c.Runtime == "container" {
		c.Runtime = ""
	}
	b, _ := json.Marshal(&c)
	return b
}

// serviceSpecForVersion drops what a service create or update of the
// request's API version cannot set, as the Engine does: Seccomp and
// AppArmor before 1.44, OomScoreAdj and tmpfs mount options before 1.46,
// SwapBytes and MemorySwappiness before 1.52.
func serviceSpecForVersion(r *http.Request, spec *swarm.ServiceSpec) {
	if cs := spec.TaskTemplate.ContainerSpec; cs != nil {
		if cs.Privileges != nil && !atLeast(r, "1.44") {
			cs.Privileges.Seccomp, cs.Privileges.AppArmor = nil, nil
		}
		if !atLeast(r, "1.46") {
			cs.OomScoreAdj = 0
			for i := range cs.Mounts {
				if o := cs.Mounts[i].TmpfsOptions; o != nil {
					o.Options = nil
				}
			}
		}
	}
	if res := spec.TaskTemplate.Resources; res != nil && !atLeast(r, "1.52") {
		res.SwapBytes, res.MemorySwappiness = nil, nil
	}
}
