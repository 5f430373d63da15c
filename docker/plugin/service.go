package plugin

import "github.com/berth-go/berth/docker"

// Service calls the Engine's plugin endpoints. It is safe for concurrent
// use, as the *docker.Client it wraps is.
type Service struct {
	cli *docker.Client
}

// New returns a Service that sends its requests through cli.
func New(cli *docker.Client) *Service {
	return &Service{cli: cli}
}
