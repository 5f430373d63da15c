package network

import (
	"context"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// List returns the networks the daemon knows, filtered by the Filter
// options. The list does not carry attached containers: use Inspect.
// It returns a *docker.Error when the daemon refuses (an unknown filter is
// docker.ErrInvalidArgument).
//
// API: GET /networks
func (s *Service) List(ctx context.Context, opts ...ListOption) ([]Summary, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyList(&cfg)
	}
	var q httpx.Query
	q.Filters(cfg.filters)
	var out []Summary
	if err := s.cli.DoJSON(ctx, &docker.Request{Path: "/networks", Query: q.Values()}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Inspect returns the network with that id, name or id prefix, with the
// endpoints of the containers attached to it on this host. An unknown
// network is docker.ErrNotFound; an empty id is a local error and nothing
// is sent.
//
// API: GET /networks/{id}
func (s *Service) Inspect(ctx context.Context, id string, opts ...InspectOption) (Details, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyInspect(&cfg)
	}
	path, err := httpx.Path("/networks/{}", "network id", id)
	if err != nil {
		return Details{}, err
	}
	var q httpx.Query
	q.Flag("verbose", cfg.verbose)
	q.String("scope", cfg.scope)
	var out Details
	err = s.cli.DoJSON(ctx, &docker.Request{Path: path, Query: q.Values()}, &out)
	return out, err
}
