package dockertest

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/berth-go/berth/docker/volume"
)

// fakeVolume is one volume. Its files are shared by every container that
// mounts it. The Server's mu guards the other fields.
type fakeVolume struct {
	name      string
	driver    string
	created   time.Time
	labels    map[string]string
	options   map[string]string
	anonymous bool // created without a name (by a mount or a nameless create)
	files     *FS
}

func (v *fakeVolume) render() volume.Volume {
	return volume.Volume{Name: v.name, Driver: v.driver, Mountpoint: v.mountpoint(), CreatedAt: v.created,
		Labels: v.labels, Scope: "local", Options: v.options}
}

// mountpoint is where the Engine would keep the volume's files.
func (v *fakeVolume) mountpoint() string { return "/var/lib/docker/volumes/" + v.name + "/_data" }

// validVolumeName is the local driver's rule for volume names.
var validVolumeName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`)

// newVolumeLocked returns the volume named name, creating it (anonymous
// when name is empty) with the local driver; like the Engine it emits a
// "create" event either way. It answers a status and message when the
// name, driver or options are refused. The caller holds s.mu.
func (s *Server) newVolumeLocked(name, driver string, labels, opts map[string]string) (*fakeVolume, int, string) {
	anonymous := name == ""
	if anonymous {
		name = newID()
	}
	if v, ok := s.state.volumes[name]; ok {
		s.Emit("volume", "create", v.name, map[string]string{"driver": v.driver})
		return v, 0, ""
	}
	if driver == "" {
		driver = "local"
	}
	switch {
	case len(name) < 2:
		return nil, 400, "create " + name + ": volume name is too short, names should be at least two alphanumeric characters"
	case !validVolumeName.MatchString(name):
		return nil, 400, fmt.Sprintf("create %s: %q includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path", name, name)
	case driver != "local":
		return nil, 404, fmt.Sprintf("create %s: error looking up volume plugin %s: plugin %q not found", name, driver, driver)
	}
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k != "type" && k != "device" && k != "o" && k != "size" {
			return nil, 400, fmt.Sprintf("create %s: invalid option: %q", name, k)
		}
	}
	_, hasType := opts["type"]
	_, hasO := opts["o"]
	if _, hasDevice := opts["device"]; (hasType || hasO) && !hasDevice {
		return nil, 400, fmt.Sprintf("create %s: missing required option: \"device\"", name)
	}
	v := &fakeVolume{name: name, driver: driver, created: time.Now().UTC().Truncate(time.Second), anonymous: anonymous, files: newEmptyFS()}
	if len(labels) > 0 {
		v.labels = copyMap(labels)
	}
	if len(opts) > 0 {
		v.options = copyMap(opts)
	}
	s.state.volumes[name] = v
	s.Emit("volume", "create", v.name, map[string]string{"driver": v.driver})
	return v, 0, ""
}

// volumeUsers lists the ids of the containers whose mounts use v, sorted.
func (st *state) volumeUsers(v *fakeVolume) []string {
	var ids []string
	for id, c := range st.containers {
		for _, m := range c.mounts {
			if m.vol == v {
				ids = append(ids, id)
				break
			}
		}
	}
	sort.Strings(ids)
	return ids
}

func (s *Server) withVolume(w http.ResponseWriter, p params, fn func(v *fakeVolume)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.state.volumes[p["name"]]
	if !ok {
		writeError(w, 404, "get "+p["name"]+": no such volume")
		return
	}
	fn(v)
}

func (s *Server) handleVolumeList(w http.ResponseWriter, r *http.Request, _ params) {
	f, ok := readFilters(w, r, "dangling", "driver", "label", "name")
	if !ok {
		return
	}
	var dangling *bool
	for _, v := range f["dangling"] {
		d, ok := parseDangling(v)
		if !ok {
			writeError(w, 400, fmt.Sprintf("Invalid filter 'dangling=%v'", f["dangling"]))
			return
		}
		dangling = &d
	}
	s.mu.Lock()
	out := []volume.Volume{}
	for _, v := range s.state.sortedVolumes() {
		match := matchAny(f["name"], func(p string) bool { return regexpMatch(p, v.name) }) &&
			matchAny(f["driver"], func(d string) bool { return d == v.driver }) &&
			labelsMatch(v.labels, f["label"]) &&
			(dangling == nil || *dangling == (len(s.state.volumeUsers(v)) == 0))
		if match {
			out = append(out, v.render())
		}
	}
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"Volumes": out, "Warnings": nil})
}

// sortedVolumes returns the volumes ordered by name.
func (st *state) sortedVolumes() []*fakeVolume {
	out := make([]*fakeVolume, 0, len(st.volumes))
	for _, v := range st.volumes {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func (s *Server) handleVolumeCreate(w http.ResponseWriter, r *http.Request, _ params) {
	var body volume.CreateRequest
	if !decodeBody(w, r, &body) {
		return
	}
	if body.ClusterVolumeSpec != nil {
		writeError(w, 503, "cluster volumes need a swarm manager, and this node is not part of a swarm")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, status, msg := s.newVolumeLocked(body.Name, body.Driver, body.Labels, body.DriverOpts)
	if v == nil {
		writeError(w, status, msg)
		return
	}
	writeJSON(w, 201, v.render())
}

func (s *Server) handleVolumeInspect(w http.ResponseWriter, r *http.Request, p params) {
	s.withVolume(w, p, func(v *fakeVolume) { writeJSON(w, 200, v.render()) })
}

func (s *Server) handleVolumeRemove(w http.ResponseWriter, r *http.Request, p params) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.state.volumes[p["name"]]
	if !ok {
		if isTrue(r.URL.Query().Get("force")) {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeError(w, 404, "get "+p["name"]+": no such volume")
		return
	}
	if users := s.state.volumeUsers(v); len(users) > 0 {
		writeError(w, 409, fmt.Sprintf("remove %s: volume is in use - %v", v.name, users))
		return
	}
	s.removeVolumeLocked(v)
	w.WriteHeader(http.StatusNoContent)
}

// removeVolumeLocked deletes v and emits its "destroy" event.
func (s *Server) removeVolumeLocked(v *fakeVolume) {
	delete(s.state.volumes, v.name)
	s.Emit("volume", "destroy", v.name, map[string]string{"driver": v.driver})
}

// removeAnonymousVolumesLocked removes the anonymous volumes c mounted that
// no other container uses, as removing a container with v=1 (or an
// AutoRemove one) does. The caller holds s.mu; c is already removed.
func (s *Server) removeAnonymousVolumesLocked(c *fakeContainer) {
	for _, m := range c.mounts {
		if m.vol != nil && m.vol.anonymous && s.state.volumes[m.vol.name] == m.vol && len(s.state.volumeUsers(m.vol)) == 0 {
			s.removeVolumeLocked(m.vol)
		}
	}
}

func (s *Server) handleVolumePrune(w http.ResponseWriter, r *http.Request, _ params) {
	allowed := []string{"label", "label!"}
	if atLeast(r, "1.42") {
		allowed = append(allowed, "all")
	}
	f, ok := readFilters(w, r, allowed...)
	if !ok {
		return
	}
	// From API 1.42 only anonymous volumes go, unless all is set; before,
	// every unused volume did.
	all := !atLeast(r, "1.42")
	for _, v := range f["all"] {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeError(w, 400, fmt.Sprintf("invalid value for 'all': %s", v))
			return
		}
		all = b
	}
	s.mu.Lock()
	deleted := []string{}
	var reclaimed int64
	for _, v := range s.state.sortedVolumes() {
		if !all && !v.anonymous || len(s.state.volumeUsers(v)) > 0 || !labelsMatch(v.labels, f["label"]) {
			continue
		}
		if len(f["label!"]) > 0 && labelsMatch(v.labels, f["label!"]) {
			continue
		}
		reclaimed += v.files.size()
		deleted = append(deleted, v.name)
		delete(s.state.volumes, v.name) // Engine 20.10 sends no "destroy" events for pruned volumes
	}
	s.mu.Unlock()
	s.Emit("volume", "prune", "", map[string]string{"reclaimed": strconv.FormatInt(reclaimed, 10)})
	writeJSON(w, 200, volume.PruneReport{VolumesDeleted: deleted, SpaceReclaimed: uint64(reclaimed)})
}

// handleVolumeUpdate answers PUT /volumes/{name} as an Engine without a
// swarm does: only cluster volumes can be updated. Engines before API 1.42
// have no such route.
func (s *Server) handleVolumeUpdate(w http.ResponseWriter, r *http.Request, _ params) {
	if !s.engineAtLeast("1.42") {
		writeError(w, 404, "page not found")
		return
	}
	writeError(w, 503, "volume update only valid for cluster volumes, but swarm is unavailable")
}
