package swarm

import "time"

// Task is one instance of a service (a container on a node) as GET /tasks
// and GET /tasks/{id} report it.
type Task struct {
	ID        string
	Version   Version
	CreatedAt time.Time
	UpdatedAt time.Time
	Name      string            `json:",omitempty"`
	Labels    map[string]string `json:",omitempty"`
	Spec      TaskSpec
	ServiceID string
	// Slot numbers the tasks of a replicated service (1..replicas);
	// global tasks have none.
	Slot   int    `json:",omitempty"`
	NodeID string `json:",omitempty"`
	// AssignedGenericResources are the generic resources the scheduler gave
	// the task.
	AssignedGenericResources []GenericResource `json:",omitempty"`
	Status                   TaskStatus
	// DesiredState is where the orchestrator wants the task to be:
	// "running" while it is current, "shutdown" once replaced or removed.
	DesiredState        TaskState
	NetworksAttachments []NetworkAttachment `json:",omitempty"`
	// JobIteration is the job run the task belongs to (job-mode services).
	JobIteration *Version `json:",omitempty"`
}

// TaskState is a step of a task's life.
type TaskState string

// Task states, in their order of progress.
const (
	TaskStateNew       TaskState = "new"
	TaskStateAllocated TaskState = "allocated"
	TaskStatePending   TaskState = "pending"
	TaskStateAssigned  TaskState = "assigned"
	TaskStateAccepted  TaskState = "accepted"
	TaskStatePreparing TaskState = "preparing"
	TaskStateReady     TaskState = "ready"
	TaskStateStarting  TaskState = "starting"
	TaskStateRunning   TaskState = "running"
	TaskStateComplete  TaskState = "complete"
	TaskStateShutdown  TaskState = "shutdown"
	TaskStateFailed    TaskState = "failed"
	TaskStateRejected  TaskState = "rejected"
	TaskStateRemove    TaskState = "remove"
	TaskStateOrphaned  TaskState = "orphaned"
)

// TaskStatus is a task's current state.
type TaskStatus struct {
	Timestamp       time.Time
	State           TaskState
	Message         string           `json:",omitempty"`
	Err             string           `json:",omitempty"` // why the task failed or was rejected
	ContainerStatus *ContainerStatus `json:",omitempty"`
	PortStatus      PortStatus
}

// ContainerStatus is the state of a task's container.
type ContainerStatus struct {
	ContainerID string
	PID         int `json:",omitempty"`
	ExitCode    int `json:",omitempty"`
}

// PortStatus lists the host-mode ports a task published.
type PortStatus struct {
	Ports []PortConfig `json:",omitempty"`
}

// NetworkAttachment is a task's attachment to a network and its addresses
// there.
type NetworkAttachment struct {
	Network   Network
	Addresses []string // CIDR notation
}

// Network is a swarm network as the swarm API (tasks) reports it. For the
// Engine's network endpoints use the network package.
type Network struct {
	ID          string
	Version     Version
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Spec        NetworkSpec
	DriverState Driver
	IPAMOptions *IPAMOptions `json:",omitempty"`
}

// NetworkSpec is a swarm network's configuration.
type NetworkSpec struct {
	Name                string            `json:",omitempty"`
	Labels              map[string]string `json:",omitempty"`
	DriverConfiguration *Driver           `json:",omitempty"`
	IPv6Enabled         bool              `json:",omitempty"`
	Internal            bool              `json:",omitempty"`
	Attachable          bool              `json:",omitempty"`
	Ingress             bool              `json:",omitempty"`
	IPAMOptions         *IPAMOptions      `json:",omitempty"`
	ConfigFrom          *ConfigFrom       `json:",omitempty"`
	Scope               string            `json:",omitempty"`
}

// ConfigFrom names the config-only network a network takes its
// configuration from.
type ConfigFrom struct {
	Network string
}

// IPAMOptions is a swarm network's address management.
type IPAMOptions struct {
	Driver  Driver
	Configs []IPAMConfig `json:",omitempty"`
}

// IPAMConfig is one address pool of a swarm network.
type IPAMConfig struct {
	Subnet  string `json:",omitempty"`
	Range   string `json:",omitempty"`
	Gateway string `json:",omitempty"`
}
