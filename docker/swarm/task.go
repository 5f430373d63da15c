package swarm

import (
	"context"

	"github.com/berth-go/berth/docker"
)

// List returns the swarm's tasks, filtered by the Filter options (service,
// node, desired-state, ...). Only managers answer; a node in no swarm gets
// docker.ErrUnavailable.
//
// API: GET /tasks
func (t *Tasks) List(ctx context.Context, opts ...ListOption) ([]Task, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyList(&cfg)
	}
	cfg.q.Filters(cfg.filters)
	var out []Task
	if err := t.cli.DoJSON(ctx, &docker.Request{Path: "/tasks", Query: cfg.q.Values()}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Inspect returns the task with that id. An unknown task is
// docker.ErrNotFound; an empty id is a local error.
//
// API: GET /tasks/{id}
func (t *Tasks) Inspect(ctx context.Context, id string) (Task, error) {
	p, err := path("/tasks/{}", "task id", id)
	if err != nil {
		return Task{}, err
	}
	var out Task
	err = t.cli.DoJSON(ctx, &docker.Request{Path: p}, &out)
	return out, err
}
