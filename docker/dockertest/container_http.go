package dockertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/container"
)

// validName is the Engine's rule for container names.
var validName = regexp.MustCompile(`^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$`)

// createBody is the body of POST /containers/create.
type createBody struct {
	container.Config
	HostConfig       *container.HostConfig
	NetworkingConfig *container.NetworkingConfig
}

func (s *Server) handleContainerCreate(w http.ResponseWriter, r *http.Request, _ params) {
	var body createBody
	if !decodeBody(w, r, &body) {
		return
	}
	name := r.URL.Query().Get("name")
	if name != "" && !validName.MatchString(name) {
		writeError(w, 400, fmt.Sprintf("Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name))
		return
	}
	if body.Image == "" {
		writeError(w, 400, "No command specified")
		return
	}
	if body.HostConfig != nil && body.HostConfig.RestartPolicy.Name != "" {
		switch body.HostConfig.RestartPolicy.Name {
		case "no", "always", "unless-stopped", "on-failure":
		default:
			writeError(w, 400, "invalid restart policy: unknown policy '"+string(body.HostConfig.RestartPolicy.Name)+"'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'")
			return
		}
		if body.HostConfig.AutoRemove && body.HostConfig.RestartPolicy.Name != "no" {
			writeError(w, 400, "conflicting options: cannot specify both --restart and --rm")
			return
		}
	}
	if body.HostConfig != nil && (body.HostConfig.Memory < 0 || body.HostConfig.NanoCPUs < 0) {
		writeError(w, 400, "invalid resources: negative values are not allowed")
		return
	}
	if status, msg := s.createForVersion(r, &body); status != 0 {
		writeError(w, status, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	im := s.state.findImage(body.Image)
	if im == nil {
		writeError(w, 404, "No such image: "+body.Image)
		return
	}
	id := newID()
	if name == "" {
		name = "/" + generatedName(id)
		for i := 1; s.state.nameTaken(name); i++ { // like the Engine, retry with a digit appended
			name = "/" + generatedName(id) + strconv.Itoa(i)
		}
	} else {
		name = "/" + strings.TrimPrefix(name, "/")
	}
	for _, other := range s.state.containers {
		if other.name == name {
			writeError(w, 409, fmt.Sprintf("Conflict. The container name %q is already in use by container %q. You have to remove (or rename) that container to be able to reuse that name.", name, other.id))
			return
		}
	}
	c := &fakeContainer{srv: s, id: id, created: time.Now().UTC(), image: im, imageRef: body.Image, files: im.files.clone(),
		logs: newLogBuf(), name: name, config: body.Config, exited: make(chan struct{}), removed: make(chan struct{})}
	if body.HostConfig != nil {
		c.host = *body.HostConfig
	}
	if c.host.NetworkMode == "" {
		c.host.NetworkMode = "default"
	}
	if body.NetworkingConfig != nil {
		c.networking = *body.NetworkingConfig
	}
	c.config.Image = body.Image
	if c.config.Hostname == "" {
		c.config.Hostname = id[:12]
	}
	if c.config.Labels == nil && len(im.config.Labels) > 0 {
		c.config.Labels = map[string]string{}
	}
	for k, v := range im.config.Labels {
		if _, set := c.config.Labels[k]; !set {
			c.config.Labels[k] = v
		}
	}
	c.st = container.State{Status: "created"}
	if status, msg := s.setUpNetworksLocked(c, r); status != 0 {
		writeError(w, status, msg)
		return
	}
	if status, msg := s.setUpMountsLocked(c); status != 0 {
		writeError(w, status, msg)
		return
	}
	s.state.containers[id] = c
	s.Emit("container", "create", id, c.eventAttrs())
	writeJSON(w, http.StatusCreated, container.CreateResponse{ID: id, Warnings: []string{}})
}

// nameTaken reports whether a container has the name (with its slash).
func (st *state) nameTaken(name string) bool {
	for _, c := range st.containers {
		if c.name == name {
			return true
		}
	}
	return false
}

// generatedName makes a name in the Engine's adjective_surname style.
func generatedName(id string) string {
	adjectives := []string{"brave", "calm", "eager", "fond", "keen", "quirky", "sharp", "tender"}
	names := []string{"curie", "hopper", "lovelace", "noether", "ritchie", "thompson", "turing", "wozniak"}
	return adjectives[int(id[0])%len(adjectives)] + "_" + names[int(id[1])%len(names)]
}

// withContainer resolves {id} and calls fn with s.mu held; a missing
// container answers 404 like the Engine.
func (s *Server) withContainer(w http.ResponseWriter, p params, fn func(c *fakeContainer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.state.findContainer(p["id"])
	if c == nil {
		writeError(w, 404, "No such container: "+p["id"])
		return
	}
	fn(c)
}

func (s *Server) handleContainerInspect(w http.ResponseWriter, r *http.Request, p params) {
	s.withContainer(w, p, func(c *fakeContainer) {
		d := c.details(r.URL.Query().Get("size") == "1" || r.URL.Query().Get("size") == "true")
		d.NetworkSettings, d.Mounts = c.networkSettings(r), c.mountPoints()
		writeJSON(w, 200, d)
	})
}

func (c *fakeContainer) details(size bool) container.Details {
	args := c.args()
	d := container.Details{
		ID: c.id, Created: c.created, State: c.st, Image: c.image.id, Name: c.name,
		RestartCount: c.restartCount, Driver: "memory", Platform: "linux", ExecIDs: append([]string(nil), c.execIDs...),
		HostConfig: c.host, Config: c.config, LogPath: "/var/lib/docker/containers/" + c.id + "/" + c.id + "-json.log",
		ResolvConfPath: "/var/lib/docker/containers/" + c.id + "/resolv.conf",
		HostnamePath:   "/var/lib/docker/containers/" + c.id + "/hostname",
		HostsPath:      "/var/lib/docker/containers/" + c.id + "/hosts",
		Mounts:         []container.MountPoint{},
	}
	d.State.Status = c.status()
	if len(args) > 0 {
		d.Path, d.Args = args[0], args[1:]
	}
	if d.Args == nil {
		d.Args = []string{}
	}
	if size {
		rw, root := c.sizes()
		d.SizeRw, d.SizeRootFs = &rw, &root
	}
	return d
}

// sizes returns the bytes the container wrote and its whole file system's.
func (c *fakeContainer) sizes() (rw, root int64) {
	base := map[string]int{}
	c.image.files.mu.Lock()
	for k, n := range c.image.files.nodes {
		base[k] = len(n.data)
	}
	c.image.files.mu.Unlock()
	c.files.mu.Lock()
	defer c.files.mu.Unlock()
	for k, n := range c.files.nodes {
		root += int64(len(n.data))
		if b, ok := base[k]; !ok || b != len(n.data) {
			rw += int64(len(n.data))
		}
	}
	return rw, root
}

func (s *Server) handleContainerList(w http.ResponseWriter, r *http.Request, _ params) {
	q := r.URL.Query()
	all := q.Get("all") == "1" || q.Get("all") == "true"
	size := q.Get("size") == "1" || q.Get("size") == "true"
	var f map[string][]string
	if raw := q.Get("filters"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			writeError(w, 400, "invalid filter: "+err.Error())
			return
		}
	}
	for k := range f {
		switch k {
		case "id", "name", "label", "status", "ancestor", "exited", "before", "since", "volume", "network", "health", "isolation", "is-task", "publish", "expose":
		case "annotation": // API 1.56
			if atLeast(r, "1.56") {
				continue
			}
			fallthrough
		default:
			writeError(w, 400, "invalid filter '"+k+"'")
			return
		}
	}
	s.mu.Lock()
	cs := make([]*fakeContainer, 0, len(s.state.containers))
	for _, c := range s.state.containers {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].created.After(cs[j].created) })
	out := []container.Summary{}
	for _, c := range cs {
		st := c.status()
		if !all && len(f["status"]) == 0 && st != "running" && st != "paused" && st != "restarting" {
			continue
		}
		if !s.state.containerMatches(c, f) {
			continue
		}
		sum := c.summary(size)
		sum.NetworkSettings.Networks, sum.Mounts = c.networks(r), c.mountPoints()
		if atLeast(r, "1.46") { // the list shows annotations from 1.46
			sum.HostConfig.Annotations = c.host.Annotations
		}
		out = append(out, sum)
	}
	s.mu.Unlock()
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 && len(out) > n {
		out = out[:n]
	}
	writeJSON(w, 200, out)
}

func (st *state) containerMatches(c *fakeContainer, f map[string][]string) bool {
	anyOf := func(key string, ok func(v string) bool) bool {
		vs := f[key]
		if len(vs) == 0 {
			return true
		}
		for _, v := range vs {
			if ok(v) {
				return true
			}
		}
		return false
	}
	return anyOf("id", func(v string) bool { return strings.HasPrefix(c.id, v) }) &&
		anyOf("name", func(v string) bool { return strings.Contains(c.name, strings.TrimPrefix(v, "/")) }) &&
		anyOf("status", func(v string) bool { return c.status() == v }) &&
		anyOf("ancestor", func(v string) bool { im := st.findImage(v); return im != nil && im == c.image }) &&
		anyOf("exited", func(v string) bool { return c.status() == "exited" && strconv.Itoa(c.st.ExitCode) == v }) &&
		anyOf("network", c.onNetwork) && anyOf("volume", c.usesVolume) &&
		labelsMatch(c.config.Labels, f["label"]) && labelsMatch(c.host.Annotations, f["annotation"])
}

func (c *fakeContainer) summary(size bool) container.Summary {
	args := c.args()
	sum := container.Summary{
		ID: c.id, Names: []string{c.name}, Image: c.imageRef, ImageID: c.image.id, Command: strings.Join(args, " "),
		Created: c.created.Unix(), Ports: []container.PortSummary{}, Labels: c.config.Labels, State: c.status(),
		Status: c.humanStatus(), Mounts: []container.MountPoint{},
	}
	sum.HostConfig.NetworkMode = string(c.host.NetworkMode)
	if size {
		rw, root := c.sizes()
		sum.SizeRw, sum.SizeRootFs = &rw, &root
	}
	if sum.Labels == nil {
		sum.Labels = map[string]string{}
	}
	return sum
}

func (c *fakeContainer) humanStatus() string {
	switch c.status() {
	case "running":
		return "Up " + time.Since(c.st.StartedAt).Round(time.Second).String()
	case "paused":
		return "Up " + time.Since(c.st.StartedAt).Round(time.Second).String() + " (Paused)"
	case "exited":
		return fmt.Sprintf("Exited (%d) %s ago", c.st.ExitCode, time.Since(c.st.FinishedAt).Round(time.Second))
	}
	return "Created"
}
