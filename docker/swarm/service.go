package swarm

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
)

// List returns the swarm's services, filtered by the Filter options; with
// Status each carries its task counts. Only managers answer; a node in no
// swarm gets docker.ErrUnavailable.
//
// API: GET /services
func (s *Services) List(ctx context.Context, opts ...ServiceListOption) ([]Service, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyServiceList(&cfg)
	}
	cfg.q.Filters(cfg.filters)
	var out []Service
	if err := s.cli.DoJSON(ctx, &docker.Request{Path: "/services", Query: cfg.q.Values()}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Create creates a service and returns its id with the daemon's warnings.
// RegistryAuth passes credentials for a private image.
//
// The image is used as given: berth does not pin it to a digest through
// the registry as the docker CLI does (the daemon stopped doing it itself
// at API 1.30). An image referenced by id ("sha256:...") is never pulled by
// the nodes, which suits images that exist only locally.
//
// A name in use is docker.ErrConflict; an invalid spec (a bad constraint,
// a missing secret) docker.ErrInvalidArgument or the daemon's message; a
// network not meant for services docker.ErrForbidden. Fields newer than the
// negotiated API version give an error wrapping docker.ErrVersion and
// nothing is sent.
//
// API: POST /services/create
func (s *Services) Create(ctx context.Context, spec ServiceSpec, opts ...ServiceCreateOption) (CreateResult, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyServiceCreate(&cfg)
	}
	if cfg.err != nil {
		return CreateResult{}, cfg.err
	}
	req := &docker.Request{Method: http.MethodPost, Path: "/services/create", Header: cfg.header, JSON: spec}
	if need := serviceSpecNeeds(&spec); need.version != "" {
		req.MinVersion, req.What = need.version, "POST /services/create ("+need.field+")"
	}
	var out CreateResult
	err := s.cli.DoJSON(ctx, req, &out)
	return out, err
}

// Inspect returns the service with that id, name or id prefix; with
// InsertDefaults the spec's unset fields carry the daemon's defaults. An
// unknown service is docker.ErrNotFound; an empty id is a local error.
//
// API: GET /services/{id}
func (s *Services) Inspect(ctx context.Context, id string, opts ...ServiceInspectOption) (Service, error) {
	p, err := path("/services/{}", "service id", id)
	if err != nil {
		return Service{}, err
	}
	var cfg callConfig
	for _, o := range opts {
		o.applyServiceInspect(&cfg)
	}
	var out Service
	err = s.cli.DoJSON(ctx, &docker.Request{Path: p, Query: cfg.q.Values()}, &out)
	return out, err
}

// Update replaces the service's spec and returns the daemon's warnings.
// version must be the service's Version last read: a stale one is refused
// with a *StaleVersionError, which matches docker.ErrConflict.
// Rollback returns to the previous spec instead; RegistryAuth and
// RegistryAuthFrom choose the credentials for the image. An unknown service
// is docker.ErrNotFound, an invalid spec docker.ErrInvalidArgument.
//
// API: POST /services/{id}/update
func (s *Services) Update(ctx context.Context, id string, version Version, spec ServiceSpec, opts ...ServiceUpdateOption) (UpdateResult, error) {
	p, err := path("/services/{}/update", "service id", id)
	if err != nil {
		return UpdateResult{}, err
	}
	var cfg callConfig
	for _, o := range opts {
		o.applyServiceUpdate(&cfg)
	}
	if cfg.err != nil {
		return UpdateResult{}, cfg.err
	}
	setVersion(&cfg.q, version)
	req := &docker.Request{Method: http.MethodPost, Path: p, Query: cfg.q.Values(), Header: cfg.header, JSON: spec}
	if need := serviceSpecNeeds(&spec); need.version != "" {
		req.MinVersion, req.What = need.version, "POST /services/{id}/update ("+need.field+")"
	}
	var out UpdateResult
	err = s.cli.DoJSON(ctx, req, &out)
	return out, staleVersion(err)
}

// Remove removes the service; its tasks are shut down in the background.
// An unknown service is docker.ErrNotFound; an empty id is a local error.
//
// API: DELETE /services/{id}
func (s *Services) Remove(ctx context.Context, id string) error {
	p, err := path("/services/{}", "service id", id)
	if err != nil {
		return err
	}
	return s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: p}, nil)
}
