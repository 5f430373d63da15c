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
// ctx bounds the wait: when it ends, the error says how far the service
// got and the last task error seen (an image that cannot be pulled, a
// rejected mount, ...) and wraps ctx.Err(). Polls pause 100ms at first and
// back off to at most 1s (see PollInterval). Each poll is two calls:
// GET /services/{id} and GET /tasks filtered by service. An unknown service
// is docker.ErrNotFound.
func (s *Services) WaitConverged(ctx context.Context, id string, opts ...WaitOption) (Service, error) {
	cfg := callConfig{interval: defaultInterval}
	for _, o := range opts {
		o.applyWait(&cfg)
	}
	limit := max(cfg.interval, minInterval)
	pause := min(firstPause, limit)
	tasks := &Tasks{cli: s.cli}
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
		p := progressOf(&svc, list)
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

// progress is how far a service is from convergence.
type progress struct {
	done       bool
	have, want int
	verb       string // "running" or "completed"
	lastErr    string // the newest task error seen
	err        error  // convergence cannot happen without intervention
}

// String says how many tasks are running (or completed) of how many, and
// the last task error.
func (p progress) String() string {
	s := fmt.Sprintf("%d/%d tasks %s", p.have, p.want, p.verb)
	if p.lastErr != "" {
		s += " (last task error: " + p.lastErr + ")"
	}
	return s
}

// progressOf measures svc's convergence from its tasks.
func progressOf(svc *Service, tasks []Task) progress {
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
		jobProgress(&p, svc, tasks)
	default:
		p.verb = "running"
		serviceProgress(&p, svc, tasks)
	}
	if u := svc.UpdateStatus; u != nil && (u.State == UpdateStateUpdating || u.State == UpdateStateRollbackStarted) {
		p.done = false
	}
	return p
}

// serviceProgress measures a replicated or global service. A task made
// from the previous spec's template does not count: right after an update
// (or rollback) the orchestrator may not have replaced, or even marked, the
// old tasks yet.
func serviceProgress(p *progress, svc *Service, tasks []Task) {
	var current, previous []byte
	if svc.PreviousSpec != nil {
		current, previous = specKey(&svc.Spec.TaskTemplate), specKey(&svc.PreviousSpec.TaskTemplate)
	}
	var starting, lingering int
	for _, t := range tasks {
		switch {
		case t.DesiredState == TaskStateRunning && previous != nil && !bytes.Equal(previous, current) &&
			bytes.Equal(specKey(&t.Spec), previous):
			lingering++ // from the previous spec, about to be replaced
		case t.DesiredState == TaskStateRunning && t.Status.State == TaskStateRunning:
			p.have++
		case t.DesiredState == TaskStateRunning:
			starting++
		case t.Status.State == TaskStateRunning:
			lingering++ // replaced or scaled away, not stopped yet
		}
	}
	if svc.Spec.Mode.Global != nil {
		p.want = p.have + starting
		p.done = p.have > 0 && starting == 0 && lingering == 0
		return
	}
	p.want = 1
	if r := svc.Spec.Mode.Replicated; r != nil && r.Replicas != nil {
		p.want = int(*r.Replicas)
	}
	p.done = p.have == p.want && starting == 0 && lingering == 0
}

// jobProgress measures a replicated or global job by its current
// iteration's tasks.
func jobProgress(p *progress, svc *Service, tasks []Task) {
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
		nodes[t.NodeID] = true
		switch t.Status.State {
		case TaskStateComplete:
			p.have++
			completedOn[t.NodeID] = true
		case TaskStateFailed, TaskStateRejected, TaskStateShutdown, TaskStateRemove, TaskStateOrphaned:
		default:
			working++
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
