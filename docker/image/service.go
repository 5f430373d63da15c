package image

import (
	"github.com/berth-go/berth/docker"
)

// Service is the image API of one Engine. It is safe for concurrent use; it
// holds nothing but the client. Create it with New.
type Service struct {
	cli *docker.Client
}

// New returns the image Service of cli.
func New(cli *docker.Client) *Service {
	return &Service{cli: cli}
}
