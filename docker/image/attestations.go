package image

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

type attestationsConfig struct {
	base
	platform  string // JSON
	types     []string
	statement bool
}

// PredicateType keeps the attestations of these in-toto predicate types
// (URIs such as "https://slsa.dev/provenance/v0.2"); it may be given several
// times.
func PredicateType(uris ...string) AttestationsOption {
	return attestationsFunc(func(c *attestationsConfig) { c.types = append(c.types, uris...) })
}

// Statement includes each statement's JSON (Attestation.Statement).
func Statement() AttestationsOption {
	return attestationsFunc(func(c *attestationsConfig) { c.statement = true })
}

// Attestations returns the in-toto attestation statements attached to an
// image (API >= 1.55: older APIs give an error matching docker.ErrVersion
// before anything is sent). Options: Platform (the variant; the daemon's by
// default), PredicateType, Statement. An unknown image gives an error
// matching docker.ErrNotFound; a daemon without attestation support,
// docker.ErrNotImplemented.
//
// API: GET /images/{name}/attestations
func (s *Service) Attestations(ctx context.Context, name string, opts ...AttestationsOption) ([]Attestation, error) {
	var c attestationsConfig
	for _, o := range opts {
		o.applyAttestations(&c)
	}
	if c.err != nil {
		return nil, c.err
	}
	path, err := httpx.Path("/images/{}/attestations", "image name", name)
	if err != nil {
		return nil, err
	}
	var q httpx.Query
	q.String("platform", c.platform)
	q.Strings("type", c.types...)
	q.Flag("statement", c.statement)
	req := &docker.Request{Method: http.MethodGet, Path: path, Query: q.Values(), MinVersion: "1.55", What: "GET /images/{name}/attestations (ImageAttestations)"}
	var out []Attestation
	if err := s.cli.DoJSON(ctx, req, &out); err != nil {
		return nil, err
	}
	return out, nil
}
