package image

import (
	"context"
	"fmt"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// Tag adds the reference target to the image source (an ID, name:tag or
// name@digest). target is parsed with ParseReference, gets DefaultTag when
// it has no tag, and cannot carry a digest; an invalid target is refused
// before anything is sent. An unknown source gives an error matching
// docker.ErrNotFound.
//
// API: POST /images/{name}/tag
func (s *Service) Tag(ctx context.Context, source, target string) error {
	ref, err := ParseReference(target)
	if err != nil {
		return err
	}
	if ref.Digest != "" {
		return fmt.Errorf("docker: tag %q: a tag cannot carry a digest", target)
	}
	ref = ref.WithDefaultTag()
	path, err := httpx.Path("/images/{}/tag", "image name", source)
	if err != nil {
		return err
	}
	var q httpx.Query
	q.Set("repo", ref.Name())
	q.Set("tag", ref.Tag)
	return s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: path, Query: q.Values()}, nil)
}

type removeConfig struct {
	base
	force, noPrune bool
	platforms      []string // JSON
}

// Force removes the image even when containers use it, and removes all of
// its tags when it is named by ID.
func Force() RemoveOption { return removeFunc(func(c *removeConfig) { c.force = true }) }

// NoPrune keeps the untagged parent images.
func NoPrune() RemoveOption { return removeFunc(func(c *removeConfig) { c.noPrune = true }) }

// Remove removes an image, or one of its tags when named by a reference
// that is not its only one, and returns what was untagged and deleted.
// Options: Force, NoPrune, Platform (API >= 1.50; repeatable: the platform
// variants to remove). An unknown image gives an error matching
// docker.ErrNotFound; an image in use (without Force), or an ID with
// several tags, one matching docker.ErrConflict.
//
// API: DELETE /images/{name}
func (s *Service) Remove(ctx context.Context, name string, opts ...RemoveOption) ([]DeleteResponse, error) {
	var c removeConfig
	for _, o := range opts {
		o.applyRemove(&c)
	}
	if c.err != nil {
		return nil, c.err
	}
	path, err := httpx.Path("/images/{}", "image name", name)
	if err != nil {
		return nil, err
	}
	var q httpx.Query
	q.Flag("force", c.force)
	q.Flag("noprune", c.noPrune)
	q.Strings("platforms", c.platforms...)
	req := &docker.Request{Method: http.MethodDelete, Path: path, Query: q.Values()}
	c.gate(req)
	var out []DeleteResponse
	if err := s.cli.DoJSON(ctx, req, &out); err != nil {
		return nil, err
	}
	return withImageIDs(out), nil
}

type pruneConfig struct {
	base
	filters docker.Filters
}

// Prune removes unused images: by default the dangling ones (untagged and
// unused); Filter("dangling", "false") removes every image no container
// uses. Option: Filter (dangling, label, label!, until).
//
// API: POST /images/prune
func (s *Service) Prune(ctx context.Context, opts ...PruneOption) (PruneReport, error) {
	var c pruneConfig
	for _, o := range opts {
		o.applyPrune(&c)
	}
	var q httpx.Query
	q.Filters(c.filters)
	var out PruneReport
	err := s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/images/prune", Query: q.Values()}, &out)
	out.ImagesDeleted = withImageIDs(out.ImagesDeleted)
	return out, err
}
