package swarm

import "time"

// Node is a member of the swarm as GET /nodes and GET /nodes/{id} report it.
type Node struct {
	ID          string
	Version     Version
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Spec        NodeSpec
	Description NodeDescription
	Status      NodeStatus
	// ManagerStatus is set for managers only.
	ManagerStatus *ManagerStatus `json:",omitempty"`
}

// NodeRole is a node's role in the swarm.
type NodeRole string

// Node roles.
const (
	RoleWorker  NodeRole = "worker"
	RoleManager NodeRole = "manager"
)

// NodeSpec is the user-modifiable part of a node, the body of
// POST /nodes/{id}/update. An update replaces the whole spec: start from the
// Spec read by Inspect.
type NodeSpec struct {
	Name         string            `json:",omitempty"`
	Labels       map[string]string `json:",omitempty"`
	Role         NodeRole          `json:",omitempty"`
	Availability NodeAvailability  `json:",omitempty"`
}

// NodeDescription is what a node's agent reports about itself.
type NodeDescription struct {
	Hostname  string
	Platform  Platform
	Resources Resources
	Engine    EngineDescription
	TLSInfo   TLSInfo
}

// Platform is an operating system and architecture ("linux", "x86_64").
type Platform struct {
	Architecture string `json:",omitempty"`
	OS           string `json:",omitempty"`
}

// Resources is an amount of CPU, memory and user-defined resources: what a
// node offers, or what a task reserves.
type Resources struct {
	NanoCPUs         int64             `json:",omitempty"` // 1e9 is one CPU
	MemoryBytes      int64             `json:",omitempty"`
	GenericResources []GenericResource `json:",omitempty"`
}

// EngineDescription describes a node's Engine.
type EngineDescription struct {
	EngineVersion string
	Labels        map[string]string `json:",omitempty"`
	Plugins       []PluginDescription
}

// PluginDescription names one plugin an Engine has, by type ("Log",
// "Network", "Volume") and name.
type PluginDescription struct {
	Type string
	Name string
}

// NodeState is a node's state as the managers see it.
type NodeState string

// Node states.
const (
	NodeStateUnknown      NodeState = "unknown"
	NodeStateDown         NodeState = "down"
	NodeStateReady        NodeState = "ready"
	NodeStateDisconnected NodeState = "disconnected"
)

// NodeStatus is a node's state as the managers see it.
type NodeStatus struct {
	State   NodeState
	Message string `json:",omitempty"`
	Addr    string // the node's IP address
}

// Reachability is whether a manager answers the other managers.
type Reachability string

// Manager reachabilities.
const (
	ReachabilityUnknown     Reachability = "unknown"
	ReachabilityUnreachable Reachability = "unreachable"
	ReachabilityReachable   Reachability = "reachable"
)

// ManagerStatus is the state of a node's manager component.
type ManagerStatus struct {
	Leader       bool `json:",omitempty"`
	Reachability Reachability
	Addr         string // "ip:port" other managers reach it at
}
