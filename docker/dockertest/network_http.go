package dockertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/network"
)

// networkJSON is a network as GET /networks and GET /networks/{id} answer.
type networkJSON struct {
	Name       string
	ID         string `json:"Id"`
	Created    time.Time
	Scope      string
	Driver     string
	EnableIPv4 *bool `json:",omitempty"` // API >= 1.48
	EnableIPv6 bool
	IPAM       ipamJSON
	Internal   bool
	Attachable bool
	Ingress    bool
	ConfigFrom network.ConfigReference
	ConfigOnly bool
	Containers *map[string]network.EndpointResource `json:",omitempty"`
	Options    map[string]string
	Labels     map[string]string
	Status     *network.Status `json:",omitempty"` // inspect, API >= 1.52
}

// ipamJSON is IPAM as the Engine sends it: nulls and empty lists included.
type ipamJSON struct {
	Driver  string
	Options map[string]string
	Config  []network.IPAMConfig
}

// render answers n for r; inspect adds the live endpoints (and, from API
// 1.52, the address counts).
func (n *fakeNetwork) render(r *http.Request, inspect bool, st *state) networkJSON {
	out := networkJSON{Name: n.name, ID: n.id, Created: n.created, Scope: n.scope, Driver: n.driver,
		EnableIPv6: n.enableIPv6, Internal: n.internal, Attachable: n.attachable, Ingress: n.ingress,
		ConfigFrom: network.ConfigReference{Network: n.configFrom}, ConfigOnly: n.configOnly,
		IPAM:    ipamJSON{Driver: n.ipamDriver, Options: n.ipamOptions, Config: append([]network.IPAMConfig{}, n.ipamConfig...)},
		Options: n.options, Labels: n.labels}
	if atLeast(r, "1.48") { // EnableIPv4 came with 1.48
		v4 := len(n.pools) > 0 || n.driver == "null" || n.driver == "host"
		out.EnableIPv4 = &v4
	}
	if !inspect {
		if !atLeast(r, "1.52") {
			empty := map[string]network.EndpointResource{}
			out.Containers = &empty // Engine 20.10 lists an empty map
		}
		return out
	}
	eps := map[string]network.EndpointResource{}
	for id, ep := range n.endpoints {
		res := network.EndpointResource{EndpointID: ep.id, MacAddress: ep.mac}
		if c := st.containers[id]; c != nil {
			res.Name = c.name[1:]
		}
		if ep.ip.IsValid() {
			for _, p := range n.pools {
				if p.subnet.Contains(ep.ip) {
					res.IPv4Address = netip.PrefixFrom(ep.ip, p.subnet.Bits()).String()
				}
			}
		}
		eps[id] = res
	}
	out.Containers = &eps
	if atLeast(r, "1.52") {
		out.Status = &network.Status{IPAM: network.IPAMStatus{Subnets: map[string]network.SubnetStatus{}}}
		for _, p := range n.pools {
			out.Status.IPAM.Subnets[p.subnet.String()] = p.status()
		}
	}
	return out
}

// status counts the addresses of a pool: those taken, plus the subnet's
// network and broadcast addresses, and the free ones of the dynamic range.
func (p *ipPool) status() network.SubnetStatus {
	size := uint64(1) << (32 - p.rng.Bits())
	inRange := uint64(0)
	for a := range p.used {
		if p.rng.Contains(a) {
			inRange++
		}
	}
	reserved := uint64(1) // the range's first address is never handed out
	if lastAddr(p.rng) == lastAddr(p.subnet) {
		reserved++
	}
	free := uint64(0)
	if size > inRange+reserved {
		free = size - inRange - reserved
	}
	return network.SubnetStatus{IPsInUse: uint64(len(p.used)) + 2, DynamicIPsAvailable: free}
}

// withNetwork resolves {id} and calls fn with s.mu held; a missing network
// answers 404, an ambiguous name 400, as the Engine does.
func (s *Server) withNetwork(w http.ResponseWriter, p params, inspect bool, fn func(n *fakeNetwork)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, status, msg := s.state.findNetwork(p["id"], inspect)
	if n == nil {
		writeError(w, status, msg)
		return
	}
	fn(n)
}

// readFilters decodes the filters parameter (the map form and the old
// {"key": {"value": true}} form) and checks its keys against allowed.
func readFilters(w http.ResponseWriter, r *http.Request, allowed ...string) (map[string][]string, bool) {
	raw := r.URL.Query().Get("filters")
	f := map[string][]string{}
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			var old map[string]map[string]bool
			if json.Unmarshal([]byte(raw), &old) != nil {
				writeError(w, 400, "invalid filter: "+err.Error())
				return nil, false
			}
			for k, vs := range old {
				for v, on := range vs {
					if on {
						f[k] = append(f[k], v)
					}
				}
			}
		}
	}
	for k := range f {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if !ok {
			writeError(w, 400, "Invalid filter '"+k+"'")
			return nil, false
		}
	}
	return f, true
}

// matchAny reports whether no values are given, or ok holds for one.
func matchAny(values []string, ok func(v string) bool) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		if ok(v) {
			return true
		}
	}
	return false
}

// regexpMatch is the Engine's name and id filter: a regular expression, or
// a plain substring when it does not compile.
func regexpMatch(pattern, s string) bool {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return strings.Contains(s, pattern)
	}
	return re.MatchString(s)
}

// parseDangling reads a dangling filter value.
func parseDangling(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

func (s *Server) handleNetworkList(w http.ResponseWriter, r *http.Request, _ params) {
	f, ok := readFilters(w, r, "dangling", "driver", "id", "label", "name", "scope", "type")
	if !ok {
		return
	}
	for _, v := range f["type"] {
		if v != "custom" && v != "builtin" {
			writeError(w, 500, fmt.Sprintf("invalid filter: 'type'='%s'", v))
			return
		}
	}
	var dangling *bool
	if len(f["dangling"]) > 1 {
		writeError(w, 400, `got more than one value for filter key "dangling"`)
		return
	}
	for _, v := range f["dangling"] {
		d, ok := parseDangling(v)
		if !ok {
			writeError(w, 400, `invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")`)
			return
		}
		dangling = &d
	}
	s.mu.Lock()
	out := []networkJSON{}
	for _, n := range s.state.sortedNetworks() {
		match := matchAny(f["name"], func(v string) bool { return regexpMatch(v, n.name) }) &&
			matchAny(f["id"], func(v string) bool { return regexpMatch(v, n.id) }) &&
			matchAny(f["driver"], func(v string) bool { return v == n.driver }) &&
			matchAny(f["scope"], func(v string) bool { return v == n.scope }) &&
			matchAny(f["type"], func(v string) bool { return (v == "builtin") == n.predefined }) &&
			labelsMatch(n.labels, f["label"]) &&
			(dangling == nil || *dangling == !n.predefined) // like Engine 20.10: containers are not counted
		if match {
			out = append(out, n.render(r, false, s.state))
		}
	}
	s.mu.Unlock()
	writeJSON(w, 200, out)
}

func (s *Server) handleNetworkInspect(w http.ResponseWriter, r *http.Request, p params) {
	scope := r.URL.Query().Get("scope")
	s.withNetwork(w, p, true, func(n *fakeNetwork) {
		if scope != "" && scope != n.scope {
			writeError(w, 404, "network "+p["id"]+" not found")
			return
		}
		writeJSON(w, 200, n.render(r, true, s.state))
	})
}

// networkCreateBody is the body of POST /networks/create.
type networkCreateBody struct {
	Name           string
	CheckDuplicate bool // honoured by Engines before API 1.44; later ones always check
	network.CreateRequest
}

func (s *Server) handleNetworkCreate(w http.ResponseWriter, r *http.Request, _ params) {
	var body networkCreateBody
	if !decodeBody(w, r, &body) {
		return
	}
	modern := s.engineAtLeast("1.44")
	badIPAM := 500 // Engines of API 1.44 and later answer 400
	if modern {
		badIPAM = 400
	}
	switch {
	case body.Name == "":
		writeError(w, 500, "invalid name: ")
		return
	case body.Name == "bridge" || body.Name == "host" || body.Name == "none" || body.Name == "default":
		writeError(w, 403, "operation is not permitted on predefined "+body.Name+" network ")
		return
	}
	driver := body.Driver
	switch driver {
	case "":
		driver = "bridge"
	case "bridge", "macvlan", "ipvlan":
	case "host", "null":
		writeError(w, 403, fmt.Sprintf("only one instance of %q network is allowed", driver))
		return
	case "overlay":
		writeError(w, 500, `This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.`)
		return
	default:
		writeError(w, 404, fmt.Sprintf("plugin %q not found", driver))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	warning := ""
	if other := s.state.anyNamed(body.Name); other != nil {
		if modern || body.CheckDuplicate {
			writeError(w, 409, "network with name "+body.Name+" already exists")
			return
		}
		warning = fmt.Sprintf("Network with name %s (id : %s) already exists", body.Name, other.id)
	}
	n := &fakeNetwork{id: newID(), name: body.Name, created: time.Now().UTC(), driver: driver, scope: "local",
		internal: body.Internal, attachable: body.Attachable, ingress: body.Ingress, configOnly: body.ConfigOnly,
		ipamDriver: "default", options: copyMap(body.Options), labels: copyMap(body.Labels),
		endpoints: map[string]*ctrEndpoint{}}
	if body.Scope != "" {
		n.scope = body.Scope
	}
	if body.ConfigFrom != nil {
		n.configFrom = body.ConfigFrom.Network
	}
	if body.EnableIPv6 != nil {
		n.enableIPv6 = *body.EnableIPv6
	}
	if body.IPAM != nil {
		if body.IPAM.Driver != "" {
			n.ipamDriver = body.IPAM.Driver
		}
		n.ipamOptions = body.IPAM.Options
		n.ipamConfig = append(n.ipamConfig, body.IPAM.Config...)
		for _, cfg := range body.IPAM.Config {
			pool, status, msg := s.state.newPool(cfg, badIPAM)
			if status != 0 {
				writeError(w, status, msg)
				return
			}
			if pool != nil {
				for _, other := range n.pools {
					if other.subnet.Overlaps(pool.subnet) {
						writeError(w, 403, "Pool overlaps with other one on this address space")
						return
					}
				}
				n.pools = append(n.pools, pool)
			}
		}
	}
	if len(n.pools) == 0 && (body.EnableIPv4 == nil || *body.EnableIPv4) && !n.configOnly {
		subnet, ok := s.state.freeSubnet()
		if !ok {
			writeError(w, 403, "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network")
			return
		}
		gw := subnet.Addr().Next()
		n.pools = append(n.pools, &ipPool{subnet: subnet, rng: subnet, gateway: gw, used: map[netip.Addr]bool{gw: true}})
		n.ipamConfig = append(n.ipamConfig, network.IPAMConfig{Subnet: subnet.String(), Gateway: gw.String()})
	}
	s.state.networks[n.id] = n
	s.Emit("network", "create", n.id, map[string]string{"name": n.name, "type": n.driver})
	writeJSON(w, 201, network.CreateResponse{ID: n.id, Warning: warning})
}

// anyNamed returns some network named name.
func (st *state) anyNamed(name string) *fakeNetwork {
	for _, nw := range st.sortedNetworks() {
		if nw.name == name {
			return nw
		}
	}
	return nil
}

// newPool checks one IPAM configuration of a new network. It returns nil
// for a configuration that adds no IPv4 pool (an IPv6 subnet), or the
// Engine's status and message for a bad one.
func (st *state) newPool(cfg network.IPAMConfig, badStatus int) (*ipPool, int, string) {
	if cfg.Subnet == "" {
		return nil, badStatus, "ipam configuration has no subnet"
	}
	subnet, err := netip.ParsePrefix(cfg.Subnet)
	if err != nil {
		return nil, badStatus, fmt.Sprintf("Invalid subnet %s : invalid CIDR address: %s", cfg.Subnet, cfg.Subnet)
	}
	if !subnet.Addr().Is4() {
		return nil, 0, ""
	}
	subnet = subnet.Masked()
	if st.overlaps(subnet) {
		return nil, 403, "Pool overlaps with other one on this address space"
	}
	p := &ipPool{subnet: subnet, rng: subnet, user: true, used: map[netip.Addr]bool{}}
	if cfg.IPRange != "" {
		rng, err := netip.ParsePrefix(cfg.IPRange)
		if err != nil || !rng.Addr().Is4() {
			return nil, badStatus, fmt.Sprintf("Invalid range %s : invalid CIDR address: %s", cfg.IPRange, cfg.IPRange)
		}
		p.rng = rng.Masked()
	}
	p.gateway = subnet.Addr().Next()
	if cfg.Gateway != "" {
		gw, err := netip.ParseAddr(cfg.Gateway)
		if err != nil || !subnet.Contains(gw) {
			return nil, badStatus, fmt.Sprintf("failed to allocate gateway (%s): Requested address is out of range", cfg.Gateway)
		}
		p.gateway = gw
	}
	p.used[p.gateway] = true
	for _, aux := range cfg.AuxiliaryAddresses {
		if a, err := netip.ParseAddr(aux); err == nil && subnet.Contains(a) {
			p.used[a] = true
		}
	}
	return p, 0, ""
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (s *Server) handleNetworkRemove(w http.ResponseWriter, r *http.Request, p params) {
	s.withNetwork(w, p, false, func(n *fakeNetwork) {
		if n.predefined {
			writeError(w, 403, n.name+" is a pre-defined network and cannot be removed")
			return
		}
		if len(n.endpoints) > 0 {
			writeError(w, 403, "error while removing network: "+s.activeEndpointsLocked(n))
			return
		}
		delete(s.state.networks, n.id)
		s.Emit("network", "destroy", n.id, map[string]string{"name": n.name, "type": n.driver})
		w.WriteHeader(http.StatusNoContent)
	})
}

// activeEndpointsLocked words the refusal to remove n, which has
// endpoints, as the Engine the fake plays does: Engine 20.10 names the
// network's id, Engine 28.1 (API 1.49) lists the endpoints' names instead,
// and from Engine 28.2 (API 1.50) each endpoint's name and short id. The
// caller holds s.mu.
func (s *Server) activeEndpointsLocked(n *fakeNetwork) string {
	if !s.engineAtLeast("1.49") {
		return fmt.Sprintf("network %s id %s has active endpoints", n.name, n.id)
	}
	eps := make([]string, 0, len(n.endpoints))
	for cid, ep := range n.endpoints {
		name := cid[:12]
		if c := s.state.containers[cid]; c != nil {
			name = c.name[1:] // an endpoint is named after its container
		}
		if s.engineAtLeast("1.50") {
			name = fmt.Sprintf("name:%q id:%q", name, ep.id[:12])
		}
		eps = append(eps, name)
	}
	sort.Strings(eps)
	return fmt.Sprintf("network %s has active endpoints (%s)", n.name, strings.Join(eps, ", "))
}

func (s *Server) handleNetworkPrune(w http.ResponseWriter, r *http.Request, _ params) {
	f, ok := readFilters(w, r, "label", "label!", "until")
	if !ok {
		return
	}
	until, ok := parseEventTime(first(f["until"]), time.Now())
	if !ok {
		writeError(w, 400, "invalid filter 'until="+first(f["until"])+"'")
		return
	}
	s.mu.Lock()
	var deleted []string
	for _, n := range s.state.sortedNetworks() {
		if n.predefined || len(n.endpoints) > 0 || !labelsMatch(n.labels, f["label"]) {
			continue
		}
		if len(f["label!"]) > 0 && labelsMatch(n.labels, f["label!"]) {
			continue
		}
		if !until.IsZero() && n.created.After(until) {
			continue
		}
		delete(s.state.networks, n.id)
		deleted = append(deleted, n.name)
		s.Emit("network", "destroy", n.id, map[string]string{"name": n.name, "type": n.driver})
	}
	s.mu.Unlock()
	s.Emit("network", "prune", "", map[string]string{"reclaimed": "0"})
	writeJSON(w, 200, map[string][]string{"NetworksDeleted": deleted})
}

func (s *Server) handleNetworkConnect(w http.ResponseWriter, r *http.Request, p params) {
	var body network.ConnectRequest
	if !decodeBody(w, r, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.state.findContainer(body.Container)
	if c == nil || body.Container == "" {
		writeError(w, 404, "No such container: "+body.Container)
		return
	}
	running := c.cur != nil
	n, status, msg := s.state.findNetwork(p["id"], false)
	if n == nil && (running || status != 404) {
		writeError(w, status, msg)
		return
	}
	target := p["id"]
	if n != nil {
		target = n.name
	}
	switch primary := networkModeNetwork(c.host.NetworkMode); {
	case primary == "" || primary == "host":
		if target != "host" {
			writeError(w, 400, "container sharing network namespace with another container or host cannot be connected to any other network")
			return
		}
	case primary == "none":
		if target != "none" {
			writeError(w, 400, "container cannot be connected to multiple networks with one of the networks in private (none) mode")
			return
		}
	case target == "host":
		writeError(w, 400, "container cannot be disconnected from host network or connected to host network")
		return
	case target == "none":
		writeError(w, 400, "container cannot be connected to multiple networks with one of the networks in private (none) mode")
		return
	}
	var cfg container.EndpointSettings
	if body.EndpointConfig != nil {
		cfg = askedEndpoint(*body.EndpointConfig)
	}
	_, ep := c.endpointOn(n, p["id"])
	if running {
		if ep != nil && ep.live() {
			writeError(w, 403, fmt.Sprintf("endpoint with name %s already exists in network %s", c.name[1:], n.name))
			return
		}
		fresh := &ctrEndpoint{key: p["id"], net: n, cfg: cfg, macIgnored: !s.engineAtLeast("1.54")}
		if status, msg := s.activateLocked(c, fresh); status != 0 {
			writeError(w, status, msg)
			return
		}
		if ep != nil {
			*ep = *fresh
		} else {
			c.nets = append(c.nets, fresh)
		}
		w.WriteHeader(200)
		return
	}
	if n != nil {
		if status, msg := s.checkEndpointLocked(n, cfg, false); status != 0 {
			writeError(w, status, msg)
			return
		}
	}
	if ep == nil {
		ep = &ctrEndpoint{key: p["id"], net: n}
		c.nets = append(c.nets, ep)
	}
	ep.cfg, ep.macIgnored = cfg, !s.engineAtLeast("1.54")
	if n != nil && n.userDefined() {
		ep.shortID = true // Engine 20.10 adds the short id at connect
	}
	w.WriteHeader(200)
}

func (s *Server) handleNetworkDisconnect(w http.ResponseWriter, r *http.Request, p params) {
	var body network.DisconnectRequest
	if !decodeBody(w, r, &body) {
		return
	}
	s.mu.Lock()
	c := s.state.findContainer(body.Container)
	if c == nil || body.Container == "" {
		s.mu.Unlock()
		writeError(w, 404, "No such container: "+body.Container)
		return
	}
	running := c.cur != nil
	n, status, msg := s.state.findNetwork(p["id"], false)
	i, ep := c.endpointOn(n, p["id"])
	if n == nil && (running || ep == nil) {
		s.mu.Unlock()
		writeError(w, status, msg)
		return
	}
	if ep == nil {
		s.mu.Unlock()
		if running {
			writeError(w, 500, fmt.Sprintf("container %s is not connected to network %s", c.id, p["id"]))
		} else {
			writeError(w, 500, fmt.Sprintf("container %s is not connected to the network %s", c.id, p["id"]))
		}
		return
	}
	emit := s.deactivateLocked(c, ep)
	c.nets = append(c.nets[:i], c.nets[i+1:]...)
	s.mu.Unlock()
	emit()
	w.WriteHeader(200)
}
