package container

import (
	"context"
	"iter"

	"github.com/berth-go/berth/docker"
)

// Stats streams a container's resource usage, one sample about every
// second, until the loop stops, ctx is cancelled or the container stops.
// (For a container that is not running, Engine 20.10 sends nothing until
// it runs; StatsOnce returns a zeroed sample then.) The request is sent
// when the loop starts and the connection closed when it ends, on break
// too. A failure is yielded once, as the last element.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: GET /containers/{id}/stats
func (s *Service) Stats(ctx context.Context, id string) iter.Seq2[Stats, error] {
	path, err := containerPath("/containers/{}/stats", id)
	if err != nil {
		return func(yield func(Stats, error) bool) { yield(Stats{}, err) }
	}
	var set settings
	set.q.Bool("stream", true)
	req := &docker.Request{Path: path}
	set.apply(req)
	return docker.StreamJSON[Stats](ctx, s.cli, req)
}

// StatsOnce returns one sample of a container's resource usage. The daemon
// takes about a second to fill PreCPUStats, which CPUPercent needs; OneShot
// makes it answer at once without them.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: GET /containers/{id}/stats
func (s *Service) StatsOnce(ctx context.Context, id string, opts ...StatsOnceOption) (Stats, error) {
	path, err := containerPath("/containers/{}/stats", id)
	if err != nil {
		return Stats{}, err
	}
	var set settings
	set.q.Bool("stream", false)
	for _, o := range opts {
		o.applyStatsOnce(&set)
	}
	req := &docker.Request{Path: path}
	set.apply(req)
	var out Stats
	err = s.cli.DoJSON(ctx, req, &out)
	return out, err
}
