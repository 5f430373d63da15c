package image

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
	"github.com/berth-go/berth/stream"
)

type pullConfig struct {
	base
	platform string // os[/arch[/variant]]
	allTags  bool
	auth     authSource
	extra    url.Values // ExtraQuery
}

// Pull pulls an image from its registry and yields the daemon's progress
// messages. ref is parsed with ParseReference ("alpine" is
// docker.io/library/alpine:latest); a digest wins over a tag. Options:
// Platform, AllTags, Auth, AuthFrom, ExtraQuery.
//
// The request is sent when the loop starts; breaking out of the loop, or
// cancelling ctx, closes the connection (the daemon may finish the pull
// anyway). An invalid reference, or failing credentials, is the first and
// only element. A failure before any progress (an unknown image, refused
// credentials, an unreachable registry) is a *docker.Error with the
// registry's message (Engine 20.10 answers 500 for most of them, 404 for an
// unknown repository on some registries); one during the pull ends the loop
// with a *docker.StreamError. Refused or missing credentials match
// docker.ErrUnauthorized either way (see there for the forms recognised).
//
// API: POST /images/create
func (s *Service) Pull(ctx context.Context, ref string, opts ...PullOption) iter.Seq2[stream.Progress, error] {
	return func(yield func(stream.Progress, error) bool) {
		req, err := s.pullRequest(ctx, ref, opts)
		if err != nil {
			yield(stream.Progress{}, err)
			return
		}
		for p, err := range docker.StreamProgress(ctx, s.cli, req) {
			if !yield(p, err) {
				return
			}
		}
	}
}

func (s *Service) pullRequest(ctx context.Context, refStr string, opts []PullOption) (*docker.Request, error) {
	var c pullConfig
	for _, o := range opts {
		o.applyPull(&c)
	}
	if c.err != nil {
		return nil, c.err
	}
	ref, err := ParseReference(refStr)
	if err != nil {
		return nil, err
	}
	var q httpx.Query
	q.Set("fromImage", ref.Name())
	switch {
	case c.allTags && (ref.Tag != "" || ref.Digest != ""):
		return nil, fmt.Errorf("docker: pull %q: AllTags needs a reference without tag or digest", refStr)
	case c.allTags:
	case ref.Digest != "":
		q.Set("tag", ref.Digest)
	default:
		q.Set("tag", ref.WithDefaultTag().Tag)
	}
	q.String("platform", c.platform)
	req := &docker.Request{Method: http.MethodPost, Path: "/images/create", Query: withExtra(q.Values(), c.extra)}
	c.gate(req)
	if err := setAuth(ctx, req, c.auth, ref.Domain); err != nil {
		return nil, err
	}
	return req, nil
}

// PullAndWait runs Pull to its end, drawing every message with r (nil
// draws nothing), and returns the pull's error, if any.
func (s *Service) PullAndWait(ctx context.Context, ref string, r *stream.Renderer, opts ...PullOption) error {
	return drain(s.Pull(ctx, ref, opts...), r, nil)
}

type pushConfig struct {
	base
	platform string // JSON
	allTags  bool
	auth     authSource
	extra    url.Values // ExtraQuery
}

// anonymous is the X-Registry-Auth of a push without credentials: the
// daemon refuses a push without the header.
const anonymous = "e30=" // base64url of "{}"

// Push pushes an image to its registry and yields the daemon's progress
// messages. ref is parsed with ParseReference and pushed with its tag
// (DefaultTag when it has none); it cannot carry a digest. The last
// messages of each tag carry a PushResult in Aux (see PushAndWait). Options:
// AllTags, Platform, Auth, AuthFrom, ExtraQuery.
//
// The request is sent when the loop starts; breaking out of the loop, or
// cancelling ctx, closes the connection. An unknown local image is a
// *docker.Error matching docker.ErrNotFound; a refusal by the registry
// (wrong or missing credentials) ends the loop with a *docker.StreamError
// carrying the registry's message, which matches docker.ErrUnauthorized.
//
// API: POST /images/{name}/push
func (s *Service) Push(ctx context.Context, ref string, opts ...PushOption) iter.Seq2[stream.Progress, error] {
	return func(yield func(stream.Progress, error) bool) {
		req, err := s.pushRequest(ctx, ref, opts)
		if err != nil {
			yield(stream.Progress{}, err)
			return
		}
		for p, err := range docker.StreamProgress(ctx, s.cli, req) {
			if !yield(p, err) {
				return
			}
		}
	}
}

func (s *Service) pushRequest(ctx context.Context, refStr string, opts []PushOption) (*docker.Request, error) {
	var c pushConfig
	for _, o := range opts {
		o.applyPush(&c)
	}
	if c.err != nil {
		return nil, c.err
	}
	ref, err := ParseReference(refStr)
	if err != nil {
		return nil, err
	}
	if ref.Digest != "" {
		return nil, fmt.Errorf("docker: push %q: cannot push a digest reference", refStr)
	}
	if c.allTags && ref.Tag != "" {
		return nil, fmt.Errorf("docker: push %q: AllTags needs a reference without tag", refStr)
	}
	path, err := httpx.Path("/images/{}/push", "image name", ref.Name())
	if err != nil {
		return nil, err
	}
	var q httpx.Query
	if !c.allTags {
		q.Set("tag", ref.WithDefaultTag().Tag)
	}
	q.String("platform", c.platform)
	req := &docker.Request{Method: http.MethodPost, Path: path, Query: withExtra(q.Values(), c.extra)}
	c.gate(req)
	if err := setAuth(ctx, req, c.auth, ref.Domain); err != nil {
		return nil, err
	}
	if req.Header.Get("X-Registry-Auth") == "" {
		req.Header = http.Header{"X-Registry-Auth": {anonymous}}
	}
	return req, nil
}

// PushAndWait runs Push to its end, drawing every message with r (nil draws
// nothing), and returns what the registry reported for each pushed tag:
// the Engine's Aux results, or, from a server that sends none (Podman),
// the same read from the "TAG: digest: DIGEST size: N" status lines.
func (s *Service) PushAndWait(ctx context.Context, ref string, r *stream.Renderer, opts ...PushOption) ([]PushResult, error) {
	var results, fromStatus []PushResult
	err := drain(s.Push(ctx, ref, opts...), r, func(p stream.Progress) {
		var res PushResult
		if len(p.Aux) > 0 && docker.DecodeAux(p.Aux, &res) == nil && res.Digest != "" {
			results = append(results, res)
		} else if res, ok := pushStatusResult(p.Status); ok {
			fromStatus = append(fromStatus, res)
		}
	})
	if len(results) == 0 {
		results = fromStatus
	}
	return results, err
}

// pushStatusResult reads the status line a push ends each tag with,
// "1.4: digest: sha256:... size: 524".
func pushStatusResult(status string) (PushResult, bool) {
	tag, rest, ok := strings.Cut(status, ": digest: ")
	if !ok || tag == "" || strings.ContainsAny(tag, " :") {
		return PushResult{}, false
	}
	digest, size, ok := strings.Cut(rest, " size: ")
	if !ok || !strings.HasPrefix(digest, "sha256:") || strings.Contains(digest, " ") {
		return PushResult{}, false
	}
	n, err := strconv.ParseInt(size, 10, 64)
	if err != nil || n < 0 {
		return PushResult{}, false
	}
	return PushResult{Tag: tag, Digest: digest, Size: n}, true
}

// drain runs a progress stream to its end, drawing each message with r when
// it is not nil and passing it to each when that is not nil. It returns the
// stream's error, or a failure to draw.
func drain(seq iter.Seq2[stream.Progress, error], r *stream.Renderer, each func(stream.Progress)) error {
	for p, err := range seq {
		var se *docker.StreamError
		if r != nil && (err == nil || errors.As(err, &se)) {
			if rerr := r.Render(p); rerr != nil {
				return fmt.Errorf("docker: drawing progress: %w", rerr)
			}
		}
		if err != nil {
			return err
		}
		if each != nil {
			each(p)
		}
	}
	return nil
}
