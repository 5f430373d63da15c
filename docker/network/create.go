package network

import (
	"context"
	"errors"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// createBody is the wire form of POST /networks/create.
type createBody struct {
	Name string
	// CheckDuplicate makes daemons before API 1.44 refuse a name already in
	// use, as later daemons always do (they ignore the field).
	CheckDuplicate bool
	CreateRequest
}

// Create creates a network named name as req describes and returns its id.
// A name already in use is docker.ErrConflict on every API version (Create
// asks older daemons to check, as the docker CLI does). Other refusals come
// as *docker.Error: an unknown driver is docker.ErrNotFound (Engine 20.10
// answers after searching 15 seconds for a plugin of that name), a subnet that
// overlaps another network's is docker.ErrForbidden on the Engines tried
// (20.10) and an invalid one docker.ErrInvalidArgument from API 1.44 (a
// plain 500 before). A field the negotiated API version cannot express
// gives an error wrapping docker.ErrVersion before anything is sent; an
// empty name is a local error.
//
// API: POST /networks/create
func (s *Service) Create(ctx context.Context, name string, req CreateRequest) (CreateResponse, error) {
	if name == "" {
		return CreateResponse{}, errors.New("docker: network name is empty")
	}
	r := &docker.Request{
		Method: http.MethodPost,
		Path:   "/networks/create",
		JSON:   createBody{Name: name, CheckDuplicate: true, CreateRequest: req},
	}
	if req.EnableIPv4 != nil {
		r.MinVersion, r.What = "1.48", "POST /networks/create with EnableIPv4"
	}
	var out CreateResponse
	err := s.cli.DoJSON(ctx, r, &out)
	return out, err
}

// Remove removes the network with that id or name. An unknown network is
// docker.ErrNotFound; a predefined network (bridge, host, none) is
// docker.ErrForbidden; a network with endpoints still attached is refused
// with a *docker.Error whose status depends on the Engine (403 on 20.10,
// docker.ErrForbidden). An empty id is a local error.
//
// API: DELETE /networks/{id}
func (s *Service) Remove(ctx context.Context, id string) error {
	path, err := httpx.Path("/networks/{}", "network id", id)
	if err != nil {
		return err
	}
	return s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: path}, nil)
}

// Prune removes the networks no container uses, limited by the Filter
// options (label, label!, until), and reports which it removed.
//
// API: POST /networks/prune
func (s *Service) Prune(ctx context.Context, opts ...PruneOption) (PruneReport, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyPrune(&cfg)
	}
	var q httpx.Query
	q.Filters(cfg.filters)
	var out PruneReport
	err := s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/networks/prune", Query: q.Values()}, &out)
	return out, err
}
