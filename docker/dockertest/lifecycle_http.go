package dockertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/container"
)

func (s *Server) handleContainerStart(w http.ResponseWriter, r *http.Request, p params) {
	var started *fakeContainer
	s.withContainer(w, p, func(c *fakeContainer) {
		status, msg := c.start()
		switch {
		case status == 304:
			w.WriteHeader(http.StatusNotModified)
		case status >= 400:
			writeError(w, status, msg)
		default:
			started = c
			w.WriteHeader(http.StatusNoContent)
		}
	})
	if started != nil {
		s.mu.Lock()
		attrs := started.eventAttrs()
		s.mu.Unlock()
		s.Emit("container", "start", started.id, attrs)
	}
}

// stopParams reads t (or timeout) and signal, with the container's own
// StopSignal and StopTimeout as defaults.
func stopParams(r *http.Request, c *fakeContainer) (string, time.Duration, error) {
	q := r.URL.Query()
	sig := "SIGTERM"
	if c.config.StopSignal != "" {
		sig = normalizeSignal(c.config.StopSignal)
	}
	if v := q.Get("signal"); v != "" && atLeast(r, "1.42") { // older requests cannot choose it
		if sig = normalizeSignal(v); sig == "" {
			return "", 0, fmt.Errorf("Invalid signal: %s", v)
		}
	}
	timeout := 10 * time.Second
	if c.config.StopTimeout != nil {
		timeout = time.Duration(*c.config.StopTimeout) * time.Second
	}
	for _, key := range []string{"t", "timeout"} {
		if v := q.Get(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return "", 0, fmt.Errorf("invalid value for %s: %s", key, v)
			}
			timeout = time.Duration(n) * time.Second
			if n < 0 {
				timeout = 24 * time.Hour
			}
		}
	}
	return sig, timeout, nil
}

func (s *Server) handleContainerStop(w http.ResponseWriter, r *http.Request, p params) {
	var c *fakeContainer
	var sig string
	var timeout time.Duration
	s.withContainer(w, p, func(found *fakeContainer) {
		var err error
		if sig, timeout, err = stopParams(r, found); err != nil {
			writeError(w, 400, err.Error())
			return
		}
		if found.cur == nil {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		c = found
	})
	if c == nil {
		return
	}
	s.stop(c, sig, timeout)
	s.mu.Lock()
	attrs := c.eventAttrs()
	s.mu.Unlock()
	s.Emit("container", "stop", c.id, attrs)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleContainerRestart(w http.ResponseWriter, r *http.Request, p params) {
	var c *fakeContainer
	var sig string
	var timeout time.Duration
	s.withContainer(w, p, func(found *fakeContainer) {
		var err error
		if sig, timeout, err = stopParams(r, found); err != nil {
			writeError(w, 400, err.Error())
			return
		}
		c = found
	})
	if c == nil {
		return
	}
	s.mu.Lock()
	c.restarting = true
	s.mu.Unlock()
	s.stop(c, sig, timeout)
	s.mu.Lock()
	c.restarting = false
	status, msg := c.start()
	if status < 400 {
		c.restartCount++
	}
	attrs := c.eventAttrs()
	s.mu.Unlock()
	if status >= 400 {
		writeError(w, status, msg)
		return
	}
	s.Emit("container", "start", c.id, attrs)
	s.Emit("container", "restart", c.id, attrs)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleContainerKill(w http.ResponseWriter, r *http.Request, p params) {
	s.withContainer(w, p, func(c *fakeContainer) {
		sig := normalizeSignal(r.URL.Query().Get("signal"))
		if sig == "" {
			writeError(w, 400, "Invalid signal: "+r.URL.Query().Get("signal"))
			return
		}
		if c.cur == nil {
			writeError(w, 409, fmt.Sprintf("Cannot kill container: %s: Container %s is not running", p["id"], c.id))
			return
		}
		c.st.Paused = false
		c.kill(sig)
		attrs := c.eventAttrs()
		attrs["signal"] = strconv.Itoa(ExitCodeFor(sig) - 128)
		s.Emit("container", "kill", c.id, attrs)
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Server) handleContainerPause(w http.ResponseWriter, r *http.Request, p params) {
	s.withContainer(w, p, func(c *fakeContainer) {
		switch {
		case c.cur == nil:
			writeError(w, 409, fmt.Sprintf("Container %s is not running", c.id))
		case c.st.Paused:
			writeError(w, 409, fmt.Sprintf("Container %s is already paused", c.id))
		default:
			c.st.Paused, c.st.Status = true, "paused"
			s.Emit("container", "pause", c.id, c.eventAttrs())
			w.WriteHeader(http.StatusNoContent)
		}
	})
}

func (s *Server) handleContainerUnpause(w http.ResponseWriter, r *http.Request, p params) {
	s.withContainer(w, p, func(c *fakeContainer) {
		if !c.st.Paused {
			writeError(w, 500, fmt.Sprintf("Container %s is not paused", c.id))
			return
		}
		c.st.Paused, c.st.Status = false, "running"
		s.Emit("container", "unpause", c.id, c.eventAttrs())
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Server) handleContainerRename(w http.ResponseWriter, r *http.Request, p params) {
	name := r.URL.Query().Get("name")
	if !validName.MatchString(name) {
		writeError(w, 400, fmt.Sprintf("Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name))
		return
	}
	name = "/" + strings.TrimPrefix(name, "/")
	s.withContainer(w, p, func(c *fakeContainer) {
		for _, other := range s.state.containers {
			if other.name == name && other != c {
				writeError(w, 409, fmt.Sprintf("Error when allocating new name: Conflict. The container name %q is already in use by container %q. You have to remove (or rename) that container to be able to reuse that name.", name, other.id))
				return
			}
		}
		old := c.name
		c.name = name
		attrs := c.eventAttrs()
		attrs["oldName"] = old
		s.Emit("container", "rename", c.id, attrs)
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Server) handleContainerUpdate(w http.ResponseWriter, r *http.Request, p params) {
	var body struct {
		container.Resources
		RestartPolicy *container.RestartPolicy
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if body.Memory < 0 || body.NanoCPUs < 0 || body.CPUShares < 0 {
		writeError(w, 400, "invalid resources: negative values are not allowed")
		return
	}
	res := resourcesForVersion(r, body.Resources)
	if !s.engineAtLeast("1.55") {
		// Engines before API 1.55 took the per-device blkio rules of an
		// update and ignored them.
		res.BlkioWeightDevice, res.BlkioDeviceReadBps, res.BlkioDeviceWriteBps = nil, nil, nil
		res.BlkioDeviceReadIOps, res.BlkioDeviceWriteIOps = nil, nil
	}
	s.withContainer(w, p, func(c *fakeContainer) {
		// Only the fields sent change: a rule list sent empty clears the
		// rules, one left out (or null) keeps them.
		b, _ := json.Marshal(res)
		_ = json.Unmarshal(b, &c.host.Resources)
		if body.RestartPolicy != nil {
			c.host.RestartPolicy = *body.RestartPolicy
		}
		s.Emit("container", "update", c.id, c.eventAttrs())
		writeJSON(w, 200, map[string][]string{"Warnings": {}})
	})
}

func (s *Server) handleContainerRemove(w http.ResponseWriter, r *http.Request, p params) {
	force := isTrue(r.URL.Query().Get("force"))
	var toStop *fakeContainer
	s.withContainer(w, p, func(c *fakeContainer) {
		if c.cur != nil && !force {
			if c.st.Paused {
				writeError(w, 409, fmt.Sprintf("You cannot remove a paused container %s. Unpause and then stop the container before attempting removal or force remove", c.id))
				return
			}
			writeError(w, 409, fmt.Sprintf("You cannot remove a running container %s. Stop the container before attempting removal or force remove", c.id))
			return
		}
		toStop = c
	})
	if toStop == nil {
		return
	}
	s.stop(toStop, "SIGKILL", 0)
	s.mu.Lock()
	s.removeLocked(toStop)
	if isTrue(r.URL.Query().Get("v")) {
		s.removeAnonymousVolumesLocked(toStop)
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func isTrue(v string) bool { return v == "1" || strings.EqualFold(v, "true") }

func (s *Server) handleContainerPrune(w http.ResponseWriter, r *http.Request, _ params) {
	var f map[string][]string
	if raw := r.URL.Query().Get("filters"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			writeError(w, 400, "invalid filter: "+err.Error())
			return
		}
	}
	for k := range f {
		if k != "label" && k != "label!" && k != "until" {
			writeError(w, 400, "invalid filter '"+k+"'")
			return
		}
	}
	s.mu.Lock()
	deleted := []string{}
	var reclaimed int64
	for _, c := range s.state.containers {
		if c.cur != nil || !labelsMatch(c.config.Labels, f["label"]) {
			continue
		}
		if len(f["label!"]) > 0 && labelsMatch(c.config.Labels, f["label!"]) {
			continue
		}
		if until, ok := parseEventTime(first(f["until"]), time.Now()); ok && !until.IsZero() && c.created.After(until) {
			continue
		}
		rw, _ := c.sizes()
		reclaimed += rw
		deleted = append(deleted, c.id)
		s.removeLocked(c)
	}
	s.mu.Unlock()
	s.Emit("container", "prune", "", map[string]string{"reclaimed": strconv.FormatInt(reclaimed, 10)})
	writeJSON(w, 200, map[string]any{"ContainersDeleted": deleted, "SpaceReclaimed": reclaimed})
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func (s *Server) handleContainerWait(w http.ResponseWriter, r *http.Request, p params) {
	cond := r.URL.Query().Get("condition")
	if cond != "" && cond != "not-running" && cond != "next-exit" && cond != "removed" {
		// Engines from 23 (API 1.42) refuse a condition they do not know
		// for requests of API 1.30 and later; 20.10 waits as for
		// not-running.
		if s.engineAtLeast("1.42") && atLeast(r, "1.30") {
			writeError(w, 400, fmt.Sprintf("invalid condition: %q", cond))
			return
		}
		cond = ""
	}
	if cond == "" {
		cond = "not-running"
	}
	var c *fakeContainer
	var ch <-chan struct{}
	s.withContainer(w, p, func(found *fakeContainer) {
		c = found
		switch cond {
		case "not-running":
			if c.cur == nil {
				closed := make(chan struct{})
				close(closed)
				ch = closed
			} else {
				ch = c.exited
			}
		case "next-exit":
			ch = c.exited
		case "removed":
			ch = c.removed
		}
	})
	if c == nil {
		return
	}
	// Like the Engine, answer the headers at once so the client knows the
	// wait is in place before it starts the container.
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	_ = http.NewResponseController(w).Flush()
	select {
	case <-ch:
	case <-r.Context().Done():
		return
	case <-s.done:
		return
	}
	s.mu.Lock()
	code := c.st.ExitCode
	s.mu.Unlock()
	_ = json.NewEncoder(w).Encode(map[string]any{"StatusCode": code, "Error": nil})
}

func (s *Server) handleContainerTop(w http.ResponseWriter, r *http.Request, p params) {
	s.withContainer(w, p, func(c *fakeContainer) {
		if c.cur == nil {
			writeError(w, 409, fmt.Sprintf("Container %s is not running", c.id))
			return
		}
		started := c.st.StartedAt.Format("15:04")
		procs := [][]string{{"root", strconv.Itoa(c.cur.pid), "1", "0", started, "?", "00:00:00", strings.Join(c.args(), " ")}}
		for _, id := range c.execIDs {
			if e := s.state.execs[id]; e != nil && e.running {
				procs = append(procs, []string{"root", strconv.Itoa(e.pid), strconv.Itoa(c.cur.pid), "0", started, "?", "00:00:00", strings.Join(e.config.Cmd, " ")})
			}
		}
		writeJSON(w, 200, map[string]any{"Titles": []string{"UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"}, "Processes": procs})
	})
}

func (s *Server) handleContainerChanges(w http.ResponseWriter, r *http.Request, p params) {
	s.withContainer(w, p, func(c *fakeContainer) {
		type change struct {
			Path string
			Kind int
		}
		out := []change{}
		base := c.image.files
		base.mu.Lock()
		c.files.mu.Lock()
		for k, n := range c.files.nodes {
			old, ok := base.nodes[k]
			switch {
			case !ok:
				out = append(out, change{k, 1})
			case string(old.data) != string(n.data) || old.mode != n.mode || old.link != n.link:
				out = append(out, change{k, 0})
			}
		}
		for k := range base.nodes {
			if _, ok := c.files.nodes[k]; !ok {
				out = append(out, change{k, 2})
			}
		}
		c.files.mu.Unlock()
		base.mu.Unlock()
		sortChanges(out, func(i int) string { return out[i].Path })
		writeJSON(w, 200, out)
	})
}

func (s *Server) handleContainerResize(w http.ResponseWriter, r *http.Request, p params) {
	q := r.URL.Query()
	if _, err := strconv.ParseUint(q.Get("h"), 10, 16); err != nil && q.Get("h") != "" {
		writeError(w, 400, "invalid height: "+q.Get("h"))
		return
	}
	if _, err := strconv.ParseUint(q.Get("w"), 10, 16); err != nil && q.Get("w") != "" {
		writeError(w, 400, "invalid width: "+q.Get("w"))
		return
	}
	s.withContainer(w, p, func(c *fakeContainer) {
		if c.cur == nil {
			writeError(w, 409, fmt.Sprintf("Container %s is not running", c.id))
			return
		}
		s.Emit("container", "resize", c.id, c.eventAttrs())
		w.WriteHeader(200)
	})
}
