package container

import (
	"context"

	"github.com/berth-go/berth/docker"
)

// TopResponse is the process list of a container: one row per process, in
// the columns named by Titles.
type TopResponse struct {
	Titles    []string
	Processes [][]string
}

// Top lists the processes running in a container, as ps shows them (PsArgs
// chooses ps's arguments). A container that is not running gives an error
// matching docker.ErrConflict.
//
// API: GET /containers/{id}/top
func (s *Service) Top(ctx context.Context, id string, opts ...TopOption) (TopResponse, error) {
	path, err := containerPath("/containers/{}/top", id)
	if err != nil {
		return TopResponse{}, err
	}
	var set settings
	for _, o := range opts {
		o.applyTop(&set)
	}
	req := &docker.Request{Path: path}
	set.apply(req)
	var out TopResponse
	err = s.cli.DoJSON(ctx, req, &out)
	return out, err
}

// ChangeKind is the kind of a file system change.
type ChangeKind uint8

// Change kinds.
const (
	ChangeModify ChangeKind = 0
	ChangeAdd    ChangeKind = 1
	ChangeDelete ChangeKind = 2
)

// String returns "C", "A" or "D" as `docker diff` prints them.
func (k ChangeKind) String() string {
	switch k {
	case ChangeModify:
		return "C"
	case ChangeAdd:
		return "A"
	case ChangeDelete:
		return "D"
	}
	return "?"
}

// Change is one path that changed in a container's file system compared to
// its image.
type Change struct {
	Path string
	Kind ChangeKind
}

// Changes lists the paths that were added, changed or deleted in the
// container's file system compared to its image.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: GET /containers/{id}/changes
func (s *Service) Changes(ctx context.Context, id string) ([]Change, error) {
	path, err := containerPath("/containers/{}/changes", id)
	if err != nil {
		return nil, err
	}
	var out []Change
	err = s.cli.DoJSON(ctx, &docker.Request{Path: path}, &out)
	return out, err
}
