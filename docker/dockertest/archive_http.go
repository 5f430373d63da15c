package dockertest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
)

// pathStatHeader is the header GET and HEAD /containers/{id}/archive
// answer with: the base64 of the path's stat as JSON.
const pathStatHeader = "X-Docker-Container-Path-Stat"

// archiveTarget resolves {id} and the path query parameter.
func (s *Server) archiveTarget(w http.ResponseWriter, r *http.Request, p params) (*fakeContainer, string, pathStat, bool) {
	name := r.URL.Query().Get("path")
	if name == "" {
		writeError(w, 400, "path parameter is required")
		return nil, "", pathStat{}, false
	}
	var c *fakeContainer
	s.withContainer(w, p, func(found *fakeContainer) { c = found })
	if c == nil {
		return nil, "", pathStat{}, false
	}
	st, ok := c.files.stat(name)
	if !ok {
		writeError(w, 404, fmt.Sprintf("Could not find the file %s in container %s", name, p["id"]))
		return nil, "", pathStat{}, false
	}
	return c, name, st, true
}

func setStatHeader(w http.ResponseWriter, st pathStat) {
	b, _ := json.Marshal(st)
	w.Header().Set(pathStatHeader, base64.StdEncoding.EncodeToString(b))
}

func (s *Server) handleArchiveStat(w http.ResponseWriter, r *http.Request, p params) {
	if _, _, st, ok := s.archiveTarget(w, r, p); ok {
		setStatHeader(w, st)
		w.WriteHeader(200)
	}
}

func (s *Server) handleArchiveGet(w http.ResponseWriter, r *http.Request, p params) {
	c, name, st, ok := s.archiveTarget(w, r, p)
	if !ok {
		return
	}
	setStatHeader(w, st)
	w.Header().Set("Content-Type", "application/x-tar")
	w.WriteHeader(200)
	_ = c.files.writeTar(w, name)
}

func (s *Server) handleArchivePut(w http.ResponseWriter, r *http.Request, p params) {
	q := r.URL.Query()
	dir := q.Get("path")
	if dir == "" {
		writeError(w, 400, "path parameter is required")
		return
	}
	var c *fakeContainer
	s.withContainer(w, p, func(found *fakeContainer) { c = found })
	if c == nil {
		return
	}
	st, ok := c.files.stat(dir)
	if !ok {
		writeError(w, 404, fmt.Sprintf("Could not find the file %s in container %s", dir, p["id"]))
		return
	}
	if !st.Mode.IsDir() {
		writeError(w, 400, "extraction point is not a directory")
		return
	}
	var uid, gid *int
	if isTrue(q.Get("copyUIDGID")) {
		zero := 0
		uid, gid = &zero, &zero
	}
	if err := c.files.extractTar(r.Body, dir, isTrue(q.Get("noOverwriteDirNonDir")), uid, gid); err != nil {
		status := 400
		if errors.Is(err, errDirNonDir) {
			status = 409
		}
		writeError(w, status, err.Error())
		return
	}
	_, _ = io.Copy(io.Discard, r.Body)
	s.mu.Lock()
	attrs := c.eventAttrs()
	s.mu.Unlock()
	attrs["path"] = path.Clean(dir)
	s.Emit("container", "extract-to-dir", c.id, attrs)
	w.WriteHeader(200)
}

func (s *Server) handleContainerExport(w http.ResponseWriter, r *http.Request, p params) {
	var c *fakeContainer
	s.withContainer(w, p, func(found *fakeContainer) { c = found })
	if c == nil {
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(200)
	_ = c.files.writeTar(w, "/")
	s.mu.Lock()
	attrs := c.eventAttrs()
	s.mu.Unlock()
	s.Emit("container", "export", c.id, attrs)
}
