package container

import (
	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// Service calls the container and exec endpoints of one daemon through a
// *docker.Client. It holds no state of its own and is safe for concurrent
// use; create it with New.
type Service struct {
	cli *docker.Client
}

// New returns a Service that uses cli.
func New(cli *docker.Client) *Service {
	return &Service{cli: cli}
}

// Client returns the *docker.Client the Service uses.
func (s *Service) Client() *docker.Client { return s.cli }

// containerPath builds a path under /containers/{id}, checking and escaping id.
func containerPath(pattern, id string) (string, error) {
	return httpx.Path(pattern, "container id", id)
}

// execPath builds a path under /exec/{id}, checking and escaping id.
func execPath(pattern, id string) (string, error) {
	return httpx.Path(pattern, "exec id", id)
}
