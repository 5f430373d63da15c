package container

// NetworkingConfig connects a new container to networks at Create: one
// EndpointSettings per network name or id. Daemons before API 1.44 accept
// only one entry.
type NetworkingConfig struct {
	EndpointsConfig map[string]*EndpointSettings `json:",omitempty"`
}

// EndpointSettings configures a container's endpoint on one network (at
// Create, or when connecting it with the network package) and reports it
// afterwards (in Details and Summary). The fields from NetworkID on are
// filled by the daemon and ignored in requests. The zero value asks for the
// daemon's defaults.
type EndpointSettings struct {
	IPAMConfig *EndpointIPAMConfig `json:",omitempty"` // fixed addresses for the endpoint
	Links      []string            `json:",omitempty"` // legacy links, "container:alias"
	Aliases    []string            `json:",omitempty"` // extra DNS names on this network

	// MacAddress asks for a MAC address on this network (API >= 1.44) and
	// reports the one in use.
	MacAddress string `json:",omitempty"`
	// DriverOpts are passed to the network driver (API >= 1.46).
	DriverOpts map[string]string `json:",omitempty"`
	// GwPriority ranks the container's endpoints when the daemon picks its
	// default gateway: the highest wins (API >= 1.48).
	GwPriority int64 `json:",omitempty"`

	NetworkID           string   `json:",omitempty"`
	EndpointID          string   `json:",omitempty"`
	Gateway             string   `json:",omitempty"`
	IPAddress           string   `json:",omitempty"`
	IPPrefixLen         int      `json:",omitempty"`
	IPv6Gateway         string   `json:",omitempty"`
	GlobalIPv6Address   string   `json:",omitempty"`
	GlobalIPv6PrefixLen int64    `json:",omitempty"`
	DNSNames            []string `json:",omitempty"` // API >= 1.44
}

// EndpointIPAMConfig holds the addresses asked for an endpoint; they must
// lie in a subnet of the network.
type EndpointIPAMConfig struct {
	IPv4Address  string   `json:",omitempty"`
	IPv6Address  string   `json:",omitempty"`
	LinkLocalIPs []string `json:",omitempty"`
}

// NetworkSettings is a container's view of its networks, in Details.
type NetworkSettings struct {
	SandboxID  string
	SandboxKey string
	Ports      PortMap                      // the published ports
	Networks   map[string]*EndpointSettings // by network name

	// The fields below describe the default bridge endpoint at the top
	// level. API 1.41 daemons send them; later APIs deprecated them (1.44)
	// and removed them (1.52). Use Networks instead.
	Bridge                 string    `json:",omitempty"`
	HairpinMode            bool      `json:",omitempty"`
	LinkLocalIPv6Address   string    `json:",omitempty"`
	LinkLocalIPv6PrefixLen int       `json:",omitempty"`
	SecondaryIPAddresses   []Address `json:",omitempty"`
	SecondaryIPv6Addresses []Address `json:",omitempty"`
	EndpointID             string    `json:",omitempty"`
	Gateway                string    `json:",omitempty"`
	GlobalIPv6Address      string    `json:",omitempty"`
	GlobalIPv6PrefixLen    int       `json:",omitempty"`
	IPAddress              string    `json:",omitempty"`
	IPPrefixLen            int       `json:",omitempty"`
	IPv6Gateway            string    `json:",omitempty"`
	MacAddress             string    `json:",omitempty"`
}

// Address is an IP address and its prefix length.
type Address struct {
	Addr      string
	PrefixLen int
}
