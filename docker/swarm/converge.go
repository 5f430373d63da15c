package swarm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Poll pacing of WaitConverged: the first pause, the default longest one
// and the floor of PollInterval.
const (
	firstPause      = 100 * time.Millisecond
	defaultInterval = time.Second
	minInterval     = 10 * time.Millisecond
)

// WaitConverged polls the service and its tasks until the service has
// converged, and returns the service as last inspected:
//
//   - replicated: exactly Replicas tasks running the current task
//     template, none starting, none left from an older spec or still
//     running past its replacement;
//   - global: every task the orchestrator wants running is running the
//     current template (and there is at least one);
//   - replicated job: TotalCompletions tasks of the current job iteration
//     completed;
//   - global job: every node given a task of the current iteration has one
//     completed, and none is still at work;
//
// and, in every mode, no update or rollback is in progress. A paused update
// or rollback ends the wait with an error carrying the daemon's message.
//
// A task on a node the managers report down is left out unless the
// orchestrator still wants it running (then it counts as starting, as its
// replacement would): its last reported state is stale, and the managers
// keep it "running" until the node returns, or for a day. So a service
// whose tasks were rescheduled off a lost node converges as soon as the
// replacements run.
//
// ctx bounds the wait: when it ends, the error says how far the service
// got and the last task error seen (an image that cannot be pulled, a
// rejected mount, ...) and wraps ctx.Err(). Polls pause 100ms at first and
// back off to at most 1s (see PollInterval). Each poll is two calls:
// GET /services/{id} and GET /tasks filtered by service, and a third,
// GET /nodes, while tasks on nodes hold the service back. An unknown
// service is docker.ErrNotFound.
func (s *Services) WaitConverged(ctx context.Context, id string, opts ...WaitOption) (Service, error) {
	cfg := callConfig{interval: defaultInterval}
	for _, o := range opts {
		o.applyWait(&cfg)
	}
	limit := max(cfg.interval, minInterval)
	pause := min(firstPause, limit)
	tasks, nodes := &Tasks{cli: s.cli}, &Nodes{cli: s.cli}
	var last *progress // the previous poll's, to report when ctx ends mid-poll
	fail := func(svc Service, err error) (Service, error) {
		if last != nil && ctx.Err() != nil {
			return svc, fmt.Errorf("docker: service %s did not converge: %s: %w", id, last, ctx.Err())
		}
		return svc, err
	}
	for {
		svc, err := s.Inspect(ctx, id)
		if err != nil {
			return fail(svc, err)
		}
		list, err := tasks.List(ctx, Filter("service", svc.ID))
		if err != nil {
			return fail(svc, err)
		}
		p := progressOf(&svc, list, nil)
		if !p.done && p.err == nil && p.onNodes > 0 {
			down, err := downNodes(ctx, nodes)
			if err != nil {
				return fail(svc, err)
			}
			if len(down) > 0 {
				p = progressOf(&svc, list, down)
			}
		}
		last = &p
		if p.err != nil {
			return svc, fmt.Errorf("docker: service %s: %w", id, p.err)
		}
		if p.done {
			return svc, nil
		}
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return svc, fmt.Errorf("docker: service %s did not converge: %s: %w", id, p, ctx.Err())
		case <-timer.C:
		}
		pause = min(2*pause, limit)
	}
}

// downNodes returns the ids of the nodes the managers report down.
func downNodes(ctx context.Context, nodes *Nodes) (map[string]bool, error) {
	list, err := nodes.List(ctx)
	if err != nil {
		return nil, err
	}
	down := map[string]bool{}
	for _, n := range list {
		if n.Status.State == NodeStateDown {
			down[n.ID] = true
		}
	}
	return down, nil
}

// progress is how far a service is from convergence.
type progress struct {
	done       bool
	have, want int
	verb       string // "running" or "completed"
	old        int    // tasks replaced or scaled away, still running
	lost       int    // tasks left out: on down nodes
	onNodes    int    // tasks on nodes that hold convergence back
	lastErr    string // the newest task error seen
	err        error  // convergence cannot happen without intervention
}

// String says how many tasks are running (or completed) of how many, how
// many old ones still run, how many were left out as on down nodes, and
// the last task error.
func (p progress) String() string {
	s := fmt.Sprintf("%d/%d tasks %s", p.have, p.want, p.verb)
	if p.old > 0 {
		s += fmt.Sprintf(", %d old still running", p.old)
	}
	if p.lost > 0 {
		s += fmt.Sprintf(", %d on down nodes left out", p.lost)
	}
	if p.lastErr != "" {
		s += " (last task error: " + p.lastErr + ")"
	}
	return s
}

// progressOf measures svc's convergence from its tasks; down holds the
// ids of the nodes known to be down (nil when not looked up).
func progressOf(svc *Service, tasks []Task, down map[string]bool) progress {
	var p progress
	var newest time.Time
	for _, t := range tasks {
		if t.Status.Err != "" && !t.Status.Timestamp.Before(newest) {
			newest, p.lastErr = t.Status.Timestamp, t.Status.Err
		}
	}
	if u := svc.UpdateStatus; u != nil {
		switch u.State {
		case UpdateStatePaused, UpdateStateRollbackPaused:
			p.err = fmt.Errorf("update %s: %s", u.State, u.Message)
			return p
		}
	}
	mode := svc.Spec.Mode
	switch {
	case mode.ReplicatedJob != nil || mode.GlobalJob != nil:
		p.verb = "completed"
		jobProgress(&p, svc, tasks, down)
	default:
		p.verb = "running"
		serviceProgress(&p, svc, tasks, down)
	}
	if u := svc.UpdateStatus; u != nil && (u.State == UpdateStateUpdating || u.State == UpdateStateRollbackStarted) {
		p.done = false
	}
	return p
}

// serviceProgress measures a replicated or global service. A task made
// from the previous spec's template does not count: right after an update
// (or rollback) the orchestrator may not have replaced, or even marked, the
// old tasks yet. On a down node, a task meant to run is starting (it must
// be replaced) and any other is left out.
func serviceProgress(p *progress, svc *Service, tasks []Task, down map[string]bool) {
	var current, previous []byte
	if svc.PreviousSpec != nil {
		current, previous = specKey(&svc.Spec.TaskTemplate), specKey(&svc.PreviousSpec.TaskTemplate)
	}
	var starting int
	for _, t := range tasks {
		before := starting + p.old
		switch {
		case down[t.NodeID] && t.DesiredState == TaskStateRunning:
			starting++ // to be replaced
		case down[t.NodeID]:
			if t.Status.State == TaskStateRunning {
				p.lost++
			}
		case t.DesiredState == TaskStateRunning && previous != nil && !bytes.Equal(previous, current) &&
			bytes.Equal(specKey(&t.Spec), previous):
			p.old++ // from the previous spec, about to be replaced
		case t.DesiredState == TaskStateRunning && t.Status.State == TaskStateRunning:
			p.have++
		case t.DesiredState == TaskStateRunning:
			starting++
		case t.Status.State == TaskStateRunning:
			p.old++ // replaced or scaled away, not stopped yet
		}
		if starting+p.old > before && t.NodeID != "" {
			p.onNodes++
		}
	}
	if svc.Spec.Mode.Global != nil {
		p.want = p.have + starting
		p.done = p.have > 0 && starting == 0 && p.old == 0
		return
	}
	p.want = 1
	if r := svc.Spec.Mode.Replicated; r != nil && r.Replicas != nil {
		p.want = int(*r.Replicas)
	}
	p.done = p.have == p.want && starting == 0 && p.old == 0
}

// jobProgress measures a replicated or global job by its current
// iteration's tasks. A task on a down node counts only if it completed.
func jobProgress(p *progress, svc *Service, tasks []Task, down map[string]bool) {
	if svc.JobStatus == nil {
		return
	}
	iteration := svc.JobStatus.JobIteration.Index
	completedOn := map[string]bool{}
	nodes := map[string]bool{}
	working := 0
	for _, t := range tasks {
		if t.JobIteration == nil || t.JobIteration.Index != iteration {
			continue
		}
		if down[t.NodeID] && t.Status.State != TaskStateComplete {
			if t.Status.State == TaskStateRunning {
				p.lost++
			}
			continue
		}
		nodes[t.NodeID] = true
		switch t.Status.State {
		case TaskStateComplete:
			p.have++
			completedOn[t.NodeID] = true
		case TaskStateFailed, TaskStateRejected, TaskStateShutdown, TaskStateRemove, TaskStateOrphaned:
		default:
			working++
			if t.NodeID != "" {
				p.onNodes++
			}
		}
	}
	if j := svc.Spec.Mode.ReplicatedJob; j != nil {
		p.want = 1
		switch {
		case j.TotalCompletions != nil:
			p.want = int(*j.TotalCompletions)
		case j.MaxConcurrent != nil:
			p.want = int(*j.MaxConcurrent)
		}
		p.done = p.have >= p.want
		return
	}
	p.want = len(nodes)
	p.done = len(nodes) > 0 && len(completedOn) == len(nodes) && working == 0
}

// specKey is a task spec as JSON, for comparisons. The daemon reports a
// service's template with Runtime "container" but its tasks' specs without
// it, so the default runtime is left out.
func specKey(spec *TaskSpec) []byte {
	c := *spec
	if c.Runtime == "container" {
		c.Runtime = ""
	}
	b, _ := json.Marshal(&c)
	return b
}
