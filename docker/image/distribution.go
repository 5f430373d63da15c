package image

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

type distributionConfig struct {
	base
	auth authSource
}

// InspectDistribution asks the image's registry, through the daemon, for
// the descriptor of ref's manifest and the platforms it offers. ref is
// checked with ParseReference. Options: Auth, AuthFrom (the daemon needs
// credentials for a private registry). A registry that refuses, or does
// not know the image, gives a *docker.Error with the registry's message
// (Engine 20.10 answers 500, newer daemons 401 or 404, matching
// docker.ErrUnauthorized or docker.ErrNotFound; a 500 that relays refused
// credentials matches docker.ErrUnauthorized too).
//
// API: GET /distribution/{name}/json
func (s *Service) InspectDistribution(ctx context.Context, ref string, opts ...DistributionOption) (Distribution, error) {
	var c distributionConfig
	for _, o := range opts {
		o.applyDistribution(&c)
	}
	r, err := ParseReference(ref)
	if err != nil {
		return Distribution{}, err
	}
	path, err := httpx.Path("/distribution/{}/json", "image name", ref)
	if err != nil {
		return Distribution{}, err
	}
	req := &docker.Request{Method: http.MethodGet, Path: path}
	if err := setAuth(ctx, req, c.auth, r.Domain); err != nil {
		return Distribution{}, err
	}
	var out Distribution
	if err := s.cli.DoJSON(ctx, req, &out); err != nil {
		return Distribution{}, err
	}
	return out, nil
}
