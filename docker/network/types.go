package network

import "time"

// Summary is one network as GET /networks lists it. Since API 1.28 the list
// no longer carries the attached containers; Inspect returns them.
type Summary struct {
	Name    string
	ID      string    `json:"Id"`
	Created time.Time // zero for the predefined host and none networks
	Scope   string    // "local", "swarm" or "global"
	Driver  string    // "bridge", "overlay", "macvlan", a plugin, ...

	// EnableIPv4 says whether IPv4 address management is on. Daemons older
	// than API 1.48 do not report it, and it reads false even though their
	// networks always have IPv4.
	EnableIPv4 bool
	EnableIPv6 bool
	IPAM       IPAM

	Internal   bool // no route to the outside world
	Attachable bool // a swarm network standalone containers may join
	Ingress    bool // the swarm routing-mesh network

	ConfigFrom ConfigReference // the config-only network this one takes its configuration from
	ConfigOnly bool            // a placeholder holding configuration for other networks

	Options map[string]string // driver options, e.g. com.docker.network.driver.mtu
	Labels  map[string]string

	// Peers lists the swarm nodes of an overlay network; other drivers
	// leave it empty.
	Peers []PeerInfo `json:",omitempty"`
}

// Details is a network as GET /networks/{id} reports it: the Summary plus
// the endpoints attached on this host, swarm services and allocation
// statistics.
type Details struct {
	Summary

	// Containers maps container ids to their endpoint on this network.
	// Endpoints on other swarm nodes are not listed.
	Containers map[string]EndpointResource

	// Services lists the swarm services using the network, by name. The
	// daemon fills it only for swarm-scope networks inspected with Verbose.
	Services map[string]ServiceInfo `json:",omitempty"`

	// Status reports how many addresses each subnet has in use (API >= 1.52).
	Status *Status `json:",omitempty"`
}

// IPAM is a network's IP address management: the driver and the address
// pools it hands addresses out of.
type IPAM struct {
	Driver  string            `json:",omitempty"` // "default" when empty
	Config  []IPAMConfig      `json:",omitempty"`
	Options map[string]string `json:",omitempty"` // driver-specific
}

// IPAMConfig is one address pool of a network.
type IPAMConfig struct {
	Subnet  string `json:",omitempty"` // CIDR, e.g. "10.213.7.0/24"
	IPRange string `json:",omitempty"` // CIDR within Subnet that dynamic addresses come from
	Gateway string `json:",omitempty"` // e.g. "10.213.7.1"

	// AuxiliaryAddresses reserves addresses the IPAM driver must not hand
	// out, by a name of the caller's choosing (e.g. {"router": "10.213.7.2"}).
	AuxiliaryAddresses map[string]string `json:",omitempty"`
}

// ConfigReference names the config-only network a network takes its
// configuration from.
type ConfigReference struct {
	Network string // a network name (never an id)
}

// PeerInfo is one swarm node taking part in an overlay network.
type PeerInfo struct {
	Name string // the node's id
	IP   string
}

// EndpointResource is a container's endpoint on a network, as Details lists
// it.
type EndpointResource struct {
	Name        string // the container's name
	EndpointID  string
	MacAddress  string
	IPv4Address string // CIDR notation, e.g. "10.213.7.3/24"; empty when none
	IPv6Address string // CIDR notation; empty when none
}

// ServiceInfo is a swarm service's presence on a network.
type ServiceInfo struct {
	VIP          string
	Ports        []string
	LocalLBIndex int
	Tasks        []Task
}

// Task is one task (container) backing a swarm service on a network.
type Task struct {
	Name       string
	EndpointID string
	EndpointIP string
	Info       map[string]string
}

// Status is a network's runtime information (API >= 1.52).
type Status struct {
	IPAM IPAMStatus
}

// IPAMStatus reports address use per subnet, keyed by the subnet's CIDR.
type IPAMStatus struct {
	Subnets map[string]SubnetStatus
}

// SubnetStatus counts the addresses of one subnet. Both counts saturate at
// the largest uint64.
type SubnetStatus struct {
	IPsInUse            uint64 // addresses in use or reserved
	DynamicIPsAvailable uint64 // addresses of the dynamic range still free
}

// CreateRequest is the body of POST /networks/create, without the name,
// which Create takes as an argument. Its zero value asks for a bridge
// network with the daemon's default address pool.
type CreateRequest struct {
	Driver     string `json:",omitempty"` // "bridge" when empty
	Scope      string `json:",omitempty"` // "local", "swarm" or "global"; the driver's default when empty
	Internal   bool   `json:",omitempty"`
	Attachable bool   `json:",omitempty"`
	Ingress    bool   `json:",omitempty"`

	// ConfigOnly creates a placeholder that only holds configuration;
	// ConfigFrom creates a network from such a placeholder.
	ConfigOnly bool             `json:",omitempty"`
	ConfigFrom *ConfigReference `json:",omitempty"`

	IPAM *IPAM `json:",omitempty"` // nil: the daemon picks a subnet

	// EnableIPv4 and EnableIPv6 are pointers so that nil leaves the choice
	// to the daemon (IPv4 on; IPv6 as the daemon is configured) while
	// false can switch a family off. EnableIPv4 needs API 1.48: Create
	// returns docker.ErrVersion for it on older daemons rather than let
	// them ignore it.
	EnableIPv4 *bool `json:",omitempty"`
	EnableIPv6 *bool `json:",omitempty"`

	Options map[string]string `json:",omitempty"` // driver options
	Labels  map[string]string `json:",omitempty"`
}

// CreateResponse is the answer of POST /networks/create.
type CreateResponse struct {
	ID      string `json:"Id"`
	Warning string // a non-fatal problem the daemon noticed, usually empty
}

// PruneReport is the answer of POST /networks/prune.
type PruneReport struct {
	NetworksDeleted []string // names of the removed networks
}
