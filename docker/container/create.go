package container

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
)

// CreateResponse is what Create returns.
type CreateResponse struct {
	ID       string `json:"Id"`
	Warnings []string
}

// createBody is the body of POST /containers/create: the Config fields at
// the top level, with the host and networking configurations beside them.
type createBody struct {
	Config
	HostConfig       *HostConfig       `json:",omitempty"`
	NetworkingConfig *NetworkingConfig `json:",omitempty"`
}

// Create creates a container from cfg without starting it. WithHostConfig
// and WithNetworkingConfig add the host and networking configurations, Name
// names it and Platform picks an image platform. The daemon's warnings (a
// memory limit it cannot enforce, say) come back in the response.
//
// Errors match docker.ErrNotFound when the image is missing (Create does
// not pull), docker.ErrConflict when the name is taken and
// docker.ErrInvalidArgument for a configuration the daemon rejects.
//
// API: POST /containers/create
func (s *Service) Create(ctx context.Context, cfg Config, opts ...CreateOption) (CreateResponse, error) {
	var set settings
	for _, o := range opts {
		o.applyCreate(&set)
	}
	return s.create(ctx, cfg, &set)
}

func (s *Service) create(ctx context.Context, cfg Config, set *settings) (CreateResponse, error) {
	set.q.String("name", set.name)
	set.q.String("platform", set.platform)
	req := &docker.Request{
		Method: http.MethodPost,
		Path:   "/containers/create",
		JSON:   createBody{Config: cfg, HostConfig: set.hostConfig, NetworkingConfig: set.netConfig},
	}
	set.apply(req)
	var out CreateResponse
	err := s.cli.DoJSON(ctx, req, &out)
	return out, err
}
