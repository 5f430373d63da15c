package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
	"github.com/berth-go/berth/stream"
)

type saveConfig struct {
	base
	platforms []string // JSON
}

// Save exports an image, with its tags and layers, as a tar archive in the
// format Load reads. The archive streams from the daemon as it is read, so
// memory stays constant whatever the image's size; the caller must close
// it. Cancelling ctx ends the stream. Option: Platform (API >= 1.48,
// repeatable from 1.52). An unknown image gives an error matching
// docker.ErrNotFound.
//
// API: GET /images/{name}/get
func (s *Service) Save(ctx context.Context, name string, opts ...SaveOption) (io.ReadCloser, error) {
	var c saveConfig
	for _, o := range opts {
		o.applySave(&c)
	}
	if c.err != nil {
		return nil, c.err
	}
	path, err := httpx.Path("/images/{}/get", "image name", name)
	if err != nil {
		return nil, err
	}
	var q httpx.Query
	q.Strings("platform", c.platforms...)
	return s.save(ctx, &c, &docker.Request{Method: http.MethodGet, Path: path, Query: q.Values()})
}

// SaveMany is Save for several images (IDs or references) in one archive;
// names must not be empty.
//
// API: GET /images/get
func (s *Service) SaveMany(ctx context.Context, names []string, opts ...SaveOption) (io.ReadCloser, error) {
	var c saveConfig
	for _, o := range opts {
		o.applySave(&c)
	}
	if c.err != nil {
		return nil, c.err
	}
	if len(names) == 0 {
		return nil, errors.New("docker: image save: no image names given")
	}
	for _, n := range names {
		if err := httpx.CheckSegment("image name", n); err != nil {
			return nil, err
		}
	}
	var q httpx.Query
	q.Strings("names", names...)
	q.Strings("platform", c.platforms...)
	return s.save(ctx, &c, &docker.Request{Method: http.MethodGet, Path: "/images/get", Query: q.Values()})
}

func (s *Service) save(ctx context.Context, c *saveConfig, req *docker.Request) (io.ReadCloser, error) {
	req.Stream = true
	c.gate(req)
	resp, err := s.cli.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

type loadConfig struct {
	base
	quiet     bool
	platforms []string // JSON
}

// Load loads images from a tar archive in the format Save writes, and
// yields the daemon's progress messages; the names (or IDs) loaded arrive
// as Stream text "Loaded image: ..." (see LoadAndWait). The archive is
// streamed to the daemon as it is read. Options: Quiet, Platform (API >=
// 1.48, repeatable from 1.52).
//
// The request is sent when the loop starts; breaking out of the loop, or
// cancelling ctx, closes the connection. A broken archive ends the loop with
// a *docker.StreamError. If tarball is an io.Closer, the request closes it
// when it ends.
//
// API: POST /images/load
func (s *Service) Load(ctx context.Context, tarball io.Reader, opts ...LoadOption) iter.Seq2[stream.Progress, error] {
	var c loadConfig
	for _, o := range opts {
		o.applyLoad(&c)
	}
	if c.err == nil && tarball == nil {
		c.err = fmt.Errorf("docker: image load: the archive %w", errNilReader)
	}
	var q httpx.Query
	q.Bool("quiet", c.quiet) // the daemon's default is quiet: always say
	q.Strings("platform", c.platforms...)
	req := &docker.Request{
		Method: http.MethodPost,
		Path:   "/images/load",
		Query:  q.Values(),
		Header: http.Header{"Content-Type": {"application/x-tar"}},
		Body:   tarball,
	}
	c.gate(req)
	return progress(ctx, s.cli, req, c.err)
}

// LoadAndWait runs Load to its end, drawing every message with r (nil draws
// nothing), and returns the loaded references, or image IDs for untagged
// images, in the order the daemon reported them. (Podman reports all the
// references of an archive in one line, separated by commas, which no
// reference can hold: they come back one an element too.)
func (s *Service) LoadAndWait(ctx context.Context, tarball io.Reader, r *stream.Renderer, opts ...LoadOption) ([]string, error) {
	var loaded []string
	err := drain(s.Load(ctx, tarball, opts...), r, func(p stream.Progress) {
		for line := range strings.Lines(p.Stream) {
			line = strings.TrimSpace(line)
			if id, ok := strings.CutPrefix(line, "Loaded image ID: "); ok {
				loaded = append(loaded, id)
			} else if refs, ok := strings.CutPrefix(line, "Loaded image: "); ok {
				loaded = append(loaded, strings.Split(refs, ",")...)
			}
		}
	})
	return loaded, err
}

type importConfig struct {
	base
	repo, tag, message string
	changes            []string
	platform           string // os[/arch[/variant]]
}

// Message sets the commit message of the imported image.
func Message(msg string) ImportOption {
	return importFunc(func(c *importConfig) { c.message = msg })
}

// Import creates an image from a tar archive of a root filesystem (as
// container export writes, plain or compressed with gzip, bzip2 or xz) read
// from rootfs, and yields the daemon's progress messages; the last one's
// Status is the new image's ID (see ImportAndWait). Options: Repo, Message,
// Changes, Platform.
//
// The request is sent when the loop starts; breaking out of the loop, or
// cancelling ctx, closes the connection. If rootfs is an io.Closer, the
// request closes it when it ends.
//
// API: POST /images/create
func (s *Service) Import(ctx context.Context, rootfs io.Reader, opts ...ImportOption) iter.Seq2[stream.Progress, error] {
	req, err := importRequest("-", rootfs, opts)
	if err == nil && rootfs == nil {
		err = fmt.Errorf("docker: image import: the archive %w", errNilReader)
	}
	return progress(ctx, s.cli, req, err)
}

// ImportFromURL is Import of an archive that the daemon downloads from url
// (http or https, reachable from the daemon).
//
// API: POST /images/create
func (s *Service) ImportFromURL(ctx context.Context, url string, opts ...ImportOption) iter.Seq2[stream.Progress, error] {
	req, err := importRequest(url, nil, opts)
	if err == nil && url == "" {
		err = errors.New("docker: image import: the URL is empty")
	}
	if err == nil && url == "-" {
		err = errors.New(`docker: image import: the URL is "-"; use Import to send an archive`)
	}
	return progress(ctx, s.cli, req, err)
}

// ImportAndWait runs Import to its end, drawing every message with r (nil
// draws nothing), and returns the new image's ID.
func (s *Service) ImportAndWait(ctx context.Context, rootfs io.Reader, r *stream.Renderer, opts ...ImportOption) (string, error) {
	var id string
	err := drain(s.Import(ctx, rootfs, opts...), r, func(p stream.Progress) {
		if strings.HasPrefix(p.Status, "sha256:") {
			id = strings.TrimSpace(p.Status)
		}
	})
	if err == nil && id == "" {
		err = errors.New("docker: image import: the daemon did not report the image ID")
	}
	return id, err
}

func importRequest(src string, body io.Reader, opts []ImportOption) (*docker.Request, error) {
	var c importConfig
	for _, o := range opts {
		o.applyImport(&c)
	}
	var q httpx.Query
	q.Set("fromSrc", src)
	// The tag travels inside repo: the Engine reads repo as a reference
	// and adds tag only when that parameter is given, while Podman ignores
	// the tag parameter of an import (it tags latest) but keeps a tag in
	// repo.
	repo := c.repo
	if repo != "" && c.tag != "" {
		repo += ":" + c.tag
	}
	q.String("repo", repo)
	q.String("message", c.message)
	q.Strings("changes", c.changes...)
	q.String("platform", c.platform)
	req := &docker.Request{Method: http.MethodPost, Path: "/images/create", Query: q.Values(), Body: body}
	if body != nil {
		// Any type but a form's keeps the daemon from parsing the body as
		// one.
		req.Header = http.Header{"Content-Type": {"application/x-tar"}}
	}
	c.gate(req)
	return req, c.err
}

// progress returns the progress stream of req, or an iterator yielding err
// alone when it is not nil.
func progress(ctx context.Context, cli *docker.Client, req *docker.Request, err error) iter.Seq2[stream.Progress, error] {
	if err != nil {
		return func(yield func(stream.Progress, error) bool) { yield(stream.Progress{}, err) }
	}
	return docker.StreamProgress(ctx, cli, req)
}
