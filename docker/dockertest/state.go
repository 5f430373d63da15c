package dockertest

import (
	"net/http"

	"github.com/berth-go/berth/docker"
)

// state is everything the fake Engine remembers. The Server's mu guards it.
type state struct {
	registryUsers map[string]string // server + "\x00" + user -> password
}

func newState() *state {
	return &state{registryUsers: map[string]string{}}
}

// stopAll ends every running process (on Close).
func (st *state) stopAll() {}

// countInto fills the object counts of GET /info.
func (st *state) countInto(info *docker.Info) {}

// diskUsage answers GET /system/df.
func (st *state) diskUsage(r *http.Request) docker.DiskUsage {
	if atLeast(r, "1.52") {
		return docker.DiskUsage{ImageUsage: &docker.UsageSummary{}, ContainerUsage: &docker.UsageSummary{},
			VolumeUsage: &docker.UsageSummary{}, BuildCacheUsage: &docker.UsageSummary{}}
	}
	return docker.DiskUsage{}
}
