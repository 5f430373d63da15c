package dockertest

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/stream"
)

func (s *Server) handleImageList(w http.ResponseWriter, r *http.Request, _ params) {
	var f map[string][]string
	if raw := r.URL.Query().Get("filters"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			writeError(w, 400, "invalid filter: "+err.Error())
			return
		}
	}
	for k := range f {
		switch k {
		case "dangling", "label", "before", "since", "reference":
		case "until": // Engines from 25 (API 1.44), for every request
			if s.engineAtLeast("1.44") {
				continue
			}
			fallthrough
		default:
			writeError(w, 400, "invalid filter '"+k+"'")
			return
		}
	}
	var until time.Time
	if v := first(f["until"]); v != "" {
		var ok bool
		if until, ok = parseEventTime(v, time.Now()); !ok {
			writeError(w, 400, "invalid filter 'until="+v+"'")
			return
		}
	}
	q := r.URL.Query()
	sharedSize := atLeast(r, "1.42") && isTrue(q.Get("shared-size"))
	s.mu.Lock()
	// before and since name an image: the list keeps those created
	// before, or after, it.
	var before, since *fakeImage
	for key, dst := range map[string]**fakeImage{"before": &before, "since": &since} {
		if v := first(f[key]); v != "" {
			if *dst = s.state.findImage(v); *dst == nil {
				s.mu.Unlock()
				writeError(w, 404, "No such image: "+v)
				return
			}
		}
	}
	var shared map[string]int64
	if sharedSize {
		shared = s.state.sharedSizes()
	}
	out := []image.Summary{}
	for _, im := range s.state.images {
		tags := s.state.repoTags(im.id)
		if !labelsMatch(im.labels, f["label"]) {
			continue
		}
		if d := first(f["dangling"]); d != "" && (d == "true") != (len(tags) == 0) {
			continue
		}
		if refs := f["reference"]; len(refs) > 0 && !matchesAnyRef(tags, refs) {
			continue
		}
		if before != nil && !im.created.Before(before.created) || since != nil && !im.created.After(since.created) ||
			!until.IsZero() && im.created.After(until) {
			continue
		}
		// Before 1.51 the list counts no containers (only GET /system/df
		// does); shared-size came with 1.42.
		out = append(out, s.state.imageSummary(im, r, shared, atLeast(r, "1.51")))
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Created > out[j].Created })
	writeJSON(w, 200, out)
}

// imageSummary is im as the image list (and GET /system/df) of the
// request's API version shows it: with SharedSize from shared when that is
// not nil (-1 otherwise), with the number of its containers when count is
// set (-1 otherwise). The caller holds s.mu.
func (st *state) imageSummary(im *fakeImage, r *http.Request, shared map[string]int64, count bool) image.Summary {
	tags := st.repoTags(im.id)
	sum := image.Summary{ID: im.id, ParentID: im.parent, RepoTags: tags, RepoDigests: []string{}, Created: im.created.Unix(),
		Size: im.size(), SharedSize: -1, Labels: im.labels, Containers: -1}
	if shared != nil {
		sum.SharedSize = shared[im.id]
	}
	if count {
		sum.Containers = 0
		for _, c := range st.containers {
			if c.image == im {
				sum.Containers++
			}
		}
	}
	if !atLeast(r, "1.43") && len(tags) == 0 { // 1.43 dropped the placeholders
		sum.RepoTags, sum.RepoDigests = []string{"<none>:<none>"}, []string{"<none>@<none>"}
	}
	if !atLeast(r, "1.44") { // 1.44 dropped VirtualSize
		sum.VirtualSize = sum.Size
	}
	return sum
}

// handleImageAttestations answers GET /images/{name}/attestations as an
// Engine with a graphdriver image store does (the fake keeps no manifests
// to attach statements to); Engines before API 1.55 have no such route.
func (s *Server) handleImageAttestations(w http.ResponseWriter, r *http.Request, _ params) {
	if !s.engineAtLeast("1.55") {
		writeError(w, 404, "page not found")
		return
	}
	writeError(w, 501, "the legacy image store does not support attestations")
}

func matchesAnyRef(tags, patterns []string) bool {
	for _, t := range tags {
		for _, p := range patterns {
			if t == p || strings.HasPrefix(t, p+":") {
				return true
			}
		}
	}
	return false
}

// eventAttrs are the attributes of an event about im: its labels, and the
// name the event is about, as the Engine sends them. (A "delete" event has
// no labels: the Engine looks them up after the image is gone.)
func (im *fakeImage) eventAttrs(name string) map[string]string {
	attrs := map[string]string{}
	for k, v := range im.labels {
		attrs[k] = v
	}
	attrs["name"] = name
	return attrs
}

func (s *Server) withImage(w http.ResponseWriter, p params, fn func(im *fakeImage)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	im := s.state.findImage(p["name"])
	if im == nil {
		writeError(w, 404, "No such image: "+p["name"])
		return
	}
	fn(im)
}

func (s *Server) handleImageInspect(w http.ResponseWriter, r *http.Request, p params) {
	s.withImage(w, p, func(im *fakeImage) {
		cfg := im.config
		d := image.Details{ID: im.id, RepoTags: s.state.repoTags(im.id), RepoDigests: []string{}, Created: im.created,
			Config: &cfg, Architecture: "amd64", OS: "linux", Size: im.size(), Comment: im.comment, Author: im.author, Parent: im.parent}
		d.RootFS.Type = "layers"
		if !atLeast(r, "1.44") { // 1.44 dropped VirtualSize
			d.VirtualSize = d.Size
		}
		writeJSON(w, 200, d)
	})
}

func (s *Server) handleImageTag(w http.ResponseWriter, r *http.Request, p params) {
	q := r.URL.Query()
	ref := q.Get("repo")
	if t := q.Get("tag"); t != "" {
		ref += ":" + t
	}
	n, ok := normalize(ref)
	if !ok {
		writeError(w, 400, "invalid reference format")
		return
	}
	s.withImage(w, p, func(im *fakeImage) {
		s.state.tags[n] = im.id
		s.Emit("image", "tag", im.id, im.eventAttrs(familiar(n)))
		w.WriteHeader(201)
	})
}

func (s *Server) handleImageDelete(w http.ResponseWriter, r *http.Request, p params) {
	force := isTrue(r.URL.Query().Get("force"))
	s.withImage(w, p, func(im *fakeImage) {
		for _, c := range s.state.containers {
			if c.image == im && (!force || c.cur != nil) {
				writeError(w, 409, "conflict: unable to delete "+shortID(im.id)+" (must be forced) - image is being used by stopped container "+shortID(c.id))
				return
			}
		}
		var out []image.DeleteResponse
		name := p["name"]
		if n, ok := normalize(name); ok && s.state.tags[n] == im.id {
			tags := s.state.repoTags(im.id)
			delete(s.state.tags, n)
			out = append(out, image.DeleteResponse{Untagged: familiar(n)})
			if len(tags) > 1 {
				s.Emit("image", "untag", im.id, im.eventAttrs(familiar(n)))
				writeJSON(w, 200, out)
				return
			}
		} else {
			if len(s.state.repoTags(im.id)) > 1 && !force {
				writeError(w, 409, "conflict: unable to delete "+shortID(im.id)+" (must be forced) - image is referenced in multiple repositories")
				return
			}
			for ref, id := range s.state.tags {
				if id == im.id {
					delete(s.state.tags, ref)
					out = append(out, image.DeleteResponse{Untagged: familiar(ref)})
				}
			}
		}
		delete(s.state.images, im.id)
		out = append(out, image.DeleteResponse{Deleted: im.id})
		s.Emit("image", "delete", im.id, map[string]string{"name": im.id})
		writeJSON(w, 200, out)
	})
}

func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// handleImageCreate serves pulls of images the fake knows (AddImage): it
// answers with the progress messages of an image that is up to date. An
// unknown image gets the Engine's answer for a missing repository.
func (s *Server) handleImageCreate(w http.ResponseWriter, r *http.Request, _ params) {
	q := r.URL.Query()
	ref := q.Get("fromImage")
	if ref == "" {
		writeError(w, 501, "dockertest: importing images (fromSrc) is not implemented")
		return
	}
	if t := q.Get("tag"); t != "" {
		if strings.HasPrefix(t, "sha256:") {
			ref += "@" + t
		} else {
			ref += ":" + t
		}
	}
	n, ok := normalize(ref)
	if !ok {
		writeError(w, 400, "invalid reference format")
		return
	}
	s.mu.Lock()
	im := s.state.findImage(n)
	s.mu.Unlock()
	if im == nil {
		r, _ := image.ParseReference(n)
		writeError(w, 404, "pull access denied for "+r.FamiliarName()+", repository does not exist or may require 'docker login': denied: requested access to the resource is denied")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	enc := json.NewEncoder(w)
	rr, _ := image.ParseReference(n)
	tag := rr.Tag
	if tag == "" {
		tag = "latest"
	}
	_ = enc.Encode(stream.Progress{Status: "Pulling from " + rr.FamiliarName(), ID: tag})
	_ = enc.Encode(stream.Progress{Status: "Digest: sha256:" + strings.TrimPrefix(im.id, "sha256:")})
	_ = enc.Encode(stream.Progress{Status: "Status: Image is up to date for " + familiar(n)})
	s.Emit("image", "pull", familiar(n), im.eventAttrs(familiar(n)))
}

func (s *Server) handleImageHistory(w http.ResponseWriter, r *http.Request, p params) {
	s.withImage(w, p, func(im *fakeImage) {
		writeJSON(w, 200, []image.HistoryItem{{ID: im.id, Created: im.created.Unix(), CreatedBy: "dockertest AddImage",
			Tags: s.state.repoTags(im.id), Size: im.size(), Comment: im.comment}})
	})
}
