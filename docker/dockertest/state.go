package dockertest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/image"
)

// state is everything the fake Engine remembers. The Server's mu guards it.
type state struct {
	registryUsers map[string]string // server + "\x00" + user -> password
	processes     map[string]Process
	images        map[string]*fakeImage // by id
	tags          map[string]string     // normalized reference -> image id
	containers    map[string]*fakeContainer
	execs         map[string]*fakeExec
	networks      map[string]*fakeNetwork // by id
	volumes       map[string]*fakeVolume  // by name
	swarm         *fakeSwarm              // nil outside a swarm
}

func newState() *state {
	return &state{
		registryUsers: map[string]string{},
		processes:     builtinProcesses(),
		images:        map[string]*fakeImage{},
		tags:          map[string]string{},
		containers:    map[string]*fakeContainer{},
		execs:         map[string]*fakeExec{},
		networks:      predefinedNetworks(),
		volumes:       map[string]*fakeVolume{},
	}
}

// stopAll ends every running process (on Close).
func (st *state) stopAll() {
	for _, c := range st.containers {
		c.kill("SIGKILL")
	}
	for _, e := range st.execs {
		if e.cancel != nil {
			e.cancel(Signal("SIGKILL"))
		}
	}
}

// countInto fills the object counts of GET /info.
func (st *state) countInto(info *docker.Info) {
	info.Images = len(st.images)
	for _, c := range st.containers {
		info.Containers++
		switch c.status() {
		case "running", "restarting":
			info.ContainersRunning++
		case "paused":
			info.ContainersPaused++
		default:
			info.ContainersStopped++
		}
	}
}

// newID returns a random 64-hex-digit id, like the Engine's.
func newID() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// findContainer resolves a full id, a unique id prefix or a name (with or
// without its leading slash); the caller holds s.mu.
func (st *state) findContainer(ref string) *fakeContainer {
	if c, ok := st.containers[ref]; ok {
		return c
	}
	name := "/" + strings.TrimPrefix(ref, "/")
	var byPrefix *fakeContainer
	n := 0
	for id, c := range st.containers {
		if c.name == name {
			return c
		}
		if strings.HasPrefix(id, ref) {
			byPrefix, n = c, n+1
		}
	}
	if n == 1 {
		return byPrefix
	}
	return nil
}

// fakeImage is an image the fake knows.
type fakeImage struct {
	id      string
	created time.Time
	config  image.Config
	files   *FS
	labels  map[string]string
	comment string
	author  string
	parent  string
}

func (im *fakeImage) size() int64 {
	var n int64
	im.files.mu.Lock()
	for _, nd := range im.files.nodes {
		n += int64(len(nd.data))
	}
	im.files.mu.Unlock()
	return n
}

// sharedSizes answers the image list's shared-size: for each image, the
// bytes of its files that another image holds too (same path, same
// content). The fake has no layers; a built image's files that came from
// its base stand in for the layers the two share. The caller holds s.mu.
func (st *state) sharedSizes() map[string]int64 {
	type file struct {
		path string
		sum  [sha256.Size]byte
	}
	holders := map[file]int{}
	sizes := map[string]map[file]int64{}
	for id, im := range st.images {
		files := map[file]int64{}
		im.files.mu.Lock()
		for path, n := range im.files.nodes {
			if n.mode.IsRegular() && len(n.data) > 0 {
				files[file{path, sha256.Sum256(n.data)}] = int64(len(n.data))
			}
		}
		im.files.mu.Unlock()
		for f := range files {
			holders[f]++
		}
		sizes[id] = files
	}
	out := map[string]int64{}
	for id, files := range sizes {
		for f, n := range files {
			if holders[f] > 1 {
				out[id] += n
			}
		}
	}
	return out
}

// repoTags lists the references that point at the image, sorted.
func (st *state) repoTags(id string) []string {
	out := []string{} // the Engine sends [] for an untagged image, not null
	for ref, target := range st.tags {
		if target == id {
			out = append(out, familiar(ref))
		}
	}
	sort.Strings(out)
	return out
}

// familiar shortens "docker.io/library/alpine:3" to "alpine:3", as the
// Engine shows references.
func familiar(ref string) string {
	r, err := image.ParseReference(ref)
	if err != nil {
		return ref
	}
	return r.Familiar()
}

// normalize returns the canonical form of ref with a default tag; ok is false
// for an invalid reference.
func normalize(ref string) (string, bool) {
	r, err := image.ParseReference(ref)
	if err != nil {
		return "", false
	}
	if r.Digest == "" {
		r = r.WithDefaultTag()
	}
	return r.String(), true
}

// findImage resolves a reference, an id ("sha256:..." or bare hex) or a
// unique id prefix; the caller holds s.mu.
func (st *state) findImage(ref string) *fakeImage {
	if n, ok := normalize(ref); ok {
		if id, ok := st.tags[n]; ok {
			return st.images[id]
		}
	}
	id := strings.TrimPrefix(ref, "sha256:")
	if im, ok := st.images["sha256:"+id]; ok {
		return im
	}
	if len(id) >= 4 {
		var found *fakeImage
		for k, im := range st.images {
			if strings.HasPrefix(strings.TrimPrefix(k, "sha256:"), id) {
				if found != nil {
					return nil
				}
				found = im
			}
		}
		return found
	}
	return nil
}

// AddImage makes an image available under ref, as if it had been pulled or
// built, and returns its id. files, which may be nil, seeds its file system
// (containers start with a copy). Adding a reference that exists moves it to
// the new image.
func (s *Server) AddImage(ref string, cfg image.Config, files map[string][]byte) (string, error) {
	n, ok := normalize(ref)
	if !ok {
		return "", &invalidReference{ref}
	}
	fsys := newFS()
	for p, b := range files {
		if err := fsys.WriteFile(p, b, 0o755); err != nil {
			return "", err
		}
	}
	im := &fakeImage{created: time.Now().UTC(), config: cfg, files: fsys, labels: cfg.Labels}
	sum := sha256.Sum256([]byte(n + im.created.String() + newID()))
	im.id = "sha256:" + hex.EncodeToString(sum[:])
	s.mu.Lock()
	s.state.images[im.id] = im
	s.state.tags[n] = im.id
	s.mu.Unlock()
	s.Emit("image", "pull", familiar(n), im.eventAttrs(familiar(n)))
	return im.id, nil
}

type invalidReference struct{ ref string }

func (e *invalidReference) Error() string {
	return "dockertest: invalid reference format: " + e.ref
}

// containerLabelsMatch reports whether labels satisfy every "key" or
// "key=value" filter value.
func labelsMatch(labels map[string]string, filters []string) bool {
	for _, f := range filters {
		k, v, hasV := strings.Cut(f, "=")
		got, ok := labels[k]
		if !ok || hasV && got != v {
			return false
		}
	}
	return true
}
