package swarm

import (
	"os"
	"time"
)

// TaskSpec is the template of a service's tasks. Exactly one of
// ContainerSpec, PluginSpec (Runtime "plugin") and NetworkAttachmentSpec
// (Runtime "attachment", read-only) is set; services almost always use
// ContainerSpec.
type TaskSpec struct {
	ContainerSpec         *ContainerSpec         `json:",omitempty"`
	PluginSpec            *PluginSpec            `json:",omitempty"`
	NetworkAttachmentSpec *NetworkAttachmentSpec `json:",omitempty"`

	Resources     *ResourceRequirements `json:",omitempty"`
	RestartPolicy *RestartPolicy        `json:",omitempty"`
	Placement     *Placement            `json:",omitempty"`
	// ForceUpdate is a counter: raising it redeploys the tasks even when
	// nothing else changed.
	ForceUpdate uint64 `json:",omitempty"`
	// Runtime is "container" (the default), "plugin" or "attachment".
	Runtime string `json:",omitempty"`
	// Networks are the networks the tasks attach to (overlay networks by
	// name or id). Without any, tasks use the node's default bridge.
	Networks []NetworkAttachmentConfig `json:",omitempty"`
	// LogDriver overrides the swarm's TaskDefaults.LogDriver.
	LogDriver *LogDriver `json:",omitempty"`
}

// ContainerSpec describes the container each task runs. Its shapes are the
// swarm API's own (durations in nanoseconds, mounts, secrets and configs by
// reference), distinct from the container package's.
type ContainerSpec struct {
	Image    string            `json:",omitempty"`
	Labels   map[string]string `json:",omitempty"`
	Command  []string          `json:",omitempty"` // replaces the image's entrypoint
	Args     []string          `json:",omitempty"` // replaces the image's cmd
	Hostname string            `json:",omitempty"`
	Env      []string          `json:",omitempty"` // "KEY=value"
	Dir      string            `json:",omitempty"`
	User     string            `json:",omitempty"`
	Groups   []string          `json:",omitempty"`

	Privileges *Privileges `json:",omitempty"`
	// Init runs an init process that forwards signals and reaps zombies;
	// nil leaves it to the daemon's configuration.
	Init *bool `json:",omitempty"`

	TTY       bool `json:",omitempty"`
	OpenStdin bool `json:",omitempty"`
	ReadOnly  bool `json:",omitempty"` // read-only root filesystem

	Mounts []Mount `json:",omitempty"`

	StopSignal string `json:",omitempty"`
	// StopGracePeriod is how long a task gets to stop before it is killed;
	// nil means the daemon's default (10s), zero kills at once.
	StopGracePeriod *time.Duration `json:",omitempty"`

	Healthcheck *HealthConfig `json:",omitempty"`
	Hosts       []string      `json:",omitempty"` // extra /etc/hosts lines: "IP name [aliases...]"
	DNSConfig   *DNSConfig    `json:",omitempty"`

	Secrets []SecretReference `json:",omitempty"`
	Configs []ConfigReference `json:",omitempty"`

	Isolation      string            `json:",omitempty"` // Windows: "default", "process", "hyperv"
	Sysctls        map[string]string `json:",omitempty"`
	CapabilityAdd  []string          `json:",omitempty"`
	CapabilityDrop []string          `json:",omitempty"`
	Ulimits        []Ulimit          `json:",omitempty"`
	// OomScoreAdj tunes the OOM killer's preference (API >= 1.46).
	OomScoreAdj int64 `json:",omitempty"`
}

// Privileges are a task container's security options.
type Privileges struct {
	CredentialSpec *CredentialSpec `json:",omitempty"`
	SELinuxContext *SELinuxContext `json:",omitempty"`
	Seccomp        *SeccompOpts    `json:",omitempty"` // API >= 1.44
	AppArmor       *AppArmorOpts   `json:",omitempty"` // API >= 1.44
	// NoNewPrivileges sets the no_new_privs bit. The version history does
	// not say which API version added it; Engine 20.10 (API 1.41) ignores it.
	NoNewPrivileges bool `json:",omitempty"`
}

// CredentialSpec loads a Windows managed service account's credential spec
// from one of three places (set one).
type CredentialSpec struct {
	Config   string `json:",omitempty"` // a swarm config's id, also listed in ContainerSpec.Configs with a Runtime target
	File     string `json:",omitempty"` // a file in the daemon's CredentialSpecs directory
	Registry string `json:",omitempty"` // a value under the Windows registry's CredentialSpecs key
}

// SELinuxContext sets the container's SELinux labels.
type SELinuxContext struct {
	Disable bool   `json:",omitempty"`
	User    string `json:",omitempty"`
	Role    string `json:",omitempty"`
	Type    string `json:",omitempty"`
	Level   string `json:",omitempty"`
}

// SeccompOpts configures seccomp.
type SeccompOpts struct {
	Mode string `json:",omitempty"` // "default", "unconfined" or "custom"
	// Profile is the custom profile's JSON (Mode "custom"); it travels
	// base64-encoded, as the daemon reads it.
	Profile []byte `json:",omitempty"`
}

// AppArmorOpts configures AppArmor.
type AppArmorOpts struct {
	Mode string `json:",omitempty"` // "default" or "disabled"
}

// DNSConfig is the task container's resolv.conf.
type DNSConfig struct {
	Nameservers []string `json:",omitempty"`
	Search      []string `json:",omitempty"`
	Options     []string `json:",omitempty"` // "ndots:3", "timeout:2", ...
}

// SecretReference exposes a secret to a task as a file under /run/secrets.
type SecretReference struct {
	File       *FileTarget `json:",omitempty"`
	SecretID   string      // required: the daemon resolves the secret by id
	SecretName string      // the name, for display; required by the daemon too
}

// ConfigReference exposes a config to a task, as a file (File, under / by
// default) or for the runtime's own use (Runtime, e.g. a credential spec).
type ConfigReference struct {
	File       *FileTarget    `json:",omitempty"`
	Runtime    *RuntimeTarget `json:",omitempty"`
	ConfigID   string
	ConfigName string
}

// FileTarget is the file a secret or config appears as inside the task.
type FileTarget struct {
	Name string      // the file name (secrets: relative to /run/secrets)
	UID  string      // "0" when empty
	GID  string      // "0" when empty
	Mode os.FileMode // 0444 is usual; sent as a decimal number
}

// RuntimeTarget marks a config used by the runtime rather than mounted.
type RuntimeTarget struct{}

// Ulimit is one resource limit of the task container.
type Ulimit struct {
	Name string
	Soft int64
	Hard int64
}

// PluginSpec is the plugin a task of a plugin-runtime service installs
// (experimental in the Engine).
type PluginSpec struct {
	Name            string            `json:",omitempty"`
	Remote          string            `json:",omitempty"`
	Disabled        bool              `json:",omitempty"`
	PluginPrivilege []PluginPrivilege `json:",omitempty"`
}

// PluginPrivilege is a privilege a plugin asks for and the user grants.
type PluginPrivilege struct {
	Name        string
	Description string
	Value       []string
}

// NetworkAttachmentSpec is what a task stands for when a standalone
// container attaches to a swarm network (read-only).
type NetworkAttachmentSpec struct {
	ContainerID string
}

// ResourceRequirements are a task's resource limits and reservations.
type ResourceRequirements struct {
	Limits       *Limit     `json:",omitempty"`
	Reservations *Resources `json:",omitempty"`
	// SwapBytes is the swap allowed with a memory limit, -1 for unlimited;
	// nil leaves the default (twice the memory limit) (API >= 1.52).
	SwapBytes *int64 `json:",omitempty"`
	// MemorySwappiness is 0-100, or -1 to unset a previous value; nil
	// leaves the default (API >= 1.52).
	MemorySwappiness *int64 `json:",omitempty"`
}

// Limit caps a task's resources.
type Limit struct {
	NanoCPUs    int64 `json:",omitempty"` // 1e9 is one CPU
	MemoryBytes int64 `json:",omitempty"`
	Pids        int64 `json:",omitempty"` // 0 is unlimited
}

// RestartCondition says when a task's container is restarted.
type RestartCondition string

// Restart conditions.
const (
	RestartNone      RestartCondition = "none"
	RestartOnFailure RestartCondition = "on-failure"
	RestartAny       RestartCondition = "any"
)

// RestartPolicy says when and how the orchestrator replaces a task whose
// container exited. The pointers tell "unset" (the daemon's default) from
// zero.
type RestartPolicy struct {
	Condition RestartCondition `json:",omitempty"` // "any" when empty
	// Delay between restarts (5s when nil).
	Delay *time.Duration `json:",omitempty"`
	// MaxAttempts before giving up (unlimited when nil or 0).
	MaxAttempts *uint64 `json:",omitempty"`
	// Window in which attempts are counted (unbounded when nil or 0).
	Window *time.Duration `json:",omitempty"`
}

// Placement restricts and spreads the nodes tasks run on.
type Placement struct {
	// Constraints must all hold: "node.role==manager",
	// "node.labels.zone!=a", "node.platform.os==linux", ...
	Constraints []string              `json:",omitempty"`
	Preferences []PlacementPreference `json:",omitempty"`
	// MaxReplicas caps the tasks per node (0: no cap).
	MaxReplicas uint64 `json:",omitempty"`
	// Platforms the image runs on; the scheduler filters nodes by them.
	Platforms []Platform `json:",omitempty"`
}

// PlacementPreference spreads tasks evenly over the values of a label.
type PlacementPreference struct {
	Spread *SpreadOver `json:",omitempty"`
}

// SpreadOver names the label to spread over, e.g. "node.labels.datacenter".
type SpreadOver struct {
	SpreadDescriptor string
}

// NetworkAttachmentConfig attaches a service's tasks to a network.
type NetworkAttachmentConfig struct {
	Target     string            // a network name or id
	Aliases    []string          `json:",omitempty"`
	DriverOpts map[string]string `json:",omitempty"`
}
