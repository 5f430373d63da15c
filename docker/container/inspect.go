package container

import (
	"context"

	"github.com/berth-go/berth/docker"
)

// Inspect returns the configuration and state of the container with the
// given id or name. Size also computes its sizes. An unknown container
// gives an error matching docker.ErrNotFound.
//
// API: GET /containers/{id}/json
func (s *Service) Inspect(ctx context.Context, id string, opts ...InspectOption) (Details, error) {
	path, err := containerPath("/containers/{}/json", id)
	if err != nil {
		return Details{}, err
	}
	req := &docker.Request{Path: path}
	if len(opts) > 0 {
		applyInspect(req, opts) // apart, so a call without options allocates no settings
	}
	var out Details
	err = s.cli.DoJSON(ctx, req, &out)
	return out, err
}

func applyInspect(req *docker.Request, opts []InspectOption) {
	var set settings
	for _, o := range opts {
		o.applyInspect(&set)
	}
	set.apply(req)
}
