package container

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// PathStat describes a path in a container's file system, as the daemon
// reports it in the X-Docker-Container-Path-Stat header of the archive
// endpoints.
type PathStat struct {
	Name       string      `json:"name"`
	Size       int64       `json:"size"`
	Mode       os.FileMode `json:"mode"` // Go's os.FileMode bits, as the daemon encodes them
	Mtime      time.Time   `json:"mtime"`
	LinkTarget string      `json:"linkTarget"` // the target when the path is a symbolic link, else empty
}

// pathStatHeader is the response header that carries a PathStat.
const pathStatHeader = "X-Docker-Container-Path-Stat"

// maxPathStatHeader bounds the header a PathStat is decoded from.
const maxPathStatHeader = 64 << 10

// parsePathStat decodes the header's value: base64 of a JSON object.
func parsePathStat(v string) (PathStat, error) {
	if v == "" {
		return PathStat{}, fmt.Errorf("docker: the response has no %s header", pathStatHeader)
	}
	if len(v) > maxPathStatHeader {
		return PathStat{}, fmt.Errorf("docker: %s header of %d bytes is too long", pathStatHeader, len(v))
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		// Some proxies strip the padding.
		var err2 error
		if b, err2 = base64.RawStdEncoding.DecodeString(v); err2 != nil {
			return PathStat{}, fmt.Errorf("docker: decoding the %s header: %w", pathStatHeader, err)
		}
	}
	var st PathStat
	if err := json.Unmarshal(b, &st); err != nil {
		return PathStat{}, fmt.Errorf("docker: decoding the %s header %q: %w", pathStatHeader, httpx.Prefix(b), err)
	}
	if st.Mode&os.ModeSymlink == 0 {
		// Podman sets it to the path itself for every file.
		st.LinkTarget = ""
	}
	return st, nil
}

// archiveRequest builds a request for /containers/{id}/archive?path=path.
func archiveRequest(method, id, path string) (*docker.Request, *settings, error) {
	p, err := containerPath("/containers/{}/archive", id)
	if err != nil {
		return nil, nil, err
	}
	if path == "" {
		return nil, nil, errors.New("docker: container path is empty")
	}
	set := &settings{}
	set.q.Set("path", path)
	return &docker.Request{Method: method, Path: p}, set, nil
}

// Stat describes a path in the container's file system without copying
// it. A missing path (or container) gives an error matching
// docker.ErrNotFound.
//
// API: HEAD /containers/{id}/archive
func (s *Service) Stat(ctx context.Context, id, path string) (PathStat, error) {
	req, set, err := archiveRequest(http.MethodHead, id, path)
	if err != nil {
		return PathStat{}, err
	}
	set.apply(req)
	resp, err := s.cli.Do(ctx, req)
	if err != nil {
		return PathStat{}, err
	}
	resp.Body.Close()
	return parsePathStat(resp.Header.Get(pathStatHeader))
}

// CopyFrom returns a tar stream of a path in the container: a file, or a
// directory with everything below it, under the path's base name. It also
// returns the path's PathStat. The stream is read from the daemon as the
// caller reads it, never buffered whole; the caller must close it, and
// cancelling ctx closes it too. CopyOut extracts it into a local directory.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: GET /containers/{id}/archive
func (s *Service) CopyFrom(ctx context.Context, id, path string) (io.ReadCloser, PathStat, error) {
	req, set, err := archiveRequest(http.MethodGet, id, path)
	if err != nil {
		return nil, PathStat{}, err
	}
	req.Stream = true
	set.apply(req)
	resp, err := s.cli.Do(ctx, req)
	if err != nil {
		return nil, PathStat{}, err
	}
	st, err := parsePathStat(resp.Header.Get(pathStatHeader))
	if err != nil {
		resp.Body.Close()
		return nil, PathStat{}, err
	}
	return resp.Body, st, nil
}

// CopyTo extracts a tar stream into a directory of the container, which
// must exist. The tar is sent as it is read from content, never buffered
// whole. NoOverwriteDirNonDir refuses to replace a directory with a file or
// the other way round; CopyUIDGID gives the files the container user's
// owner. CopyIn builds the tar from a local file or directory.
//
// A missing directory gives an error matching docker.ErrNotFound. A
// read-only root file system and a refused overwrite give the daemon's
// message, matching docker.ErrForbidden and docker.ErrInvalidArgument on
// daemons that follow the API (Engine 20.10 answers 500 to both).
//
// API: PUT /containers/{id}/archive
func (s *Service) CopyTo(ctx context.Context, id, dstDir string, content io.Reader, opts ...CopyToOption) error {
	req, set, err := archiveRequest(http.MethodPut, id, dstDir)
	if err != nil {
		return err
	}
	for _, o := range opts {
		o.applyCopyTo(set)
	}
	req.Stream = true
	req.Body = content
	req.Header = http.Header{"Content-Type": {"application/x-tar"}}
	set.apply(req)
	_, err = s.call(ctx, req)
	return err
}

// Export returns the container's whole file system as a tar stream, read
// from the daemon as the caller reads it. The caller must close it;
// cancelling ctx closes it too.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: GET /containers/{id}/export
func (s *Service) Export(ctx context.Context, id string) (io.ReadCloser, error) {
	path, err := containerPath("/containers/{}/export", id)
	if err != nil {
		return nil, err
	}
	resp, err := s.cli.Do(ctx, &docker.Request{Path: path, Stream: true})
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}
