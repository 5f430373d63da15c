package dockertest

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/volume"
)

// diskUsageTypes are the object types of GET /system/df, in the order the
// answer lists them.
var diskUsageTypes = []string{"container", "image", "volume", "build-cache"}

// handleDiskUsage answers GET /system/df as the request's API version
// shows it: the object lists (LayersSize, Images, Containers, Volumes,
// BuildCache) up to 1.52, the per-type summaries from 1.52 (both in 1.52
// unless verbose, which puts the lists inside the summaries instead), and
// only the types asked for with "type" (API 1.42). The fake has no build
// cache: its lists and sums are empty.
func (s *Server) handleDiskUsage(w http.ResponseWriter, r *http.Request, _ params) {
	want := map[string]bool{}
	if asked := r.URL.Query()["type"]; atLeast(r, "1.42") && len(asked) > 0 {
		for _, t := range asked {
			if !slices.Contains(diskUsageTypes, t) {
				writeError(w, http.StatusBadRequest, "unknown object type: "+t)
				return
			}
			want[t] = true
		}
	} else {
		for _, t := range diskUsageTypes {
			want[t] = true
		}
	}
	verbose := atLeast(r, "1.52") && isTrue(r.URL.Query().Get("verbose"))
	s.mu.Lock()
	u := s.state.usage(r, want)
	s.mu.Unlock()

	var du docker.DiskUsage
	if !atLeast(r, "1.53") && !verbose {
		du.Images, du.Containers, du.Volumes = u.images.Items, u.containers.Items, u.volumes.Items
		if want["image"] {
			du.LayersSize = u.images.TotalSize
		}
		if want["build-cache"] {
			du.BuildCache = []docker.BuildCacheRecord{}
		}
	}
	if atLeast(r, "1.52") {
		for t, sum := range map[string]**docker.UsageSummary{"image": &du.ImageUsage, "container": &du.ContainerUsage,
			"volume": &du.VolumeUsage, "build-cache": &du.BuildCacheUsage} {
			if !want[t] {
				continue
			}
			v := u.of(t)
			if !verbose {
				v.Items = nil
			}
			*sum = &v
		}
	}
	writeJSON(w, http.StatusOK, du)
}

// usage is the disk use of each kind of object, with their items.
type usage struct{ images, containers, volumes, buildCache docker.UsageSummary }

func (u *usage) of(t string) docker.UsageSummary {
	switch t {
	case "image":
		return u.images
	case "container":
		return u.containers
	case "volume":
		return u.volumes
	}
	return u.buildCache
}

// usage sums up the objects of the types in want; items are rendered as
// the request's API version shows them. The caller holds s.mu.
func (st *state) usage(r *http.Request, want map[string]bool) usage {
	var u usage
	add := func(sum *docker.UsageSummary, item any) {
		b, _ := json.Marshal(item)
		sum.Items = append(sum.Items, b)
	}
	if want["image"] {
		shared := st.sharedSizes()
		for _, im := range st.images {
			sum := st.imageSummary(im, r, shared, true)
			u.images.TotalCount++
			u.images.TotalSize += sum.Size
			if sum.Containers > 0 {
				u.images.ActiveCount++
			} else {
				u.images.Reclaimable += sum.Size - sum.SharedSize
			}
			add(&u.images, sum)
		}
	}
	if want["container"] {
		for _, c := range st.containers {
			sum := c.summary(true)
			sum.NetworkSettings.Networks, sum.Mounts = c.networks(r), c.mountPoints()
			u.containers.TotalCount++
			u.containers.TotalSize += *sum.SizeRw
			if c.cur != nil {
				u.containers.ActiveCount++
			} else {
				u.containers.Reclaimable += *sum.SizeRw
			}
			add(&u.containers, sum)
		}
	}
	if want["volume"] {
		for _, v := range st.volumes {
			vol := v.render()
			users := int64(len(st.volumeUsers(v)))
			size := v.files.size()
			vol.UsageData = &volume.UsageData{Size: size, RefCount: users}
			u.volumes.TotalCount++
			u.volumes.TotalSize += size
			if users > 0 {
				u.volumes.ActiveCount++
			} else {
				u.volumes.Reclaimable += size
			}
			add(&u.volumes, vol)
		}
	}
	for _, sum := range []*docker.UsageSummary{&u.images, &u.containers, &u.volumes} {
		if sum.Items == nil {
			sum.Items = []json.RawMessage{} // the Engine's lists are never null
		}
	}
	return u
}
