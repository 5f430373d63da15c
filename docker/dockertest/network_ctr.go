package dockertest

import (
	"net/http"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/berth-go/berth/docker/container"
)

// ctrEndpoint is a container's attachment to one network: what was asked,
// at create or connect, and the live endpoint while the container runs.
// The Server's mu guards it.
type ctrEndpoint struct {
	key     string                     // the network as the request named it
	net     *fakeNetwork               // nil while key names no network (the Engine checks at start)
	cfg     container.EndpointSettings // as asked: IPAMConfig, Links, Aliases, MacAddress, DriverOpts, GwPriority
	shortID bool                       // the Engine added the container's short id to Aliases (shown below API 1.45)
	started bool                       // the endpoint existed once: NetworkID is reported from then on
	// connected by an Engine before API 1.54, which kept a connect's
	// MacAddress but did not apply it
	macIgnored bool

	// The live endpoint, while the container runs.
	id  string
	ip  netip.Addr
	mac string
}

func (ep *ctrEndpoint) live() bool { return ep.id != "" }

// name is the key of the endpoint in NetworkSettings.Networks.
func (ep *ctrEndpoint) name() string {
	if ep.net != nil {
		return ep.net.name
	}
	return ep.key
}

// networkModeNetwork is the network a NetworkMode puts a container on, ""
// for "container:<id>" (it shares another container's).
func networkModeNetwork(mode string) string {
	switch m := mode; {
	case m == "" || m == "default":
		return "bridge"
	case strings.HasPrefix(m, "container:"):
		return ""
	default:
		return m
	}
}

// setUpNetworksLocked records the networks a new container joins: the one
// of its NetworkMode and those of NetworkingConfig. Like Engine 20.10 it
// accepts networks that do not exist yet; start fails on them. The caller
// holds s.mu.
func (s *Server) setUpNetworksLocked(c *fakeContainer, r *http.Request) (int, string) {
	eps := c.networking.EndpointsConfig
	if len(eps) > 1 && !atLeast(r, "1.44") {
		names := make([]string, 0, len(eps))
		for k := range eps {
			names = append(names, k)
		}
		sort.Strings(names)
		return 400, "Container cannot be connected to network endpoints: " + strings.Join(names, ", ")
	}
	primary := networkModeNetwork(c.host.NetworkMode)
	if primary == "" {
		return 0, ""
	}
	keys := []string{primary}
	for k := range eps {
		if k != primary && !(primary == "bridge" && k == "default") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys[1:])
	for _, k := range keys {
		ep := &ctrEndpoint{key: k}
		if cfg := eps[k]; cfg != nil {
			ep.cfg = askedEndpoint(*cfg)
		} else if k == primary && primary == "bridge" && eps["default"] != nil {
			ep.cfg = askedEndpoint(*eps["default"])
		}
		ep.net, _, _ = s.state.findNetwork(k, false)
		if ep.net != nil {
			if status, msg := s.checkEndpointLocked(ep.net, ep.cfg, false); status != 0 {
				return status, msg
			}
		}
		c.nets = append(c.nets, ep)
	}
	return 0, ""
}

// askedEndpoint keeps the fields of an endpoint a request may set.
func askedEndpoint(es container.EndpointSettings) container.EndpointSettings {
	return container.EndpointSettings{IPAMConfig: es.IPAMConfig, Links: es.Links, Aliases: es.Aliases,
		MacAddress: es.MacAddress, DriverOpts: es.DriverOpts, GwPriority: es.GwPriority}
}

// checkEndpointLocked validates what an endpoint asks of n. Engine 20.10
// checks only when the endpoint is made (atStart); Engines of API 1.44 and
// later check at create and connect too.
func (s *Server) checkEndpointLocked(n *fakeNetwork, cfg container.EndpointSettings, atStart bool) (int, string) {
	if !atStart && !s.engineAtLeast("1.44") {
		return 0, ""
	}
	if len(cfg.Aliases) > 0 && !n.userDefined() {
		return 400, "network-scoped alias is supported only for containers in user defined networks"
	}
	if cfg.IPAMConfig == nil || cfg.IPAMConfig.IPv4Address == "" {
		return 0, ""
	}
	if !n.userDefined() {
		return 400, "user specified IP address is supported on user defined networks only"
	}
	if !n.hasUserSubnet() {
		return 400, "user specified IP address is supported only when connecting to networks with user configured subnets"
	}
	return 0, ""
}

// startResourcesLocked makes the endpoints of a container that starts and
// mounts its volumes. On failure nothing stays made. The caller holds s.mu.
func (s *Server) startResourcesLocked(c *fakeContainer) (int, string) {
	for i, ep := range c.nets {
		if status, msg := s.activateLocked(c, ep); status != 0 {
			for _, done := range c.nets[:i] {
				s.deactivateLocked(c, done)()
			}
			return status, msg
		}
	}
	for _, m := range c.mounts {
		if m.vol == nil {
			continue
		}
		s.Emit("volume", "mount", m.vol.name, map[string]string{"container": c.id, "destination": m.dest,
			"driver": m.vol.driver, "propagation": m.propagation, "read/write": boolString(m.rw)})
	}
	return 0, ""
}

// stopResourcesLocked removes the endpoints of a container that stopped and
// unmounts its volumes. It returns a function that emits the events, which
// the Engine sends after the container's "die". The caller holds s.mu.
func (s *Server) stopResourcesLocked(c *fakeContainer) (emit func()) {
	var emits []func()
	for _, ep := range c.nets {
		if ep.live() {
			emits = append(emits, s.deactivateLocked(c, ep))
		}
	}
	for _, m := range c.mounts {
		if m.vol != nil {
			name, driver := m.vol.name, m.vol.driver
			emits = append(emits, func() {
				s.Emit("volume", "unmount", name, map[string]string{"container": c.id, "driver": driver})
			})
		}
	}
	return func() {
		for _, e := range emits {
			e()
		}
	}
}

// activateLocked makes the live endpoint of ep: the network must exist by
// now, and an address is allocated (the one asked for, if any).
func (s *Server) activateLocked(c *fakeContainer, ep *ctrEndpoint) (int, string) {
	if ep.live() {
		return 0, ""
	}
	if ep.net == nil || s.state.networks[ep.net.id] == nil {
		n, status, msg := s.state.findNetwork(ep.key, false)
		if n == nil {
			return status, msg
		}
		ep.net = n
	}
	n := ep.net
	if status, msg := s.checkEndpointLocked(n, ep.cfg, true); status != 0 {
		return status, msg
	}
	if n.driver != "null" && n.driver != "host" {
		want := ""
		if ep.cfg.IPAMConfig != nil {
			want = ep.cfg.IPAMConfig.IPv4Address
		}
		ip, _, status, msg := n.allocate(want)
		if status != 0 {
			return status, msg
		}
		ep.ip = ip
		ep.mac = macFor(ip)
		if ep.cfg.MacAddress != "" && !ep.macIgnored {
			ep.mac = ep.cfg.MacAddress
		}
	}
	ep.id, ep.started = newID(), true
	if n.userDefined() {
		ep.shortID = true
	}
	n.endpoints[c.id] = ep
	s.Emit("network", "connect", n.id, map[string]string{"container": c.id, "name": n.name, "type": n.driver})
	return 0, ""
}

// deactivateLocked removes the live endpoint of ep and returns the function
// that emits its "disconnect" event.
func (s *Server) deactivateLocked(c *fakeContainer, ep *ctrEndpoint) (emit func()) {
	n := ep.net
	if !ep.live() || n == nil {
		return func() {}
	}
	if ep.ip.IsValid() {
		n.release(ep.ip)
	}
	delete(n.endpoints, c.id)
	ep.id, ep.ip, ep.mac = "", netip.Addr{}, ""
	id, attrs := n.id, map[string]string{"container": c.id, "name": n.name, "type": n.driver}
	return func() { s.Emit("network", "disconnect", id, attrs) }
}

// endpointOn returns c's attachment to n, or to a network named key that
// did not resolve when asked.
func (c *fakeContainer) endpointOn(n *fakeNetwork, key string) (int, *ctrEndpoint) {
	for i, ep := range c.nets {
		if n != nil && ep.net == n || ep.net == nil && (ep.key == key || n != nil && ep.key == n.name) {
			return i, ep
		}
	}
	return -1, nil
}

// endpointSettings renders ep as container inspect and list show it.
func (c *fakeContainer) endpointSettings(ep *ctrEndpoint, r *http.Request) *container.EndpointSettings {
	es := ep.cfg
	es.Aliases = slices.Clone(ep.cfg.Aliases)
	short := c.id[:12]
	if ep.shortID && !atLeast(r, "1.45") && !slices.Contains(es.Aliases, short) {
		es.Aliases = append(es.Aliases, short)
	}
	if !atLeast(r, "1.48") {
		es.GwPriority = 0
	}
	if ep.started && ep.net != nil {
		es.NetworkID = ep.net.id
	}
	if !ep.live() {
		if !atLeast(r, "1.44") {
			es.MacAddress = ""
		}
		return &es
	}
	es.EndpointID, es.MacAddress = ep.id, ep.mac
	if ep.ip.IsValid() {
		for _, p := range ep.net.pools {
			if p.subnet.Contains(ep.ip) {
				es.IPAddress, es.IPPrefixLen = ep.ip.String(), p.subnet.Bits()
				// Engine 25 (API 1.44) stopped giving endpoints on an
				// internal network a gateway (moby PR 46603, unversioned);
				// the network's IPAM config still lists it.
				if p.gateway.IsValid() && !(ep.net.internal && c.srv.engineAtLeast("1.44")) {
					es.Gateway = p.gateway.String()
				}
			}
		}
	}
	if atLeast(r, "1.44") && ep.net.userDefined() {
		es.DNSNames = dedup(append(append([]string{c.name[1:]}, ep.cfg.Aliases...), short, c.config.Hostname))
	}
	return &es
}

func dedup(s []string) []string {
	var out []string
	for _, v := range s {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// networks renders NetworkSettings.Networks.
func (c *fakeContainer) networks(r *http.Request) map[string]*container.EndpointSettings {
	out := map[string]*container.EndpointSettings{}
	for _, ep := range c.nets {
		out[ep.name()] = c.endpointSettings(ep, r)
	}
	return out
}

// networkSettings renders NetworkSettings for container inspect: the
// networks, and below API 1.52 the default bridge's endpoint at the top.
func (c *fakeContainer) networkSettings(r *http.Request) container.NetworkSettings {
	ns := container.NetworkSettings{Networks: c.networks(r), Ports: container.PortMap{}}
	if c.cur != nil {
		ns.SandboxID = c.sandboxID()
		ns.SandboxKey = "/var/run/docker/netns/" + ns.SandboxID[:12]
	}
	if atLeast(r, "1.52") {
		return ns
	}
	if es, ok := ns.Networks["bridge"]; ok && es.EndpointID != "" {
		ns.EndpointID, ns.Gateway, ns.IPAddress, ns.IPPrefixLen, ns.MacAddress = es.EndpointID, es.Gateway, es.IPAddress, es.IPPrefixLen, es.MacAddress
	}
	return ns
}

// sandboxID is a stable id for the running container's network namespace.
func (c *fakeContainer) sandboxID() string {
	return c.id[32:] + c.id[:32]
}

// onNetwork reports whether c is attached to the network v names (a name
// or an id prefix), for the container list's network filter.
func (c *fakeContainer) onNetwork(v string) bool {
	for _, ep := range c.nets {
		if ep.key == v || ep.net != nil && (ep.net.name == v || strings.HasPrefix(ep.net.id, v)) {
			return true
		}
	}
	return false
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
