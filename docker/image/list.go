package image

import (
	"context"
	"errors"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

type listConfig struct {
	base
	q       httpx.Query
	all     bool
	filters docker.Filters
}

// SharedSize fills Summary.SharedSize (API >= 1.42); computing it costs the
// daemon time.
func SharedSize() ListOption {
	return listFunc(func(c *listConfig) {
		c.q.Flag("shared-size", true)
		c.need("1.42", "shared-size")
	})
}

// Digests fills Summary.RepoDigests.
func Digests() ListOption {
	return listFunc(func(c *listConfig) { c.q.Flag("digests", true) })
}

// IncludeIdentity adds trusted identity information to the manifests'
// ImageData (the identity parameter, API >= 1.54); it implies the manifest
// summaries.
func IncludeIdentity() ListOption {
	return listFunc(func(c *listConfig) {
		c.q.Flag("identity", true)
		c.need("1.54", "identity")
	})
}

// List returns the images, by default only the top-level ones (not the
// intermediate images of legacy builds; see All). Options: All, Filter,
// SharedSize, Digests, Manifests, IncludeIdentity.
//
// API: GET /images/json
func (s *Service) List(ctx context.Context, opts ...ListOption) ([]Summary, error) {
	var c listConfig
	for _, o := range opts {
		o.applyList(&c)
	}
	if c.err != nil {
		return nil, c.err
	}
	c.q.Flag("all", c.all)
	c.q.Filters(c.filters)
	req := &docker.Request{Method: http.MethodGet, Path: "/images/json", Query: c.q.Values()}
	c.gate(req)
	var out []Summary
	if err := s.cli.DoJSON(ctx, req, &out); err != nil {
		return nil, err
	}
	return out, nil
}

type inspectConfig struct {
	base
	manifests bool
	platform  string // JSON
}

// Inspect returns the details of an image, named by ID (full or a unique
// prefix), name:tag or name@digest. Options: Manifests, Platform (not both).
// An unknown image gives an error matching docker.ErrNotFound.
//
// API: GET /images/{name}/json
func (s *Service) Inspect(ctx context.Context, name string, opts ...InspectOption) (Details, error) {
	var c inspectConfig
	for _, o := range opts {
		o.applyInspect(&c)
	}
	if c.err != nil {
		return Details{}, c.err
	}
	if c.manifests && c.platform != "" {
		return Details{}, errExclusive
	}
	path, err := httpx.Path("/images/{}/json", "image name", name)
	if err != nil {
		return Details{}, err
	}
	var q httpx.Query
	q.Flag("manifests", c.manifests)
	q.String("platform", c.platform)
	req := &docker.Request{Method: http.MethodGet, Path: path, Query: q.Values()}
	c.gate(req)
	var out Details
	if err := s.cli.DoJSON(ctx, req, &out); err != nil {
		return Details{}, err
	}
	return out, nil
}

// errExclusive rejects Inspect with both Manifests and Platform.
var errExclusive = errors.New("docker: image inspect: the Manifests and Platform options exclude each other")

type historyConfig struct {
	base
	platform string // JSON
}

// History returns the layers of an image and the steps that made them,
// newest first. Option: Platform. An unknown image gives an error matching
// docker.ErrNotFound.
//
// API: GET /images/{name}/history
func (s *Service) History(ctx context.Context, name string, opts ...HistoryOption) ([]HistoryItem, error) {
	var c historyConfig
	for _, o := range opts {
		o.applyHistory(&c)
	}
	if c.err != nil {
		return nil, c.err
	}
	path, err := httpx.Path("/images/{}/history", "image name", name)
	if err != nil {
		return nil, err
	}
	var q httpx.Query
	q.String("platform", c.platform)
	req := &docker.Request{Method: http.MethodGet, Path: path, Query: q.Values()}
	c.gate(req)
	var out []HistoryItem
	if err := s.cli.DoJSON(ctx, req, &out); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].ID = imageID(out[i].ID) // Podman's lack sha256:
	}
	return out, nil
}
