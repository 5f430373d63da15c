package swarm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
)

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	return ctx, cancel
}

func task(desired, state TaskState) Task {
	return Task{DesiredState: desired, Status: TaskStatus{State: state}}
}

func withSpec(t Task, spec TaskSpec) Task {
	t.Spec = spec
	return t
}

func jobTask(iteration uint64, node string, state TaskState) Task {
	return Task{NodeID: node, DesiredState: TaskStateComplete, JobIteration: &Version{Index: iteration}, Status: TaskStatus{State: state}}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	running, shutdown, complete := TaskStateRunning, TaskStateShutdown, TaskStateComplete
	replicated := func(n uint64) Service { return Service{Spec: ServiceSpec{Mode: ReplicatedMode(n)}} }
	job := func(mode ServiceMode, iteration uint64) Service {
		return Service{Spec: ServiceSpec{Mode: mode}, JobStatus: &JobStatus{JobIteration: Version{Index: iteration}}}
	}
	updating := replicated(1)
	updating.UpdateStatus = &UpdateStatus{State: UpdateStateUpdating}
	paused := replicated(1)
	paused.UpdateStatus = &UpdateStatus{State: UpdateStatePaused, Message: "update paused due to failure"}
	updated := replicated(1)
	updated.Spec.TaskTemplate = TaskSpec{ContainerSpec: &ContainerSpec{Image: "app:2"}, Runtime: "container"}
	updated.PreviousSpec = &ServiceSpec{TaskTemplate: TaskSpec{ContainerSpec: &ContainerSpec{Image: "app:1"}}}
	old := updated.PreviousSpec.TaskTemplate
	now := TaskSpec{ContainerSpec: &ContainerSpec{Image: "app:2"}} // as tasks report it: no Runtime
	completed := replicated(1)
	completed.UpdateStatus = &UpdateStatus{State: UpdateStateCompleted}

	for _, tc := range []struct {
		name    string
		svc     Service
		tasks   []Task
		done    bool
		summary string
		failed  bool
	}{
		{"replicated all running", replicated(3), []Task{task(running, running), task(running, running), task(running, running), task(shutdown, shutdown)}, true, "3/3 tasks running", false},
		{"replicated starting", replicated(3), []Task{task(running, running), task(running, TaskStatePreparing), task(running, running)}, false, "2/3 tasks running", false},
		{"replicated too few tasks", replicated(3), []Task{task(running, running)}, false, "1/3 tasks running", false},
		{"scaled down, old still running", replicated(1), []Task{task(running, running), task(shutdown, running)}, false, "1/1 tasks running, 1 old still running", false},
		{"scaled to zero", replicated(0), []Task{task(shutdown, shutdown)}, true, "0/0 tasks running", false},
		{"replicas default to one", Service{}, []Task{task(running, running)}, true, "1/1 tasks running", false},
		{"global", Service{Spec: ServiceSpec{Mode: GlobalMode()}}, []Task{task(running, running), task(running, running)}, true, "2/2 tasks running", false},
		{"update not started yet", updated, []Task{withSpec(task(running, running), old)}, false, "0/1 tasks running, 1 old still running", false},
		{"update rolled out", updated, []Task{withSpec(task(shutdown, running), old), withSpec(task(running, running), now)}, false, "1/1 tasks running, 1 old still running", false},
		{"update done", updated, []Task{withSpec(task(shutdown, shutdown), old), withSpec(task(running, running), now)}, true, "1/1 tasks running", false},
		{"task spec unlike both", updated, []Task{withSpec(task(running, running), TaskSpec{Runtime: "odd"})}, true, "1/1 tasks running", false},
		{"global starting", Service{Spec: ServiceSpec{Mode: GlobalMode()}}, []Task{task(running, running), task(running, TaskStatePending)}, false, "1/2 tasks running", false},
		{"global without tasks", Service{Spec: ServiceSpec{Mode: GlobalMode()}}, nil, false, "0/0 tasks running", false},
		{"update in progress", updating, []Task{task(running, running)}, false, "1/1 tasks running", false},
		{"update completed", completed, []Task{task(running, running)}, true, "1/1 tasks running", false},
		{"update paused", paused, []Task{task(running, running)}, false, "", true},
		{"replicated job done", job(ReplicatedJobMode(2, 3), 5), []Task{jobTask(5, "n", complete), jobTask(5, "n", complete), jobTask(5, "n", complete), jobTask(4, "n", TaskStateFailed)}, true, "3/3 tasks completed", false},
		{"replicated job old iteration", job(ReplicatedJobMode(1, 2), 6), []Task{jobTask(5, "n", complete), jobTask(5, "n", complete), jobTask(6, "n", running)}, false, "0/2 tasks completed", false},
		{"replicated job defaults", job(ServiceMode{ReplicatedJob: &ReplicatedJob{}}, 1), []Task{jobTask(1, "n", complete)}, true, "1/1 tasks completed", false},
		{"replicated job max concurrent", job(ServiceMode{ReplicatedJob: &ReplicatedJob{MaxConcurrent: ptr(uint64(2))}}, 1), []Task{jobTask(1, "n", complete)}, false, "1/2 tasks completed", false},
		{"job without status yet", Service{Spec: ServiceSpec{Mode: ReplicatedJobMode(1, 1)}}, nil, false, "0/0 tasks completed", false},
		{"global job done", job(GlobalJobMode(), 2), []Task{jobTask(2, "a", complete), jobTask(2, "b", TaskStateFailed), jobTask(2, "b", complete)}, true, "2/2 tasks completed", false},
		{"global job working", job(GlobalJobMode(), 2), []Task{jobTask(2, "a", complete), jobTask(2, "b", running)}, false, "1/2 tasks completed", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := progressOf(&tc.svc, tc.tasks, nil)
			if (p.err != nil) != tc.failed {
				t.Fatalf("err = %v, want failure %v", p.err, tc.failed)
			}
			if tc.failed {
				return
			}
			if p.done != tc.done || p.String() != tc.summary {
				t.Errorf("done %v %q, want %v %q", p.done, p.String(), tc.done, tc.summary)
			}
		})
	}
}

func TestProgressReportsNewestTaskError(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1700000000, 0)
	tasks := []Task{
		{DesiredState: TaskStateShutdown, Status: TaskStatus{State: TaskStateRejected, Timestamp: t0, Err: "old error"}},
		{DesiredState: TaskStateRunning, Status: TaskStatus{State: TaskStateRejected, Timestamp: t0.Add(time.Second), Err: "No such image: app:1"}},
	}
	svc := Service{Spec: ServiceSpec{Mode: ReplicatedMode(1)}}
	if got := progressOf(&svc, tasks, nil).String(); got != "0/1 tasks running (last task error: No such image: app:1)" {
		t.Errorf("summary %q", got)
	}
}

func on(node string, t Task) Task {
	t.NodeID = node
	return t
}

// TestProgressDownNodes: a task on a node the managers report down is
// stale. The Engine keeps the last state its node reported (running) after
// moving it to desired shutdown, until the node returns or for 24 hours.
func TestProgressDownNodes(t *testing.T) {
	t.Parallel()
	running, shutdown, complete := TaskStateRunning, TaskStateShutdown, TaskStateComplete
	replicated := Service{Spec: ServiceSpec{Mode: ReplicatedMode(2)}}
	global := Service{Spec: ServiceSpec{Mode: GlobalMode()}}
	job := Service{Spec: ServiceSpec{Mode: GlobalJobMode()}, JobStatus: &JobStatus{JobIteration: Version{Index: 1}}}
	down := map[string]bool{"w": true}
	for _, tc := range []struct {
		name    string
		svc     Service
		tasks   []Task
		down    map[string]bool
		done    bool
		summary string
		onNodes int
	}{
		{"rescheduled, not looked up", replicated, []Task{on("m", task(running, running)), on("m", task(running, running)), on("w", task(shutdown, running))}, nil,
			false, "2/2 tasks running, 1 old still running", 1},
		{"rescheduled off a down node", replicated, []Task{on("m", task(running, running)), on("m", task(running, running)), on("w", task(shutdown, running))}, down,
			true, "2/2 tasks running, 1 on down nodes left out", 0},
		{"replacement starting", replicated, []Task{on("m", task(running, running)), on("m", task(running, TaskStatePreparing)), on("w", task(shutdown, running))}, down,
			false, "1/2 tasks running, 1 on down nodes left out", 1},
		{"not replaced yet", replicated, []Task{on("m", task(running, running)), on("w", task(running, running))}, down,
			false, "1/2 tasks running", 1},
		{"stopping on a live node", replicated, []Task{on("m", task(running, running)), on("m", task(running, running)), on("x", task(shutdown, running))}, down,
			false, "2/2 tasks running, 1 old still running", 1},
		{"global", global, []Task{on("m", task(running, running)), on("w", task(shutdown, running))}, down,
			true, "1/1 tasks running, 1 on down nodes left out", 0},
		{"global job", job, []Task{jobTask(1, "m", complete), jobTask(1, "w", running)}, down,
			true, "1/1 tasks completed, 1 on down nodes left out", 0},
		{"global job completed before", job, []Task{jobTask(1, "m", complete), jobTask(1, "w", complete)}, down,
			true, "2/2 tasks completed", 0},
		{"global job working", job, []Task{jobTask(1, "m", complete), jobTask(1, "w", running)}, nil,
			false, "1/2 tasks completed", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := progressOf(&tc.svc, tc.tasks, tc.down)
			if p.err != nil {
				t.Fatal(p.err)
			}
			if p.done != tc.done || p.String() != tc.summary || p.onNodes != tc.onNodes {
				t.Errorf("done %v %q, %d held on nodes; want %v %q, %d", p.done, p.String(), p.onNodes, tc.done, tc.summary, tc.onNodes)
			}
		})
	}
}

// TestWaitConvergedNodeDown: tasks rescheduled off a lost node hold the
// service back until GET /nodes shows the node down.
func TestWaitConvergedNodeDown(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("GET /v1.41/services/{id}", http.StatusOK, Service{ID: "s1", Spec: ServiceSpec{Mode: ReplicatedMode(2)}})
	f.Reply("GET /v1.41/tasks", http.StatusOK, []Task{
		on("m", task(TaskStateRunning, TaskStateRunning)),
		on("m", task(TaskStateRunning, TaskStateRunning)),
		on("w", task(TaskStateShutdown, TaskStateRunning)),
	})
	var polls atomic.Int32
	f.Mux.HandleFunc("GET /v1.41/nodes", func(w http.ResponseWriter, r *http.Request) {
		state := NodeStateReady
		if polls.Add(1) >= 3 {
			state = NodeStateDown
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode([]Node{{ID: "m", Status: NodeStatus{State: NodeStateReady}}, {ID: "w", Status: NodeStatus{State: state}}})
	})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := c.Services().WaitConverged(ctx, "s1", PollInterval(10*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if n := polls.Load(); n != 3 {
		t.Errorf("%d node lists, want 3", n)
	}
}

func TestWaitConvergedSaysWhatHoldsItBack(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("GET /v1.41/services/{id}", http.StatusOK, Service{ID: "s1", Spec: ServiceSpec{Mode: ReplicatedMode(1)}})
	f.Reply("GET /v1.41/tasks", http.StatusOK, []Task{on("m", task(TaskStateRunning, TaskStateRunning)), on("w", task(TaskStateShutdown, TaskStateRunning))})
	f.Reply("GET /v1.41/nodes", http.StatusOK, []Node{{ID: "m", Status: NodeStatus{State: NodeStateReady}}, {ID: "w", Status: NodeStatus{State: NodeStateReady}}})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Services().WaitConverged(ctx, "s1", PollInterval(10*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "1/1 tasks running, 1 old still running") {
		t.Errorf("err = %v, want the old task named", err)
	}
}

func TestWaitConvergedNodeListFails(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("GET /v1.41/services/{id}", http.StatusOK, Service{ID: "s1", Spec: ServiceSpec{Mode: ReplicatedMode(1)}})
	f.Reply("GET /v1.41/tasks", http.StatusOK, []Task{on("m", task(TaskStateRunning, TaskStatePreparing))})
	f.Reply("GET /v1.41/nodes", http.StatusServiceUnavailable, map[string]string{"message": "This node is not a swarm manager."})
	if _, err := c.Services().WaitConverged(t.Context(), "s1"); !errors.Is(err, docker.ErrUnavailable) {
		t.Errorf("err = %v, want docker.ErrUnavailable", err)
	}
}

// convergingFake serves a service whose tasks start one per poll.
func convergingFake(t *testing.T, replicas int) (*Cluster, *atomic.Int32) {
	c, f := setup(t)
	var polls atomic.Int32
	f.Reply("GET /v1.41/services/{id}", http.StatusOK, Service{ID: "s1", Spec: ServiceSpec{Mode: ReplicatedMode(uint64(replicas))}})
	f.Mux.HandleFunc("GET /v1.41/tasks", func(w http.ResponseWriter, r *http.Request) {
		if got := r.URL.Query().Get("filters"); got != `{"service":["s1"]}` {
			t.Errorf("tasks filters %s", got)
		}
		n := int(polls.Add(1))
		var tasks []Task
		for i := 0; i < replicas; i++ {
			st := TaskStatePreparing
			if i < n {
				st = TaskStateRunning
			}
			tasks = append(tasks, task(TaskStateRunning, st))
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(tasks)
	})
	return c, &polls
}

func TestWaitConverged(t *testing.T) {
	t.Parallel()
	c, polls := convergingFake(t, 3)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	svc, err := c.Services().WaitConverged(ctx, "web", PollInterval(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if svc.ID != "s1" || polls.Load() != 3 {
		t.Errorf("service %q after %d polls, want s1 after 3", svc.ID, polls.Load())
	}
}

func TestWaitConvergedTimesOut(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("GET /v1.41/services/{id}", http.StatusOK, Service{ID: "s1", Spec: ServiceSpec{Mode: ReplicatedMode(2)}})
	f.Reply("GET /v1.41/tasks", http.StatusOK, []Task{
		task(TaskStateRunning, TaskStateRunning),
		{DesiredState: TaskStateRunning, Status: TaskStatus{State: TaskStateRejected, Err: "no such image"}},
	})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Services().WaitConverged(ctx, "s1", PollInterval(time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "1/2 tasks running") || !strings.Contains(msg, "no such image") {
		t.Errorf("error %q does not say how far the service got", msg)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("returned after %v", d)
	}
	// The poll interval is floored: 300ms allow at most ~30 polls of two calls.
	if n := len(f.Requests()); n > 70 {
		t.Errorf("%d requests in 300ms: the interval floor does not hold", n)
	}
}

func TestWaitConvergedPausedUpdate(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("GET /v1.41/services/{id}", http.StatusOK, Service{ID: "s1", Spec: ServiceSpec{Mode: ReplicatedMode(1)},
		UpdateStatus: &UpdateStatus{State: UpdateStatePaused, Message: "update paused due to failure or early termination of task x"}})
	f.Reply("GET /v1.41/tasks", http.StatusOK, []Task{})
	_, err := c.Services().WaitConverged(t.Context(), "s1")
	if err == nil || !strings.Contains(err.Error(), "update paused due to failure") {
		t.Errorf("err = %v, want the paused update's message", err)
	}
}

func TestWaitConvergedUnknownService(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("/", http.StatusNotFound, map[string]string{"message": "service s1 not found"})
	if _, err := c.Services().WaitConverged(t.Context(), "s1"); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("err = %v, want docker.ErrNotFound", err)
	}
}
