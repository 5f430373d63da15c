package docker

import (
	"encoding/json"
	"time"
)

// ServerVersion is the answer of GET /version.
type ServerVersion struct {
	Platform      struct{ Name string } `json:"Platform"`
	Components    []ComponentVersion    `json:"Components,omitempty"`
	Version       string                `json:"Version"`
	APIVersion    string                `json:"ApiVersion"`
	MinAPIVersion string                `json:"MinAPIVersion,omitempty"`
	GitCommit     string                `json:"GitCommit"`
	GoVersion     string                `json:"GoVersion"`
	Os            string                `json:"Os"`
	Arch          string                `json:"Arch"`
	KernelVersion string                `json:"KernelVersion,omitempty"`
	Experimental  bool                  `json:"Experimental,omitempty"`
	BuildTime     string                `json:"BuildTime,omitempty"`
}

// ComponentVersion is one component of the Engine (Engine, containerd, runc, ...).
type ComponentVersion struct {
	Name    string
	Version string
	// Details is free-form and not part of the API contract.
	Details map[string]any `json:",omitempty"`
}

// Info is the answer of GET /info: the daemon's configuration and state.
// Fields that an older daemon does not send stay zero; fields that newer
// APIs removed (KernelMemory, ClusterStore, ...) are kept for old daemons.
type Info struct {
	ID                  string `json:"ID"`
	Containers          int
	ContainersRunning   int
	ContainersPaused    int
	ContainersStopped   int
	Images              int
	Driver              string
	DriverStatus        [][2]string
	DockerRootDir       string
	Plugins             PluginsInfo
	MemoryLimit         bool
	SwapLimit           bool
	KernelMemory        bool `json:",omitempty"` // API < 1.42
	KernelMemoryTCP     bool `json:",omitempty"` // API < 1.42
	CPUCfsPeriod        bool `json:"CpuCfsPeriod"`
	CPUCfsQuota         bool `json:"CpuCfsQuota"`
	CPUShares           bool
	CPUSet              bool
	PidsLimit           bool
	OomKillDisable      bool
	IPv4Forwarding      bool
	BridgeNfIptables    bool `json:",omitempty"` // API < 1.48
	BridgeNfIP6tables   bool `json:"BridgeNfIp6tables,omitempty"`
	Debug               bool
	NFd                 int
	NGoroutines         int
	SystemTime          string
	LoggingDriver       string
	CgroupDriver        string
	CgroupVersion       string
	NEventsListener     int
	KernelVersion       string
	OperatingSystem     string
	OSVersion           string
	OSType              string
	Architecture        string
	NCPU                int
	MemTotal            int64
	IndexServerAddress  string
	RegistryConfig      *RegistryServiceConfig
	GenericResources    []GenericResource `json:",omitempty"`
	HTTPProxy           string            `json:"HttpProxy"`
	HTTPSProxy          string            `json:"HttpsProxy"`
	NoProxy             string
	Name                string
	Labels              []string
	ExperimentalBuild   bool
	ServerVersion       string
	ClusterStore        string `json:",omitempty"` // API < 1.42
	ClusterAdvertise    string `json:",omitempty"` // API < 1.42
	Runtimes            map[string]Runtime
	DefaultRuntime      string
	Swarm               SwarmInfo
	LiveRestoreEnabled  bool
	Isolation           string
	InitBinary          string
	ContainerdCommit    Commit
	RuncCommit          Commit
	InitCommit          Commit
	SecurityOptions     []string
	ProductLicense      string        `json:",omitempty"`
	DefaultAddressPools []AddressPool `json:",omitempty"`
	FirewallBackend     *FirewallInfo `json:",omitempty"` // API >= 1.49
	DiscoveredDevices   []DeviceInfo  `json:",omitempty"` // API >= 1.50
	NRI                 *NRIInfo      `json:",omitempty"` // API >= 1.53
	Warnings            []string
	CDISpecDirs         []string        `json:",omitempty"` // API >= 1.46
	Containerd          *ContainerdInfo `json:",omitempty"` // API >= 1.46
}

// PluginsInfo lists the plugins available per kind.
type PluginsInfo struct {
	Volume        []string
	Network       []string
	Authorization []string
	Log           []string
}

// RegistryServiceConfig is the daemon's registry configuration.
type RegistryServiceConfig struct {
	AllowNondistributableArtifactsCIDRs     []string `json:",omitempty"` // API < 1.49
	AllowNondistributableArtifactsHostnames []string `json:",omitempty"` // API < 1.49
	InsecureRegistryCIDRs                   []string
	IndexConfigs                            map[string]IndexInfo
	Mirrors                                 []string
}

// IndexInfo describes one registry index.
type IndexInfo struct {
	Name     string
	Mirrors  []string
	Secure   bool
	Official bool
}

// GenericResource is a user-defined resource a node advertises (swarm); one
// of its two fields is set.
type GenericResource struct {
	NamedResourceSpec    *NamedGenericResource    `json:",omitempty"`
	DiscreteResourceSpec *DiscreteGenericResource `json:",omitempty"`
}

// NamedGenericResource is a resource identified by a string value (a GPU's UUID).
type NamedGenericResource struct {
	Kind  string
	Value string
}

// DiscreteGenericResource is a countable resource.
type DiscreteGenericResource struct {
	Kind  string
	Value int64
}

// Runtime is an OCI runtime the daemon knows.
type Runtime struct {
	Path        string            `json:"path,omitempty"`
	RuntimeArgs []string          `json:"runtimeArgs,omitempty"`
	Status      map[string]string `json:"status,omitempty"` // API >= 1.46, free-form
}

// Commit names the version of a bundled component (containerd, runc, init).
type Commit struct {
	ID       string
	Expected string `json:",omitempty"` // API < 1.49
}

// AddressPool is one default address pool for local networks.
type AddressPool struct {
	Base string
	Size int
}

// FirewallInfo describes the daemon's firewall backend.
type FirewallInfo struct {
	Driver string
	Info   [][2]string
}

// DeviceInfo is a device discovered by a device driver (CDI).
type DeviceInfo struct {
	Source string
	ID     string
}

// NRIInfo describes the Node Resource Interface configuration.
type NRIInfo struct {
	Info [][2]string
}

// ContainerdInfo tells where the daemon's containerd is.
type ContainerdInfo struct {
	Address    string
	Namespaces struct {
		Containers string
		Plugins    string
	}
}

// SwarmInfo is the daemon's view of its swarm membership (Info.Swarm).
type SwarmInfo struct {
	NodeID           string
	NodeAddr         string
	LocalNodeState   string // "", inactive, pending, active, error, locked
	ControlAvailable bool
	Error            string
	RemoteManagers   []PeerNode
	Nodes            int          `json:",omitempty"`
	Managers         int          `json:",omitempty"`
	Cluster          *ClusterInfo `json:",omitempty"`
}

// PeerNode is a manager the node knows.
type PeerNode struct {
	NodeID string
	Addr   string
}

// ClusterInfo describes the swarm cluster. The swarm package reuses it.
type ClusterInfo struct {
	ID                     string
	Version                ObjectVersion
	CreatedAt              time.Time
	UpdatedAt              time.Time
	Spec                   SwarmSpec
	TLSInfo                TLSInfo
	RootRotationInProgress bool
	DataPathPort           uint32
	DefaultAddrPool        []string
	SubnetSize             uint32
}

// ObjectVersion is the version of a swarm object; updates must send the
// version they read (optimistic concurrency).
type ObjectVersion struct {
	Index uint64
}

// SwarmSpec is the user-modifiable configuration of a swarm. The swarm
// package reuses it as swarm.Spec.
type SwarmSpec struct {
	Name             string               `json:",omitempty"`
	Labels           map[string]string    `json:",omitempty"`
	Orchestration    *OrchestrationConfig `json:",omitempty"`
	Raft             RaftConfig
	Dispatcher       *DispatcherConfig `json:",omitempty"`
	CAConfig         *CAConfig         `json:",omitempty"`
	EncryptionConfig EncryptionConfig
	TaskDefaults     TaskDefaults
}

// OrchestrationConfig configures task orchestration.
type OrchestrationConfig struct {
	TaskHistoryRetentionLimit *int64 `json:",omitempty"`
}

// RaftConfig configures the Raft store.
type RaftConfig struct {
	SnapshotInterval           uint64  `json:",omitempty"`
	KeepOldSnapshots           *uint64 `json:",omitempty"`
	LogEntriesForSlowFollowers uint64  `json:",omitempty"`
	ElectionTick               int     `json:",omitempty"`
	HeartbeatTick              int     `json:",omitempty"`
}

// DispatcherConfig configures task dispatch.
type DispatcherConfig struct {
	HeartbeatPeriod time.Duration `json:",omitempty"` // nanoseconds on the wire
}

// CAConfig configures the cluster's certificate authority.
type CAConfig struct {
	NodeCertExpiry time.Duration `json:",omitempty"` // nanoseconds on the wire
	ExternalCAs    []ExternalCA  `json:",omitempty"`
	SigningCACert  string        `json:",omitempty"`
	SigningCAKey   string        `json:",omitempty"`
	ForceRotate    uint64        `json:",omitempty"`
}

// ExternalCA is an external certificate authority (cfssl).
type ExternalCA struct {
	Protocol string            `json:",omitempty"`
	URL      string            `json:",omitempty"`
	Options  map[string]string `json:",omitempty"`
	CACert   string            `json:",omitempty"`
}

// EncryptionConfig configures encryption at rest.
type EncryptionConfig struct {
	AutoLockManagers bool
}

// TaskDefaults are defaults for tasks created in the swarm.
type TaskDefaults struct {
	LogDriver *LogDriver `json:",omitempty"`
}

// LogDriver names a logging driver and its options.
type LogDriver struct {
	Name    string            `json:",omitempty"`
	Options map[string]string `json:",omitempty"`
}

// TLSInfo is the cluster's TLS trust root and issuer.
type TLSInfo struct {
	TrustRoot           string `json:",omitempty"`
	CertIssuerSubject   string `json:",omitempty"`
	CertIssuerPublicKey string `json:",omitempty"`
}

// DiskUsage is the answer of GET /system/df. Before API 1.52 the daemon
// fills the per-object lists (LayersSize, Images, Containers, Volumes,
// BuildCache); from 1.52 it fills the *Usage summaries, with items only when
// Verbose is asked for. Items are kept as the daemon's JSON so this core
// package does not depend on the resource packages: decode them into
// image.Summary, container.Summary or volume.Volume as needed.
type DiskUsage struct {
	LayersSize int64              `json:",omitempty"`
	Images     []json.RawMessage  `json:",omitempty"`
	Containers []json.RawMessage  `json:",omitempty"`
	Volumes    []json.RawMessage  `json:",omitempty"`
	BuildCache []BuildCacheRecord `json:",omitempty"`

	ImageUsage      *UsageSummary `json:"ImageUsage,omitempty"`
	ContainerUsage  *UsageSummary `json:"ContainerUsage,omitempty"`
	VolumeUsage     *UsageSummary `json:"VolumeUsage,omitempty"`
	BuildCacheUsage *UsageSummary `json:"BuildCacheUsage,omitempty"`
}

// UsageSummary sums up the disk use of one kind of object (API >= 1.52).
type UsageSummary struct {
	ActiveCount int64
	TotalCount  int64
	Reclaimable int64
	TotalSize   int64
	Items       []json.RawMessage `json:",omitempty"`
}

// BuildCacheRecord is one build cache entry.
type BuildCacheRecord struct {
	ID          string
	Parent      string   `json:",omitempty"` // API < 1.42
	Parents     []string `json:",omitempty"` // API >= 1.42
	Type        string
	Description string
	InUse       bool
	Shared      bool
	Size        int64
	CreatedAt   time.Time
	LastUsedAt  *time.Time `json:",omitempty"`
	UsageCount  int
}
