package container

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
)

// List returns the containers, newest first: only running ones unless All
// or Limit is given. Filter narrows the list (label, status, name, ...).
//
// API: GET /containers/json
func (s *Service) List(ctx context.Context, opts ...ListOption) ([]Summary, error) {
	var set settings
	for _, o := range opts {
		o.applyList(&set)
	}
	req := &docker.Request{Path: "/containers/json"}
	set.apply(req)
	var out []Summary
	if err := s.cli.DoJSON(ctx, req, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// PruneReport is what Prune removed.
type PruneReport struct {
	ContainersDeleted []string // ids
	SpaceReclaimed    uint64   // bytes
}

// Prune removes stopped containers, those matching Filter ("label",
// "label!", "until") when given.
//
// API: POST /containers/prune
func (s *Service) Prune(ctx context.Context, opts ...PruneOption) (PruneReport, error) {
	var set settings
	for _, o := range opts {
		o.applyPrune(&set)
	}
	req := &docker.Request{Method: http.MethodPost, Path: "/containers/prune"}
	set.apply(req)
	var out PruneReport
	err := s.cli.DoJSON(ctx, req, &out)
	return out, err
}
