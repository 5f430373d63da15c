package swarm

import (
	"context"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/stream"
)

// Logs streams the output of the service's tasks as a *stream.Reader, which
// the caller must close; it also ends when ctx is cancelled. The output is
// multiplexed (use Demux) unless the service's ContainerSpec.TTY is set.
// Without Stdout or Stderr both streams are selected. The daemon reads
// logs only from tasks using the local, json-file or journald log drivers.
//
// Engines before API 1.42 label every logs stream as raw, so on them Logs
// first inspects the service to learn its TTY setting; the TTY option
// skips that call. An unknown service is docker.ErrNotFound; an empty id is
// a local error.
//
// API: GET /services/{id}/logs
func (s *Services) Logs(ctx context.Context, id string, opts ...LogsOption) (*stream.Reader, error) {
	p, err := path("/services/{}/logs", "service id", id)
	if err != nil {
		return nil, err
	}
	return openLogs(ctx, s.cli, p, opts, func() (bool, error) {
		svc, err := s.Inspect(ctx, id)
		if err != nil {
			return false, err
		}
		cs := svc.Spec.TaskTemplate.ContainerSpec
		return cs != nil && cs.TTY, nil
	})
}

// Logs streams the output of one task as a *stream.Reader, which the caller
// must close; it also ends when ctx is cancelled. It works like
// Services.Logs, with the task's own ContainerSpec.TTY deciding the
// framing (inspected on Engines before API 1.42 unless TTY is given).
//
// API: GET /tasks/{id}/logs
func (t *Tasks) Logs(ctx context.Context, id string, opts ...LogsOption) (*stream.Reader, error) {
	p, err := path("/tasks/{}/logs", "task id", id)
	if err != nil {
		return nil, err
	}
	return openLogs(ctx, t.cli, p, opts, func() (bool, error) {
		task, err := t.Inspect(ctx, id)
		if err != nil {
			return false, err
		}
		cs := task.Spec.ContainerSpec
		return cs != nil && cs.TTY, nil
	})
}

// openLogs sends a logs request; lookupTTY learns the TTY setting when the
// caller did not give it and the Content-Type cannot be trusted.
func openLogs(ctx context.Context, cli *docker.Client, p string, opts []LogsOption, lookupTTY func() (bool, error)) (*stream.Reader, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyLogs(&cfg)
	}
	if !cfg.stdout && !cfg.stderr {
		cfg.stdout, cfg.stderr = true, true
	}
	cfg.q.Flag("stdout", cfg.stdout)
	cfg.q.Flag("stderr", cfg.stderr)

	tty := false
	if cfg.tty != nil {
		tty = *cfg.tty
	} else {
		// Negotiating first lets FramingInContentType see the daemon's
		// answer, as container logs do.
		if _, err := cli.NegotiateAPIVersion(ctx); err != nil {
			return nil, err
		}
		if !cli.FramingInContentType() {
			var err error
			if tty, err = lookupTTY(); err != nil {
				return nil, err
			}
		}
	}
	resp, err := cli.Do(ctx, &docker.Request{Path: p, Query: cfg.q.Values(), Stream: true})
	if err != nil {
		return nil, err
	}
	return stream.NewReader(resp.Body, cli.Multiplexed(resp.Header, tty)), nil
}
