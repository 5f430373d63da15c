package image

import (
	"context"
	"errors"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

type searchConfig struct {
	base
	limit   int64
	filters docker.Filters
	auth    authSource
}

// Limit caps the number of results (the registry's default is 25).
func Limit(n int) SearchOption {
	return searchFunc(func(c *searchConfig) { c.limit = int64(n) })
}

// Search searches Docker Hub (or the registry named by term's prefix,
// "registry.local:5000/app") for repositories matching term. Options:
// Limit, Filter (is-official, stars), Auth, AuthFrom.
//
// API: GET /images/search
func (s *Service) Search(ctx context.Context, term string, opts ...SearchOption) ([]SearchResult, error) {
	var c searchConfig
	for _, o := range opts {
		o.applySearch(&c)
	}
	if term == "" {
		return nil, errors.New("docker: image search: the search term is empty")
	}
	var q httpx.Query
	q.Set("term", term)
	if c.limit > 0 {
		q.Int("limit", c.limit)
	}
	q.Filters(c.filters)
	req := &docker.Request{Method: http.MethodGet, Path: "/images/search", Query: q.Values()}
	domain, _ := splitDomain(term)
	if err := setAuth(ctx, req, c.auth, domain); err != nil {
		return nil, err
	}
	var out []SearchResult
	if err := s.cli.DoJSON(ctx, req, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// setAuth adds the X-Registry-Auth header for domain to req when a is set.
func setAuth(ctx context.Context, req *docker.Request, a authSource, domain string) error {
	h, err := a.header(ctx, domain)
	if err != nil || h == "" {
		return err
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("X-Registry-Auth", h)
	return nil
}
