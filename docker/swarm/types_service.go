package swarm

import "time"

// ServiceSpec is the user-modifiable configuration of a service, the body
// of POST /services/create and POST /services/{id}/update. An update
// replaces the whole spec: start from the Spec read by Inspect.
type ServiceSpec struct {
	Name         string            `json:",omitempty"`
	Labels       map[string]string `json:",omitempty"`
	TaskTemplate TaskSpec
	// Mode is replicated with one task when left zero.
	Mode           ServiceMode
	UpdateConfig   *UpdateConfig `json:",omitempty"`
	RollbackConfig *UpdateConfig `json:",omitempty"`
	// Networks is deprecated since API 1.44: use TaskTemplate.Networks.
	Networks     []NetworkAttachmentConfig `json:",omitempty"`
	EndpointSpec *EndpointSpec             `json:",omitempty"`
}

// ServiceMode is how a service schedules its tasks: set exactly one field
// (ReplicatedMode, GlobalMode, ReplicatedJobMode and GlobalJobMode build
// them).
type ServiceMode struct {
	Replicated    *ReplicatedService `json:",omitempty"`
	Global        *GlobalService     `json:",omitempty"`
	ReplicatedJob *ReplicatedJob     `json:",omitempty"`
	GlobalJob     *GlobalJob         `json:",omitempty"`
}

// ReplicatedService runs a number of tasks somewhere in the swarm.
type ReplicatedService struct {
	// Replicas is the task count; nil means 1, and 0 is a valid count.
	Replicas *uint64 `json:",omitempty"`
}

// GlobalService runs one task on every eligible node.
type GlobalService struct{}

// ReplicatedJob runs tasks to completion, MaxConcurrent at a time, until
// TotalCompletions of them completed. Nil fields take the daemon's defaults
// (MaxConcurrent 1, TotalCompletions MaxConcurrent).
type ReplicatedJob struct {
	MaxConcurrent    *uint64 `json:",omitempty"`
	TotalCompletions *uint64 `json:",omitempty"`
}

// GlobalJob runs one task to completion on every eligible node.
type GlobalJob struct{}

// ReplicatedMode returns a replicated mode with n tasks.
func ReplicatedMode(n uint64) ServiceMode {
	return ServiceMode{Replicated: &ReplicatedService{Replicas: &n}}
}

// GlobalMode returns the global mode: one task per eligible node.
func GlobalMode() ServiceMode { return ServiceMode{Global: &GlobalService{}} }

// ReplicatedJobMode returns a replicated-job mode that completes total
// tasks, maxConcurrent at a time.
func ReplicatedJobMode(maxConcurrent, total uint64) ServiceMode {
	return ServiceMode{ReplicatedJob: &ReplicatedJob{MaxConcurrent: &maxConcurrent, TotalCompletions: &total}}
}

// GlobalJobMode returns the global-job mode: one task to completion per
// eligible node.
func GlobalJobMode() ServiceMode { return ServiceMode{GlobalJob: &GlobalJob{}} }

// UpdateConfig is how a service rolls out an update (or a rollback).
type UpdateConfig struct {
	// Parallelism is how many tasks are updated at once (0: all).
	Parallelism uint64
	// Delay between batches.
	Delay time.Duration `json:",omitempty"`
	// FailureAction is "pause" (the default), "continue" or "rollback"
	// (updates only).
	FailureAction string `json:",omitempty"`
	// Monitor is how long each updated task is watched for failure.
	Monitor time.Duration `json:",omitempty"`
	// MaxFailureRatio is the fraction of tasks, 0-1, that may fail before
	// FailureAction applies.
	MaxFailureRatio float32
	// Order is "stop-first" (the default) or "start-first".
	Order string `json:",omitempty"`
}

// EndpointSpec says how a service is reached: its ports and the load
// balancing mode.
type EndpointSpec struct {
	// Mode is "vip" (a virtual IP, the default) or "dnsrr" (DNS round
	// robin, without published ingress ports).
	Mode  string       `json:",omitempty"`
	Ports []PortConfig `json:",omitempty"`
}

// PortConfig is a published port.
type PortConfig struct {
	Name          string `json:",omitempty"`
	Protocol      string `json:",omitempty"` // "tcp" (default), "udp", "sctp"
	TargetPort    uint32 `json:",omitempty"` // the port inside the container
	PublishedPort uint32 `json:",omitempty"` // the port on the nodes (assigned when zero)
	// PublishMode is "ingress" (every node, through the routing mesh; the
	// default) or "host" (the node running the task).
	PublishMode string `json:",omitempty"`
}

// Service is a service as GET /services and GET /services/{id} report it.
type Service struct {
	ID        string
	Version   Version
	CreatedAt time.Time
	UpdatedAt time.Time
	Spec      ServiceSpec
	// PreviousSpec is the spec before the last update, what a rollback
	// returns to (sent by the daemon though the API specification does not
	// list it).
	PreviousSpec *ServiceSpec `json:",omitempty"`
	Endpoint     Endpoint
	UpdateStatus *UpdateStatus `json:",omitempty"`
	// ServiceStatus counts the tasks; List fills it with the Status option.
	ServiceStatus *ServiceStatus `json:",omitempty"`
	// JobStatus is set for job-mode services.
	JobStatus *JobStatus `json:",omitempty"`
}

// Endpoint is the state of a service's endpoint: its spec, the ports
// actually published and its virtual IPs.
type Endpoint struct {
	Spec       EndpointSpec
	Ports      []PortConfig `json:",omitempty"`
	VirtualIPs []VirtualIP  `json:",omitempty"`
}

// VirtualIP is a service's address on one network.
type VirtualIP struct {
	NetworkID string
	Addr      string // CIDR notation
}

// UpdateState is the state of a service's update or rollback.
type UpdateState string

// Update states. The rollback states are sent by the daemon though the API
// specification lists only the first three.
const (
	UpdateStateUpdating          UpdateState = "updating"
	UpdateStatePaused            UpdateState = "paused"
	UpdateStateCompleted         UpdateState = "completed"
	UpdateStateRollbackStarted   UpdateState = "rollback_started"
	UpdateStateRollbackPaused    UpdateState = "rollback_paused"
	UpdateStateRollbackCompleted UpdateState = "rollback_completed"
)

// UpdateStatus is the progress of a service's last update or rollback.
type UpdateStatus struct {
	State       UpdateState `json:",omitempty"`
	StartedAt   *time.Time  `json:",omitempty"`
	CompletedAt *time.Time  `json:",omitempty"`
	Message     string      `json:",omitempty"`
}

// ServiceStatus counts a service's tasks.
type ServiceStatus struct {
	RunningTasks   uint64
	DesiredTasks   uint64
	CompletedTasks uint64 // jobs only
}

// JobStatus is the state of a job-mode service.
type JobStatus struct {
	// JobIteration grows each time the job is (re)started, by an update; it
	// tells the tasks of one run from those of another.
	JobIteration  Version
	LastExecution time.Time `json:",omitempty"`
}

// CreateResult is the answer of POST /services/create.
type CreateResult struct {
	ID       string
	Warnings []string
}

// UpdateResult is the answer of POST /services/{id}/update.
type UpdateResult struct {
	Warnings []string
}
