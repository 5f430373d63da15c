package network

import "github.com/berth-go/berth/docker/container"

// EndpointSettings configures a container's endpoint on one network when
// connecting it, and reports the endpoint afterwards. It is the container
// package's type (containers carry the same settings per network at create
// and in inspect); see container.EndpointSettings for its fields. The zero
// value asks for the daemon's defaults.
type EndpointSettings = container.EndpointSettings

// EndpointIPAMConfig holds the addresses asked for an endpoint; they must
// lie in a subnet the network was created with (IPAM.Config). It is
// container.EndpointIPAMConfig.
type EndpointIPAMConfig = container.EndpointIPAMConfig

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
