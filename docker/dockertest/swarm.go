package dockertest

import (
	"crypto/rand"
	"encoding/json"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/swarm"
)

// The Engine's (20.10) answers when the node is in no swarm or already in
// one.
const (
	errNoManager = `This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.`
	errInSwarm   = `This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.`
	errNoSwarm   = "This node is not part of a swarm"
	errLastLeave = "You are attempting to leave the swarm on a node that is participating as a manager. " +
		"Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. "
	errOutOfSequence = "rpc error: code = Unknown desc = update out of sequence"
)

// fakeSwarm is the single-node swarm the fake manages once initialised.
// The Server's mu guards it.
type fakeSwarm struct {
	index     uint64 // the store's version, bumped by every write
	info      swarm.Info
	unlockKey string
	node      *swarm.Node
	services  map[string]*fakeService
	tasks     map[string]*fakeTask
	secrets   map[string]*fakeObject
	configs   map[string]*fakeObject
}

// next returns a new store version, as every write to the Engine's raft
// store does.
func (sw *fakeSwarm) next() swarm.Version {
	sw.index++
	return swarm.Version{Index: sw.index}
}

// swarmID returns a random 25-character id in swarmkit's style.
func swarmID() string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var b [25]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = digits[int(b[i])%len(digits)]
	}
	return string(b[:])
}

// swarmToken returns a join token (kind "") or an unlock key ("KEY").
func swarmToken(kind string) string {
	if kind == "KEY" {
		return "SWMKEY-1-" + swarmID() + swarmID()[:18]
	}
	return "SWMTKN-1-" + swarmID() + swarmID() + "-" + swarmID()
}

// withSwarm calls fn with s.mu held and the swarm; a node in no swarm
// answers 503 like the Engine.
func (s *Server) withSwarm(w http.ResponseWriter, fn func(sw *fakeSwarm)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.swarm == nil {
		writeError(w, http.StatusServiceUnavailable, errNoManager)
		return
	}
	fn(s.state.swarm)
}

// emitSwarm publishes a swarm-scoped event, as the Engine's managers log
// them.
func (s *Server) emitSwarm(typ, action, id string, attrs map[string]string) {
	now := time.Now()
	s.events.publish(docker.Event{Type: typ, Action: action, Actor: docker.EventActor{ID: id, Attributes: attrs},
		Scope: "swarm", Time: now.Unix(), TimeNano: now.UnixNano()})
}

// defaultSwarmSpec fills what the Engine fills in a new swarm's spec.
func defaultSwarmSpec(spec docker.SwarmSpec) docker.SwarmSpec {
	if spec.Name == "" {
		spec.Name = "default"
	}
	if spec.Labels == nil {
		spec.Labels = map[string]string{}
	}
	if spec.Orchestration == nil {
		limit := int64(5)
		spec.Orchestration = &docker.OrchestrationConfig{TaskHistoryRetentionLimit: &limit}
	}
	r := &spec.Raft
	if r.SnapshotInterval == 0 {
		r.SnapshotInterval = 10000
	}
	if r.KeepOldSnapshots == nil {
		var zero uint64
		r.KeepOldSnapshots = &zero
	}
	if r.LogEntriesForSlowFollowers == 0 {
		r.LogEntriesForSlowFollowers = 500
	}
	if r.ElectionTick == 0 {
		r.ElectionTick = 10
	}
	if r.HeartbeatTick == 0 {
		r.HeartbeatTick = 1
	}
	if spec.Dispatcher == nil {
		spec.Dispatcher = &docker.DispatcherConfig{HeartbeatPeriod: 5 * time.Second}
	}
	if spec.CAConfig == nil {
		spec.CAConfig = &docker.CAConfig{NodeCertExpiry: 90 * 24 * time.Hour}
	}
	spec.CAConfig.SigningCAKey = "" // never reported back
	return spec
}

func (s *Server) handleSwarmInit(w http.ResponseWriter, r *http.Request, _ params) {
	var req swarm.InitRequest
	if !decodeBody(w, r, &req) {
		return
	}
	listen := req.ListenAddr
	if listen == "" {
		listen = "0.0.0.0:2377"
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid listen address "+listen+": "+err.Error())
		return
	}
	advertise := req.AdvertiseAddr
	if advertise == "" {
		if host == "0.0.0.0" || host == "" {
			host = "127.0.0.1"
		}
		advertise = net.JoinHostPort(host, port)
	} else if _, _, err := net.SplitHostPort(advertise); err != nil {
		advertise = net.JoinHostPort(advertise, port)
	}
	advHost, _, _ := net.SplitHostPort(advertise)
	s.mu.Lock()
	if s.state.swarm != nil {
		s.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, errInSwarm)
		return
	}
	now := time.Now().UTC()
	sw := &fakeSwarm{services: map[string]*fakeService{}, tasks: map[string]*fakeTask{},
		secrets: map[string]*fakeObject{}, configs: map[string]*fakeObject{}}
	availability := req.Availability
	if availability == "" {
		availability = swarm.AvailabilityActive
	}
	node := &swarm.Node{ID: swarmID(), Version: sw.next(), CreatedAt: now, UpdatedAt: now,
		Spec: swarm.NodeSpec{Labels: map[string]string{}, Role: swarm.RoleManager, Availability: availability},
		Description: swarm.NodeDescription{
			Hostname:  "dockertest",
			Platform:  swarm.Platform{Architecture: runtime.GOARCH, OS: "linux"},
			Resources: swarm.Resources{NanoCPUs: int64(runtime.NumCPU()) * 1e9, MemoryBytes: 8 << 30},
			Engine:    swarm.EngineDescription{EngineVersion: engineVersion, Plugins: []swarm.PluginDescription{{Type: "Log", Name: "json-file"}, {Type: "Network", Name: "bridge"}, {Type: "Volume", Name: "local"}}},
		},
		Status:        swarm.NodeStatus{State: swarm.NodeStateReady, Addr: advHost},
		ManagerStatus: &swarm.ManagerStatus{Leader: true, Reachability: swarm.ReachabilityReachable, Addr: advertise},
	}
	sw.node = node
	pool, subnet := req.DefaultAddrPool, req.SubnetSize
	if len(pool) == 0 {
		pool = []string{"10.0.0.0/8"}
	}
	if subnet == 0 {
		subnet = 24
	}
	dataPort := req.DataPathPort
	if dataPort == 0 {
		dataPort = 4789
	}
	spec := defaultSwarmSpec(req.Spec)
	if req.AutoLockManagers {
		spec.EncryptionConfig.AutoLockManagers = true
	}
	sw.info = swarm.Info{
		ClusterInfo: docker.ClusterInfo{ID: swarmID(), Version: sw.next(), CreatedAt: now, UpdatedAt: now, Spec: spec,
			TLSInfo:         docker.TLSInfo{TrustRoot: "-----BEGIN CERTIFICATE-----\ndockertest\n-----END CERTIFICATE-----\n"},
			DefaultAddrPool: pool, SubnetSize: subnet, DataPathPort: dataPort},
		JoinTokens: swarm.JoinTokens{Worker: swarmToken(""), Manager: swarmToken("")},
	}
	if spec.EncryptionConfig.AutoLockManagers {
		sw.unlockKey = swarmToken("KEY")
	}
	s.state.swarm = sw
	s.mu.Unlock()
	s.emitSwarm("node", "create", node.ID, map[string]string{"name": node.Description.Hostname})
	writeJSON(w, http.StatusOK, node.ID)
}

func (s *Server) handleSwarmJoin(w http.ResponseWriter, r *http.Request, _ params) {
	var req swarm.JoinRequest
	if !decodeBody(w, r, &req) {
		return
	}
	s.mu.Lock()
	in := s.state.swarm != nil
	s.mu.Unlock()
	if in {
		writeError(w, http.StatusServiceUnavailable, errInSwarm)
		return
	}
	writeError(w, http.StatusNotImplemented, "dockertest: joining another swarm is not implemented by the fake Engine")
}

func (s *Server) handleSwarmInspect(w http.ResponseWriter, r *http.Request, _ params) {
	s.withSwarm(w, func(sw *fakeSwarm) {
		writeJSON(w, http.StatusOK, sw.info)
	})
}

func (s *Server) handleSwarmUpdate(w http.ResponseWriter, r *http.Request, _ params) {
	var spec docker.SwarmSpec
	if !decodeBody(w, r, &spec) {
		return
	}
	q := r.URL.Query()
	version, err := strconv.ParseUint(q.Get("version"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid swarm version '"+q.Get("version")+"': "+err.Error())
		return
	}
	s.withSwarm(w, func(sw *fakeSwarm) {
		if version != sw.info.Version.Index {
			writeError(w, http.StatusInternalServerError, errOutOfSequence)
			return
		}
		spec = defaultSwarmSpec(spec)
		sw.info.Spec = spec
		if isTrue(q.Get("rotateWorkerToken")) {
			sw.info.JoinTokens.Worker = swarmToken("")
		}
		if isTrue(q.Get("rotateManagerToken")) {
			sw.info.JoinTokens.Manager = swarmToken("")
		}
		switch {
		case !spec.EncryptionConfig.AutoLockManagers:
			sw.unlockKey = ""
		case sw.unlockKey == "" || isTrue(q.Get("rotateManagerUnlockKey")):
			sw.unlockKey = swarmToken("KEY")
		}
		sw.info.Version, sw.info.UpdatedAt = sw.next(), time.Now().UTC()
		w.WriteHeader(http.StatusOK)
	})
}

func (s *Server) handleSwarmLeave(w http.ResponseWriter, r *http.Request, _ params) {
	force := isTrue(r.URL.Query().Get("force"))
	s.mu.Lock()
	sw := s.state.swarm
	switch {
	case sw == nil:
		s.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, errNoSwarm)
		return
	case !force:
		s.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, errLastLeave)
		return
	}
	s.state.swarm = nil
	var stop []*fakeContainer
	for _, t := range sw.tasks {
		t.DesiredState = swarm.TaskStateShutdown
		if t.ctr != nil {
			stop = append(stop, t.ctr)
		}
	}
	s.mu.Unlock()
	for _, c := range stop {
		go s.stopAndRemove(c)
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) handleSwarmUnlockKey(w http.ResponseWriter, r *http.Request, _ params) {
	s.withSwarm(w, func(sw *fakeSwarm) {
		writeJSON(w, http.StatusOK, map[string]string{"UnlockKey": sw.unlockKey})
	})
}

func (s *Server) handleSwarmUnlock(w http.ResponseWriter, r *http.Request, _ params) {
	var body struct{ UnlockKey string }
	if !decodeBody(w, r, &body) {
		return
	}
	s.withSwarm(w, func(*fakeSwarm) {
		// The fake never restarts, so its manager is never locked.
		writeError(w, http.StatusConflict, "swarm is not locked")
	})
}

// swarmInfo fills GET /info's Swarm; the caller holds s.mu.
func (st *state) swarmInfo() docker.SwarmInfo {
	sw := st.swarm
	if sw == nil {
		return docker.SwarmInfo{LocalNodeState: "inactive", RemoteManagers: nil}
	}
	cluster := sw.info.ClusterInfo
	return docker.SwarmInfo{NodeID: sw.node.ID, NodeAddr: sw.node.Status.Addr, LocalNodeState: "active", ControlAvailable: true,
		RemoteManagers: []docker.PeerNode{{NodeID: sw.node.ID, Addr: sw.node.ManagerStatus.Addr}}, Nodes: 1, Managers: 1,
		Cluster: &cluster}
}

// swarmHeader is the Swarm header of GET /_ping; the caller holds s.mu.
func (st *state) swarmHeader() string {
	if st.swarm == nil {
		return "inactive"
	}
	return "active/manager"
}

// redactSwarmBody hides the secrets of swarm request bodies before they
// are recorded: secret data, join tokens, unlock keys and CA signing keys.
func redactSwarmBody(op string, b []byte) []byte {
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return []byte(`"[redacted]"`)
	}
	hide := func(m map[string]any, k string) {
		if _, ok := m[k]; ok {
			m[k] = "[redacted]"
		}
	}
	switch op {
	case "SecretCreate", "SecretUpdate":
		hide(m, "Data")
	case "SwarmJoin":
		hide(m, "JoinToken")
	case "SwarmUnlock":
		hide(m, "UnlockKey")
	case "SwarmInit", "SwarmUpdate":
		spec := m
		if op == "SwarmInit" {
			spec, _ = m["Spec"].(map[string]any)
		}
		if ca, ok := spec["CAConfig"].(map[string]any); ok {
			hide(ca, "SigningCAKey")
		}
	}
	out, _ := json.Marshal(m)
	return out
}

// redactedOps are the operations whose bodies redactSwarmBody cleans.
var redactedOps = map[string]bool{"SecretCreate": true, "SecretUpdate": true, "SwarmJoin": true, "SwarmUnlock": true,
	"SwarmInit": true, "SwarmUpdate": true}

// swarmRoutes registers the swarm endpoints.
func (s *Server) swarmRoutes() {
	rt := &s.router
	const get, post, del = http.MethodGet, http.MethodPost, http.MethodDelete

	rt.add(post, "/swarm/init", "SwarmInit", s.handleSwarmInit)
	rt.add(post, "/swarm/join", "SwarmJoin", s.handleSwarmJoin)
	rt.add(post, "/swarm/leave", "SwarmLeave", s.handleSwarmLeave)
	rt.add(get, "/swarm", "SwarmInspect", s.handleSwarmInspect)
	rt.add(post, "/swarm/update", "SwarmUpdate", s.handleSwarmUpdate)
	rt.add(get, "/swarm/unlockkey", "SwarmUnlockkey", s.handleSwarmUnlockKey)
	rt.add(post, "/swarm/unlock", "SwarmUnlock", s.handleSwarmUnlock)

	rt.add(get, "/nodes", "NodeList", s.handleNodeList)
	rt.add(get, "/nodes/{id}", "NodeInspect", s.handleNodeInspect)
	rt.add(post, "/nodes/{id}/update", "NodeUpdate", s.handleNodeUpdate)
	rt.add(del, "/nodes/{id}", "NodeDelete", s.handleNodeRemove)

	rt.add(get, "/services", "ServiceList", s.handleServiceList)
	rt.add(post, "/services/create", "ServiceCreate", s.handleServiceCreate)
	rt.add(get, "/services/{id}", "ServiceInspect", s.handleServiceInspect)
	rt.add(post, "/services/{id}/update", "ServiceUpdate", s.handleServiceUpdate)
	rt.add(del, "/services/{id}", "ServiceDelete", s.handleServiceRemove)
	rt.add(get, "/services/{id}/logs", "ServiceLogs", s.handleServiceLogs)

	rt.add(get, "/tasks", "TaskList", s.handleTaskList)
	rt.add(get, "/tasks/{id}", "TaskInspect", s.handleTaskInspect)
	rt.add(get, "/tasks/{id}/logs", "TaskLogs", s.handleTaskLogs)

	for _, k := range []struct {
		kind objectKind
		base string
		op   string
	}{{secretKind, "/secrets", "Secret"}, {configKind, "/configs", "Config"}} {
		list, create, inspect, update, remove := s.objectHandlers(k.kind)
		rt.add(get, k.base, k.op+"List", list)
		rt.add(post, k.base+"/create", k.op+"Create", create)
		rt.add(get, k.base+"/{id}", k.op+"Inspect", inspect)
		rt.add(post, k.base+"/{id}/update", k.op+"Update", update)
		rt.add(del, k.base+"/{id}", k.op+"Delete", remove)
	}
}
