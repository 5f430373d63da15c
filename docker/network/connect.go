package network

import (
	"context"
	"errors"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// Connect attaches the container (id or name) to the network (id or name).
// endpoint, when not nil, asks for aliases, fixed addresses, links or
// driver options on that network. A created container can be connected
// before it starts; a running one is connected at once.
//
// For a running container the daemon checks everything now: an unknown
// network or container is docker.ErrNotFound, a fixed address on a network
// without a user-defined subnet docker.ErrInvalidArgument, a container
// already attached docker.ErrForbidden (Engine 20.10). For a container that
// is not running, Engine 20.10 only records the settings (even for a network
// that does not exist, or an address outside its subnets) and checks them
// when the container starts. GwPriority on a daemon older than API 1.48
// gives an error wrapping docker.ErrVersion before anything is sent; an
// empty network or container id is a local error.
//
// API: POST /networks/{id}/connect
func (s *Service) Connect(ctx context.Context, network, container string, endpoint *EndpointSettings) error {
	path, err := httpx.Path("/networks/{}/connect", "network id", network)
	if err != nil {
		return err
	}
	if container == "" {
		return errors.New("docker: container id is empty")
	}
	r := &docker.Request{
		Method: http.MethodPost,
		Path:   path,
		JSON:   ConnectRequest{Container: container, EndpointConfig: endpoint},
	}
	if endpoint != nil && endpoint.GwPriority != 0 {
		r.MinVersion, r.What = "1.48", "POST /networks/{id}/connect with GwPriority"
	}
	return s.cli.DoJSON(ctx, r, nil)
}

// Disconnect detaches the container (id or name) from the network (id or
// name); Force does it even when the daemon would refuse. An unknown network
// or container is docker.ErrNotFound; a container that is not attached is a
// *docker.Error (500 on Engine 20.10). An empty id is a local error.
//
// API: POST /networks/{id}/disconnect
func (s *Service) Disconnect(ctx context.Context, network, container string, opts ...DisconnectOption) error {
	var cfg callConfig
	for _, o := range opts {
		o.applyDisconnect(&cfg)
	}
	path, err := httpx.Path("/networks/{}/disconnect", "network id", network)
	if err != nil {
		return err
	}
	if container == "" {
		return errors.New("docker: container id is empty")
	}
	return s.cli.DoJSON(ctx, &docker.Request{
		Method: http.MethodPost,
		Path:   path,
		JSON:   DisconnectRequest{Container: container, Force: cfg.force},
	}, nil)
}
