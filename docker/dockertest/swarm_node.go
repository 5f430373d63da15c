package dockertest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/swarm"
)

// swarmFilters reads the filters parameter, refusing keys not in allowed.
func swarmFilters(w http.ResponseWriter, r *http.Request, allowed ...string) (map[string][]string, bool) {
	var f map[string][]string
	if raw := r.URL.Query().Get("filters"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			writeError(w, http.StatusBadRequest, "invalid filter: "+err.Error())
			return nil, false
		}
	}
	for k := range f {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if !ok {
			writeError(w, http.StatusBadRequest, "invalid filter '"+k+"'")
			return nil, false
		}
	}
	return f, true
}

// anyOf reports whether no value is given for key or one of them matches.
func anyOf(f map[string][]string, key string, match func(v string) bool) bool {
	vs := f[key]
	if len(vs) == 0 {
		return true
	}
	for _, v := range vs {
		if match(v) {
			return true
		}
	}
	return false
}

// readVersion reads the version parameter every swarm update needs.
func readVersion(w http.ResponseWriter, r *http.Request) (uint64, bool) {
	v := r.URL.Query().Get("version")
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid version '"+v+"': "+err.Error())
		return 0, false
	}
	return n, true
}

// findNode resolves the node by id, id prefix or hostname.
func (sw *fakeSwarm) findNode(ref string) *swarm.Node {
	n := sw.node
	if n.ID == ref || n.Description.Hostname == ref || n.Spec.Name == ref || ref != "" && strings.HasPrefix(n.ID, ref) {
		return n
	}
	return nil
}

func (s *Server) handleNodeList(w http.ResponseWriter, r *http.Request, _ params) {
	f, ok := swarmFilters(w, r, "id", "label", "membership", "name", "node.label", "role")
	if !ok {
		return
	}
	s.withSwarm(w, func(sw *fakeSwarm) {
		n := sw.node
		out := []swarm.Node{}
		if anyOf(f, "id", func(v string) bool { return strings.HasPrefix(n.ID, v) }) &&
			anyOf(f, "name", func(v string) bool {
				return strings.HasPrefix(n.Description.Hostname, v) || strings.HasPrefix(n.Spec.Name, v)
			}) &&
			anyOf(f, "role", func(v string) bool { return v == string(n.Spec.Role) }) &&
			anyOf(f, "membership", func(v string) bool { return v == "accepted" }) &&
			labelsMatch(n.Description.Engine.Labels, f["label"]) && labelsMatch(n.Spec.Labels, f["node.label"]) {
			out = append(out, *n)
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) handleNodeInspect(w http.ResponseWriter, r *http.Request, p params) {
	s.withSwarm(w, func(sw *fakeSwarm) {
		n := sw.findNode(p["id"])
		if n == nil {
			writeError(w, http.StatusNotFound, "node "+p["id"]+" not found")
			return
		}
		writeJSON(w, http.StatusOK, n)
	})
}

func (s *Server) handleNodeUpdate(w http.ResponseWriter, r *http.Request, p params) {
	var spec swarm.NodeSpec
	if !decodeBody(w, r, &spec) {
		return
	}
	version, ok := readVersion(w, r)
	if !ok {
		return
	}
	var services []string // reconciled after a change of availability
	defer func() {
		for _, id := range services {
			s.reconcile(id)
		}
	}()
	s.withSwarm(w, func(sw *fakeSwarm) {
		n := sw.findNode(p["id"])
		switch {
		case n == nil:
			writeError(w, http.StatusNotFound, "node "+p["id"]+" not found")
			return
		case spec.Role == swarm.RoleWorker:
			writeError(w, http.StatusBadRequest, "rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm")
			return
		case spec.Availability != "" && spec.Availability != swarm.AvailabilityActive &&
			spec.Availability != swarm.AvailabilityPause && spec.Availability != swarm.AvailabilityDrain:
			writeError(w, http.StatusBadRequest, "invalid Availability: \""+string(spec.Availability)+"\"")
			return
		case version != n.Version.Index:
			writeError(w, http.StatusInternalServerError, errOutOfSequence)
			return
		}
		if spec.Role == "" {
			spec.Role = swarm.RoleManager
		}
		if spec.Availability == "" {
			spec.Availability = swarm.AvailabilityActive
		}
		if spec.Labels == nil {
			spec.Labels = map[string]string{}
		}
		if spec.Availability != n.Spec.Availability {
			for id := range sw.services {
				services = append(services, id)
			}
		}
		n.Spec, n.Version, n.UpdatedAt = spec, sw.next(), time.Now().UTC()
		s.emitSwarm("node", "update", n.ID, map[string]string{"name": n.Description.Hostname})
		w.WriteHeader(http.StatusOK)
	})
}

func (s *Server) handleNodeRemove(w http.ResponseWriter, r *http.Request, p params) {
	s.withSwarm(w, func(sw *fakeSwarm) {
		n := sw.findNode(p["id"])
		if n == nil {
			writeError(w, http.StatusNotFound, "node "+p["id"]+" not found")
			return
		}
		// The only node is this manager, which the Engine never removes.
		writeError(w, http.StatusBadRequest, "rpc error: code = FailedPrecondition desc = node "+n.ID+
			" is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal")
	})
}
