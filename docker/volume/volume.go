package volume

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// List returns the volumes the daemon knows, filtered by the Filter
// options, and the warnings the daemon met while listing (a volume driver
// that did not answer, say). An unknown filter is docker.ErrInvalidArgument.
//
// API: GET /volumes
func (s *Service) List(ctx context.Context, opts ...ListOption) (ListResponse, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyList(&cfg)
	}
	var q httpx.Query
	q.Filters(cfg.filters)
	var out ListResponse
	err := s.cli.DoJSON(ctx, &docker.Request{Path: "/volumes", Query: q.Values()}, &out)
	return out, err
}

// Create creates a volume as req describes and returns it. Creating a
// volume whose name exists already, with the same driver, returns the
// existing volume: the daemon treats it as success. An unknown driver is
// docker.ErrNotFound (Engine 20.10 answers after searching 15 seconds for a
// plugin of that name); other refusals come as a *docker.Error.
// ClusterVolumeSpec needs API 1.42: on older daemons Create returns an error
// wrapping docker.ErrVersion before sending.
//
// API: POST /volumes/create
func (s *Service) Create(ctx context.Context, req CreateRequest) (Volume, error) {
	r := &docker.Request{Method: http.MethodPost, Path: "/volumes/create", JSON: req}
	if req.ClusterVolumeSpec != nil {
		r.MinVersion, r.What = "1.42", "POST /volumes/create with ClusterVolumeSpec"
	}
	var out Volume
	err := s.cli.DoJSON(ctx, r, &out)
	return out, err
}

// Inspect returns the volume with that name (or, for a cluster volume, swarm
// id). A missing volume is docker.ErrNotFound; an empty name is a local
// error and nothing is sent.
//
// API: GET /volumes/{name}
func (s *Service) Inspect(ctx context.Context, name string) (Volume, error) {
	path, err := httpx.Path("/volumes/{}", "volume name", name)
	if err != nil {
		return Volume{}, err
	}
	var out Volume
	err = s.cli.DoJSON(ctx, &docker.Request{Path: path}, &out)
	return out, err
}

// Remove removes the volume with that name. A volume a container uses
// (running or not) is docker.ErrConflict, with or without Force; a missing
// volume is docker.ErrNotFound. An empty name is a local error.
//
// API: DELETE /volumes/{name}
func (s *Service) Remove(ctx context.Context, name string, opts ...RemoveOption) error {
	var cfg callConfig
	for _, o := range opts {
		o.applyRemove(&cfg)
	}
	path, err := httpx.Path("/volumes/{}", "volume name", name)
	if err != nil {
		return err
	}
	var q httpx.Query
	q.Flag("force", cfg.force)
	return s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: path, Query: q.Values()}, nil)
}
