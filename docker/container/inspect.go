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
	var set settings
	for _, o := range opts {
		o.applyInspect(&set)
	}
	req := &docker.Request{Path: path}
	set.apply(req)
	var out Details
	err = s.cli.DoJSON(ctx, req, &out)
	return out, err
}
