package dockertest

import (
	"fmt"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/swarm"
)

// fakeTask is one task and the container that runs it (nil when the task
// never got one, e.g. rejected for a missing image). The Server's mu
// guards it.
type fakeTask struct {
	swarm.Task
	ctr *fakeContainer
}

// terminal reports whether a task's state is final.
func terminal(st swarm.TaskState) bool {
	switch st {
	case swarm.TaskStateComplete, swarm.TaskStateShutdown, swarm.TaskStateFailed, swarm.TaskStateRejected,
		swarm.TaskStateRemove, swarm.TaskStateOrphaned:
		return true
	}
	return false
}

// reconcile makes the service's tasks match its mode, as the Engine's
// orchestrators do: tasks are added for empty slots and shut down for
// slots no longer wanted; a job gets tasks until enough have completed.
func (s *Server) reconcile(serviceID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sw := s.state.swarm
	if sw == nil {
		return
	}
	svc := sw.services[serviceID]
	if svc == nil {
		return
	}
	var live []*fakeTask // tasks holding a slot: not shut down by the orchestrator
	for _, t := range sw.tasks {
		if t.ServiceID == svc.ID && t.DesiredState != swarm.TaskStateShutdown {
			live = append(live, t)
		}
	}
	sort.Slice(live, func(i, j int) bool { return live[i].CreatedAt.Before(live[j].CreatedAt) })
	m := svc.Spec.Mode
	switch {
	case m.Replicated != nil || m.Global != nil:
		want := 1
		if m.Replicated != nil {
			want = int(*m.Replicated.Replicas)
		}
		if sw.node.Spec.Availability == swarm.AvailabilityDrain {
			want = 0
		}
		taken := map[int]bool{}
		for _, t := range live {
			slot := max(t.Slot, 1)
			if slot > want || taken[slot] {
				s.shutdownTaskLocked(t)
				continue
			}
			taken[slot] = true
		}
		for slot := 1; slot <= want; slot++ {
			if taken[slot] {
				continue
			}
			if m.Global != nil {
				s.newTaskLocked(sw, svc, 0)
				continue
			}
			s.newTaskLocked(sw, svc, slot)
		}
	default: // jobs
		iteration := svc.JobStatus.JobIteration
		total, concurrent := 1, 1
		if j := m.ReplicatedJob; j != nil {
			total, concurrent = int(*j.TotalCompletions), int(*j.MaxConcurrent)
		}
		held, active := 0, 0
		for _, t := range live {
			if t.JobIteration == nil || *t.JobIteration != iteration {
				continue
			}
			held++
			if !terminal(t.Status.State) {
				active++
			}
		}
		for ; held < total && active < concurrent; held, active = held+1, active+1 {
			svc.jobTasks++
			slot := svc.jobTasks
			if m.GlobalJob != nil {
				slot = 0
			}
			s.newTaskLocked(sw, svc, slot)
		}
	}
}

// newTaskLocked makes a task for the slot (0 for global modes) and starts
// its container; the caller holds s.mu.
func (s *Server) newTaskLocked(sw *fakeSwarm, svc *fakeService, slot int) {
	now := time.Now().UTC()
	spec := svc.Spec.TaskTemplate
	spec.Runtime = ""
	t := &fakeTask{Task: swarm.Task{ID: swarmID(), Version: sw.next(), CreatedAt: now, UpdatedAt: now, Labels: map[string]string{},
		Spec: spec, ServiceID: svc.ID, Slot: slot, NodeID: sw.node.ID, DesiredState: swarm.TaskStateRunning,
		Status: swarm.TaskStatus{Timestamp: now, State: swarm.TaskStateNew, Message: "created"}}}
	if svc.JobStatus != nil {
		it := svc.JobStatus.JobIteration
		t.JobIteration, t.DesiredState = &it, swarm.TaskStateComplete
	}
	sw.tasks[t.ID] = t
	s.startTaskLocked(sw, svc, t)
}

// taskName is the Engine's name of a task's container, without the id.
func taskName(svc *fakeService, t *fakeTask) string {
	if t.Slot == 0 {
		return svc.Spec.Name + "." + t.NodeID
	}
	return svc.Spec.Name + "." + strconv.Itoa(t.Slot)
}

// startTaskLocked creates and starts the task's container through the
// same machinery as POST /containers/create and start; the caller holds
// s.mu.
func (s *Server) startTaskLocked(sw *fakeSwarm, svc *fakeService, t *fakeTask) {
	cs := t.Spec.ContainerSpec
	im := s.state.findImage(cs.Image)
	if im == nil {
		s.taskEndedLocked(sw, t, swarm.TaskStateRejected, "preparing", "No such image: "+cs.Image, 0)
		return
	}
	name := taskName(svc, t) + "." + t.ID
	labels := map[string]string{}
	for k, v := range cs.Labels {
		labels[k] = v
	}
	for k, v := range map[string]string{"com.docker.swarm.node.id": t.NodeID, "com.docker.swarm.service.id": svc.ID,
		"com.docker.swarm.service.name": svc.Spec.Name, "com.docker.swarm.task": "", "com.docker.swarm.task.id": t.ID,
		"com.docker.swarm.task.name": name} {
		labels[k] = v
	}
	cfg := container.Config{Image: cs.Image, Entrypoint: cs.Command, Cmd: cs.Args, Env: cs.Env, Tty: cs.TTY, OpenStdin: cs.OpenStdin,
		Labels: labels, Hostname: cs.Hostname, WorkingDir: cs.Dir, User: cs.User, StopSignal: cs.StopSignal}
	if g := cs.StopGracePeriod; g != nil {
		secs := int((*g + time.Second - 1) / time.Second)
		cfg.StopTimeout = &secs
	}
	id := newID()
	if cfg.Hostname == "" {
		cfg.Hostname = id[:12]
	}
	c := &fakeContainer{srv: s, id: id, created: time.Now().UTC(), image: im, imageRef: cs.Image, files: im.files.clone(),
		logs: newLogBuf(), name: "/" + name, config: cfg, host: container.HostConfig{NetworkMode: "none"},
		exited: make(chan struct{}), removed: make(chan struct{}), st: container.State{Status: "created"}}
	for _, ref := range cs.Secrets {
		if o := sw.secrets[ref.SecretID]; o != nil && ref.File != nil {
			s.writeTaskFile(c, path.Join("/run/secrets", ref.File.Name), o.data, ref.File)
		}
	}
	for _, ref := range cs.Configs {
		if o := sw.configs[ref.ConfigID]; o != nil && ref.File != nil {
			s.writeTaskFile(c, path.Join("/", ref.File.Name), o.data, ref.File)
		}
	}
	s.state.containers[id] = c
	t.ctr = c
	s.Emit("container", "create", id, c.eventAttrs())
	if status, msg := c.start(); status >= 400 {
		s.taskEndedLocked(sw, t, swarm.TaskStateRejected, "starting", msg, 0)
		return
	}
	s.Emit("container", "start", id, c.eventAttrs())
	now := time.Now().UTC()
	t.Version, t.UpdatedAt = sw.next(), now
	t.Status = swarm.TaskStatus{Timestamp: now, State: swarm.TaskStateRunning, Message: "started",
		ContainerStatus: &swarm.ContainerStatus{ContainerID: id, PID: c.st.Pid}}
	go s.watchTask(t.ID, c.exited)
}

// writeTaskFile puts a secret's or config's data into the container's
// files.
func (s *Server) writeTaskFile(c *fakeContainer, name string, data []byte, f *swarm.FileTarget) {
	mode := f.Mode.Perm()
	if mode == 0 {
		mode = 0o444
	}
	_ = c.files.MkdirAll(path.Dir(name), 0o755)
	_ = c.files.WriteFile(name, data, mode)
}

// watchTask records the end of the task's container; it returns when the
// container exits or the server closes.
func (s *Server) watchTask(taskID string, exited <-chan struct{}) {
	select {
	case <-exited:
	case <-s.done:
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sw := s.state.swarm
	if sw == nil {
		return
	}
	t := sw.tasks[taskID]
	if t == nil || t.ctr == nil {
		return
	}
	code := t.ctr.st.ExitCode
	switch {
	case t.DesiredState == swarm.TaskStateShutdown:
		s.taskEndedLocked(sw, t, swarm.TaskStateShutdown, "shutdown", "", code)
	case code == 0:
		s.taskEndedLocked(sw, t, swarm.TaskStateComplete, "finished", "", code)
	default:
		s.taskEndedLocked(sw, t, swarm.TaskStateFailed, "started", fmt.Sprintf("task: non-zero exit (%d)", code), code)
	}
}

// taskEndedLocked records a task's final state and, as the restart policy
// says, schedules its replacement; the caller holds s.mu.
func (s *Server) taskEndedLocked(sw *fakeSwarm, t *fakeTask, state swarm.TaskState, msg, errMsg string, code int) {
	now := time.Now().UTC()
	t.Version, t.UpdatedAt = sw.next(), now
	t.Status = swarm.TaskStatus{Timestamp: now, State: state, Message: msg, Err: errMsg, ContainerStatus: t.Status.ContainerStatus}
	if t.Status.ContainerStatus != nil {
		t.Status.ContainerStatus.ExitCode = code
	}
	svc := sw.services[t.ServiceID]
	if svc == nil || state == swarm.TaskStateShutdown {
		return
	}
	if svc.JobStatus != nil && state == swarm.TaskStateComplete {
		go s.reconcileAfter(svc.ID, 0) // more completions may be due
		return
	}
	rp := t.Spec.RestartPolicy
	cond, delay := swarm.RestartAny, 5*time.Second
	if rp != nil {
		if rp.Condition != "" {
			cond = rp.Condition
		}
		if rp.Delay != nil {
			delay = *rp.Delay
		}
		if rp.MaxAttempts != nil && *rp.MaxAttempts > 0 && sw.attempts(t) > int(*rp.MaxAttempts) {
			return
		}
	}
	if cond == swarm.RestartNone || cond == swarm.RestartOnFailure && state == swarm.TaskStateComplete {
		return // the task keeps its slot: nothing replaces it
	}
	t.DesiredState = swarm.TaskStateShutdown
	go s.reconcileAfter(svc.ID, delay)
}

// attempts counts the ended tasks of t's service and slot.
func (sw *fakeSwarm) attempts(t *fakeTask) int {
	n := 0
	for _, o := range sw.tasks {
		if o.ServiceID == t.ServiceID && o.Slot == t.Slot && terminal(o.Status.State) {
			n++
		}
	}
	return n
}

// reconcileAfter reconciles the service after delay, unless the server
// closes first.
func (s *Server) reconcileAfter(serviceID string, delay time.Duration) {
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-timer.C:
		s.reconcile(serviceID)
	case <-s.done:
	}
}

// shutdownTaskLocked makes the task's desired state shutdown and stops its
// container in the background; the caller holds s.mu.
func (s *Server) shutdownTaskLocked(t *fakeTask) {
	t.DesiredState = swarm.TaskStateShutdown
	c := t.ctr
	if c == nil || c.cur == nil {
		if !terminal(t.Status.State) {
			t.Status.State = swarm.TaskStateShutdown
		}
		return
	}
	sig, grace := taskStop(c)
	go s.stop(c, sig, grace)
}

func (s *Server) handleTaskList(w http.ResponseWriter, r *http.Request, _ params) {
	f, ok := swarmFilters(w, r, "id", "name", "service", "node", "label", "desired-state")
	if !ok {
		return
	}
	s.withSwarm(w, func(sw *fakeSwarm) {
		var tasks []*fakeTask
		for _, t := range sw.tasks {
			svc := sw.services[t.ServiceID]
			if svc == nil {
				continue
			}
			if anyOf(f, "id", func(v string) bool { return strings.HasPrefix(t.ID, v) }) &&
				anyOf(f, "name", func(v string) bool { return strings.HasPrefix(taskName(svc, t), v) }) &&
				anyOf(f, "service", func(v string) bool { return svc.ID == v || svc.Spec.Name == v || strings.HasPrefix(svc.ID, v) }) &&
				anyOf(f, "node", func(v string) bool { return sw.findNode(v) != nil }) &&
				anyOf(f, "desired-state", func(v string) bool { return string(t.DesiredState) == v }) &&
				labelsMatch(t.Labels, f["label"]) {
				tasks = append(tasks, t)
			}
		}
		sort.Slice(tasks, func(i, j int) bool { return tasks[i].CreatedAt.Before(tasks[j].CreatedAt) })
		out := make([]swarm.Task, 0, len(tasks))
		for _, t := range tasks {
			out = append(out, t.Task)
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// findTask resolves a full id or a unique id prefix.
func (sw *fakeSwarm) findTask(ref string) *fakeTask {
	if t, ok := sw.tasks[ref]; ok {
		return t
	}
	var found *fakeTask
	for id, t := range sw.tasks {
		if strings.HasPrefix(id, ref) {
			if found != nil {
				return nil
			}
			found = t
		}
	}
	return found
}

func (s *Server) handleTaskInspect(w http.ResponseWriter, r *http.Request, p params) {
	s.withSwarm(w, func(sw *fakeSwarm) {
		t := sw.findTask(p["id"])
		if t == nil {
			writeError(w, http.StatusNotFound, "task "+p["id"]+" not found")
			return
		}
		writeJSON(w, http.StatusOK, t.Task)
	})
}
