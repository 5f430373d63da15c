package network

// EndpointSettings configures a container's endpoint on one network when
// connecting it, and reports the endpoint afterwards (the operational fields
// below IPAMConfig..GwPriority are filled by the daemon and ignored when
// connecting). The zero value asks for the daemon's defaults.
type EndpointSettings struct {
	IPAMConfig *EndpointIPAMConfig `json:",omitempty"` // fixed addresses for the endpoint
	Links      []string            `json:",omitempty"` // legacy links, "container:alias"
	Aliases    []string            `json:",omitempty"` // extra DNS names on this network

	// MacAddress asks for a MAC address on this network (API >= 1.44;
	// daemons before API 1.52 ignore it on connect).
	MacAddress string `json:",omitempty"`

	// DriverOpts are passed to the network driver, e.g.
	// com.docker.network.endpoint.sysctls (API >= 1.46).
	DriverOpts map[string]string `json:",omitempty"`

	// GwPriority ranks the container's endpoints when choosing its default
	// gateway: the highest wins (API >= 1.48).
	GwPriority int64 `json:",omitempty"`

	// Operational data, reported by the daemon.
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

// EndpointIPAMConfig holds the addresses asked for an endpoint. They must
// lie in a subnet the network was created with (IPAM.Config).
type EndpointIPAMConfig struct {
	IPv4Address  string   `json:",omitempty"`
	IPv6Address  string   `json:",omitempty"`
	LinkLocalIPs []string `json:",omitempty"`
}

// ConnectRequest is the body of POST /networks/{id}/connect.
type ConnectRequest struct {
	Container      string            // id or name
	EndpointConfig *EndpointSettings `json:",omitempty"`
}

// DisconnectRequest is the body of POST /networks/{id}/disconnect.
type DisconnectRequest struct {
	Container string // id or name
	Force     bool
}
