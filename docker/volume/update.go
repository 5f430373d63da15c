package volume

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// updateBody is the wire form of PUT /volumes/{name}.
type updateBody struct {
	Spec ClusterVolumeSpec
}

// Update changes a swarm cluster volume's spec; only Availability may
// differ from the current spec. version is the ClusterVolume.Version.Index
// the caller read: if the volume changed since, the daemon refuses the
// update. Plain (local) volumes cannot be updated.
//
// Update needs API 1.42: on older daemons it returns an error wrapping
// docker.ErrVersion and sends nothing. A missing volume is
// docker.ErrNotFound, a daemon that is not a swarm manager
// docker.ErrUnavailable, a spec change other than Availability
// docker.ErrInvalidArgument. An empty name is a local error.
//
// API: PUT /volumes/{name}
func (s *Service) Update(ctx context.Context, name string, version uint64, spec ClusterVolumeSpec) error {
	path, err := httpx.Path("/volumes/{}", "volume name", name)
	if err != nil {
		return err
	}
	var q httpx.Query
	q.Int("version", int64(version))
	return s.cli.DoJSON(ctx, &docker.Request{
		Method:     http.MethodPut,
		Path:       path,
		Query:      q.Values(),
		JSON:       updateBody{Spec: spec},
		MinVersion: "1.42",
		What:       "PUT /volumes/{name} (VolumeUpdate)",
	}, nil)
}
