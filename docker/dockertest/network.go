package dockertest

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/network"
)

// fakeNetwork is one network. It is guarded by the Server's mu.
type fakeNetwork struct {
	id, name    string
	created     time.Time
	driver      string
	scope       string
	internal    bool
	attachable  bool
	ingress     bool
	configOnly  bool
	configFrom  string
	enableIPv6  bool
	ipamDriver  string
	ipamOptions map[string]string
	ipamConfig  []network.IPAMConfig // as reported: what was asked, or the subnet the fake picked
	pools       []*ipPool            // IPv4 pools addresses come from
	options     map[string]string
	labels      map[string]string
	predefined  bool                    // bridge, host and none
	endpoints   map[string]*ctrEndpoint // live endpoints, by container id
}

// ipPool is one IPv4 subnet of a network and the addresses taken in it.
type ipPool struct {
	subnet  netip.Prefix
	rng     netip.Prefix // where dynamic addresses come from (the subnet unless IPRange was given)
	gateway netip.Addr
	user    bool // the subnet was asked for: endpoints may ask for fixed addresses
	used    map[netip.Addr]bool
}

// predefinedNetworks are the networks every Engine starts with.
func predefinedNetworks() map[string]*fakeNetwork {
	now := time.Now().UTC()
	bridgePool := &ipPool{subnet: netip.MustParsePrefix("172.17.0.0/16"), gateway: netip.MustParseAddr("172.17.0.1"), used: map[netip.Addr]bool{}}
	bridgePool.rng = bridgePool.subnet
	bridgePool.used[bridgePool.gateway] = true
	nets := []*fakeNetwork{
		{name: "bridge", driver: "bridge", pools: []*ipPool{bridgePool},
			ipamConfig: []network.IPAMConfig{{Subnet: "172.17.0.0/16"}},
			options: map[string]string{
				"com.docker.network.bridge.default_bridge":       "true",
				"com.docker.network.bridge.enable_icc":           "true",
				"com.docker.network.bridge.enable_ip_masquerade": "true",
				"com.docker.network.bridge.host_binding_ipv4":    "0.0.0.0",
				"com.docker.network.bridge.name":                 "docker0",
				"com.docker.network.driver.mtu":                  "1500",
			}},
		{name: "host", driver: "host"},
		{name: "none", driver: "null"},
	}
	out := map[string]*fakeNetwork{}
	for _, n := range nets {
		n.id, n.created, n.scope, n.ipamDriver, n.predefined = newID(), now, "local", "default", true
		n.endpoints = map[string]*ctrEndpoint{}
		if n.options == nil {
			n.options = map[string]string{}
		}
		n.labels = map[string]string{}
		out[n.id] = n
	}
	return out
}

// userDefined reports whether n is a network a user created: only those
// give containers DNS aliases and fixed addresses.
func (n *fakeNetwork) userDefined() bool { return !n.predefined }

// hasUserSubnet reports whether some subnet of n was asked for at create.
func (n *fakeNetwork) hasUserSubnet() bool {
	for _, p := range n.pools {
		if p.user {
			return true
		}
	}
	return false
}

// findNetwork resolves ref as the Engine does: a full id, then a name, then
// a unique id prefix. It returns the network, or a status and message for
// a missing or ambiguous one; inspect words ambiguity as GET does, other
// operations as DELETE does. The caller holds s.mu.
func (st *state) findNetwork(ref string, inspect bool) (*fakeNetwork, int, string) {
	if n, ok := st.networks[ref]; ok {
		return n, 0, ""
	}
	var byName, byPrefix []*fakeNetwork
	for id, n := range st.networks {
		if n.name == ref {
			byName = append(byName, n)
		}
		if strings.HasPrefix(id, ref) {
			byPrefix = append(byPrefix, n)
		}
	}
	ambiguous := func(n int, what string) (*fakeNetwork, int, string) {
		if inspect {
			return nil, 400, fmt.Sprintf("%d matches found based on %s: network %s is ambiguous", n, what, ref)
		}
		return nil, 400, fmt.Sprintf("network %s is ambiguous (%d matches found based on %s)", ref, n, what)
	}
	switch {
	case len(byName) == 1:
		return byName[0], 0, ""
	case len(byName) > 1:
		return ambiguous(len(byName), "name")
	case len(byPrefix) == 1:
		return byPrefix[0], 0, ""
	case len(byPrefix) > 1:
		return ambiguous(len(byPrefix), "ID prefix")
	}
	return nil, 404, "network " + ref + " not found"
}

// overlaps reports whether p overlaps a subnet some network uses.
func (st *state) overlaps(p netip.Prefix) bool {
	for _, n := range st.networks {
		for _, pool := range n.pools {
			if pool.subnet.Overlaps(p) {
				return true
			}
		}
	}
	return false
}

// freeSubnet picks a subnet for a network created without one, from the
// Engine's default pools: 172.17-31.0.0/16, then 192.168.X.0/20.
func (st *state) freeSubnet() (netip.Prefix, bool) {
	for i := 18; i <= 31; i++ {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{172, byte(i), 0, 0}), 16)
		if !st.overlaps(p) {
			return p, true
		}
	}
	for i := 0; i < 256; i += 16 {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 168, byte(i), 0}), 20)
		if !st.overlaps(p) {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

// allocate takes an address for an endpoint: want when given (it must lie
// in a subnet of n and be free), else the lowest free one. It answers a
// status and message when it cannot, with the Engine's words.
func (n *fakeNetwork) allocate(want string) (netip.Addr, *ipPool, int, string) {
	if want != "" {
		a, err := netip.ParseAddr(want)
		if err != nil || !a.Is4() {
			return netip.Addr{}, nil, 400, "invalid IPv4 address: " + want
		}
		for _, p := range n.pools {
			if !p.subnet.Contains(a) {
				continue
			}
			if p.used[a] || a == p.subnet.Masked().Addr() {
				return netip.Addr{}, nil, 403, "Address already in use"
			}
			p.used[a] = true
			return a, p, 0, ""
		}
		return netip.Addr{}, nil, 500, fmt.Sprintf("Invalid address %s: It does not belong to any of this network's subnets", want)
	}
	for _, p := range n.pools {
		last := lastAddr(p.subnet)
		for a := p.rng.Masked().Addr().Next(); a.IsValid() && p.rng.Contains(a) && a != last; a = a.Next() {
			if !p.used[a] {
				p.used[a] = true
				return a, p, 0, ""
			}
		}
	}
	return netip.Addr{}, nil, 503, "no available IPv4 addresses on this network's address pools: " + n.name + " (" + n.id + ")"
}

// release frees an address allocate returned.
func (n *fakeNetwork) release(a netip.Addr) {
	for _, p := range n.pools {
		if p.subnet.Contains(a) {
			delete(p.used, a)
		}
	}
}

// lastAddr is the broadcast address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	host := 32 - p.Bits()
	for i := 3; i >= 0 && host > 0; i-- {
		bits := min(host, 8)
		b[i] |= byte(1<<bits - 1)
		host -= bits
	}
	return netip.AddrFrom4(b)
}

// macFor derives a MAC address from an IPv4 address the way the Engine's
// bridge driver does.
func macFor(a netip.Addr) string {
	if !a.Is4() {
		return ""
	}
	b := a.As4()
	return fmt.Sprintf("02:42:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3])
}

// sortedNetworks returns the networks ordered by creation.
func (st *state) sortedNetworks() []*fakeNetwork {
	out := make([]*fakeNetwork, 0, len(st.networks))
	for _, n := range st.networks {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].created.Equal(out[j].created) {
			return out[i].created.Before(out[j].created)
		}
		return out[i].name < out[j].name
	})
	return out
}
