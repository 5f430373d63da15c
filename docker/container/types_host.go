package container

import "os"

// HostConfig is the non-portable part of a container's configuration:
// resources, mounts, networking mode, restart policy, privileges. The zero
// value asks for the daemon's defaults. Resources are embedded, so their
// fields sit at the top level as the API wants.
type HostConfig struct {
	Resources

	Binds           []string  `json:",omitempty"` // "host-src:container-dest[:options]"
	ContainerIDFile string    `json:",omitempty"`
	LogConfig       LogConfig `json:",omitzero"`
	// NetworkMode is "bridge", "host", "none", "container:<id>" or the name
	// of a network.
	NetworkMode   string        `json:",omitempty"`
	PortBindings  PortMap       `json:",omitempty"`
	RestartPolicy RestartPolicy `json:",omitzero"`
	// AutoRemove makes the daemon remove the container once it exits,
	// with its anonymous volumes. Wait for such a container with
	// BeginWait before starting it: afterwards it may be gone.
	AutoRemove   bool     `json:",omitempty"`
	VolumeDriver string   `json:",omitempty"`
	VolumesFrom  []string `json:",omitempty"` // "container[:ro|rw]"
	Mounts       []Mount  `json:",omitempty"`
	// ConsoleSize is the initial TTY size, {height, width} (honoured on
	// Linux from API 1.42).
	ConsoleSize [2]uint `json:",omitzero"`
	// Annotations are passed to the OCI runtime (API >= 1.43).
	Annotations map[string]string `json:",omitempty"`

	CapAdd  []string `json:",omitempty"`
	CapDrop []string `json:",omitempty"`
	// CgroupnsMode is "private" or "host" (API >= 1.41).
	CgroupnsMode string   `json:",omitempty"`
	DNS          []string `json:"Dns,omitempty"`
	DNSOptions   []string `json:"DnsOptions,omitempty"`
	DNSSearch    []string `json:"DnsSearch,omitempty"`
	ExtraHosts   []string `json:",omitempty"` // "hostname:IP"
	GroupAdd     []string `json:",omitempty"`
	// IPCMode is "none", "private", "shareable", "container:<id>" or "host".
	IPCMode         string            `json:"IpcMode,omitempty"`
	Cgroup          string            `json:",omitempty"`
	Links           []string          `json:",omitempty"`
	OOMScoreAdj     int               `json:"OomScoreAdj,omitempty"`
	PIDMode         string            `json:"PidMode,omitempty"`
	Privileged      bool              `json:",omitempty"`
	PublishAllPorts bool              `json:",omitempty"`
	ReadonlyRootfs  bool              `json:",omitempty"`
	SecurityOpt     []string          `json:",omitempty"`
	StorageOpt      map[string]string `json:",omitempty"`
	Tmpfs           map[string]string `json:",omitempty"` // container path -> mount options
	UTSMode         string            `json:",omitempty"`
	UsernsMode      string            `json:",omitempty"`
	ShmSize         int64             `json:",omitempty"` // bytes of /dev/shm
	Sysctls         map[string]string `json:",omitempty"`
	Runtime         string            `json:",omitempty"`
	// Umask is the initial umask of the container's processes (API >= 1.56).
	// It is a pointer because 0 is a meaningful umask.
	Umask *uint32 `json:",omitempty"`
	// Isolation is "default", "process" or "hyperv" (Windows only).
	Isolation string `json:",omitempty"`
	// MaskedPaths and ReadonlyPaths have no omitempty: nil keeps the
	// daemon's default lists, an empty non-nil slice clears them.
	MaskedPaths   []string
	ReadonlyPaths []string
}

// Resources are a container's resource limits, set at Create (inside
// HostConfig) and changed with Update. The zero value of each field means
// the daemon's default on Create and "leave unchanged" on Update.
type Resources struct {
	CPUShares    int64  `json:"CpuShares,omitempty"` // relative weight
	Memory       int64  `json:",omitempty"`          // bytes
	CgroupParent string `json:",omitempty"`

	BlkioWeight uint16 `json:",omitempty"` // 10 to 1000
	// The per-device rules: on Update (API >= 1.55; older daemons ignore
	// them there) nil leaves a device list unchanged and an empty, non-nil
	// slice clears it.
	BlkioWeightDevice    []WeightDevice   `json:",omitzero"`
	BlkioDeviceReadBps   []ThrottleDevice `json:",omitzero"`
	BlkioDeviceWriteBps  []ThrottleDevice `json:",omitzero"`
	BlkioDeviceReadIOps  []ThrottleDevice `json:",omitzero"`
	BlkioDeviceWriteIOps []ThrottleDevice `json:",omitzero"`

	CPUPeriod          int64  `json:"CpuPeriod,omitempty"` // microseconds of the CFS period
	CPUQuota           int64  `json:"CpuQuota,omitempty"`  // microseconds per period
	CPURealtimePeriod  int64  `json:"CpuRealtimePeriod,omitempty"`
	CPURealtimeRuntime int64  `json:"CpuRealtimeRuntime,omitempty"`
	CPUSetCPUs         string `json:"CpusetCpus,omitempty"` // "0-3", "0,1"
	CPUSetMems         string `json:"CpusetMems,omitempty"`

	Devices           []DeviceMapping `json:",omitempty"`
	DeviceCgroupRules []string        `json:",omitempty"` // "c 13:* rwm"
	DeviceRequests    []DeviceRequest `json:",omitempty"`

	// KernelMemory and KernelMemoryTCP are limits that API 1.42 removed
	// (1.41 daemons still report them).
	KernelMemory    int64 `json:",omitempty"`
	KernelMemoryTCP int64 `json:",omitempty"`

	MemoryReservation int64 `json:",omitempty"` // soft limit, bytes
	// MemorySwap is memory plus swap in bytes; -1 is unlimited swap.
	MemorySwap int64 `json:",omitempty"`
	// MemorySwappiness is 0 to 100. A pointer, because 0 is meaningful and
	// unset inherits the host's value.
	MemorySwappiness *int64 `json:",omitempty"`
	NanoCPUs         int64  `json:"NanoCpus,omitempty"` // CPU quota in units of 1e-9 CPUs
	// OOMKillDisable is a pointer so that an Update can turn it off.
	OOMKillDisable *bool `json:"OomKillDisable,omitempty"`
	// Init runs an init process as PID 1; nil uses the daemon's setting.
	Init *bool `json:",omitempty"`
	// PidsLimit caps the number of processes; 0 or -1 is unlimited, nil
	// leaves it unchanged.
	PidsLimit *int64   `json:",omitempty"`
	Ulimits   []Ulimit `json:",omitempty"`

	// Windows only.
	CPUCount           int64  `json:"CpuCount,omitempty"`
	CPUPercent         int64  `json:"CpuPercent,omitempty"`
	IOMaximumIOps      uint64 `json:",omitempty"`
	IOMaximumBandwidth uint64 `json:",omitempty"` // bytes per second
}

// WeightDevice is a relative block-I/O weight for one device.
type WeightDevice struct {
	Path   string
	Weight uint16
}

// ThrottleDevice is a block-I/O rate limit (bytes or operations per second)
// for one device.
type ThrottleDevice struct {
	Path string
	Rate uint64
}

// DeviceMapping exposes a host device in the container.
type DeviceMapping struct {
	PathOnHost        string
	PathInContainer   string
	CgroupPermissions string // e.g. "rwm"
}

// DeviceRequest asks a device driver (such as "nvidia") for devices.
type DeviceRequest struct {
	Driver       string            `json:",omitempty"`
	Count        int               `json:",omitempty"` // -1 for all
	DeviceIDs    []string          `json:",omitempty"`
	Capabilities [][]string        `json:",omitempty"` // an OR list of AND lists
	Options      map[string]string `json:",omitempty"`
}

// Ulimit is a resource limit (see setrlimit(2)), e.g. {"nofile", 1024, 2048}.
type Ulimit struct {
	Name string
	Soft int64
	Hard int64
}

// RestartPolicy says when the daemon restarts the container.
type RestartPolicy struct {
	// Name is one of the RestartPolicy* constants; "" means "no".
	Name string `json:",omitempty"`
	// MaximumRetryCount bounds the restarts of "on-failure".
	MaximumRetryCount int `json:",omitempty"`
}

// Restart policy names.
const (
	RestartPolicyNo            = "no"
	RestartPolicyAlways        = "always"
	RestartPolicyUnlessStopped = "unless-stopped"
	RestartPolicyOnFailure     = "on-failure"
)

// LogConfig chooses the container's logging driver and its options.
type LogConfig struct {
	Type   string            `json:",omitempty"` // "json-file", "local", "none", ...; "" is the daemon's default
	Config map[string]string `json:",omitempty"`
}

// PortMap maps "port/proto" keys ("80/tcp") to the host addresses bound to
// them.
type PortMap map[string][]PortBinding

// PortBinding is one host address bound to a container port.
type PortBinding struct {
	HostIP   string `json:"HostIp"`
	HostPort string
}

// MountType is the kind of a Mount or MountPoint.
type MountType string

// Mount types.
const (
	MountBind    MountType = "bind"
	MountVolume  MountType = "volume"
	MountTmpfs   MountType = "tmpfs"
	MountNpipe   MountType = "npipe"
	MountCluster MountType = "cluster"
	MountImage   MountType = "image" // API >= 1.48
)

// Mount is a mount to set up in the container (HostConfig.Mounts). Only the
// options struct matching Type may be set; the daemon rejects the others.
type Mount struct {
	Target   string    `json:",omitempty"` // the path in the container
	Source   string    `json:",omitempty"` // host path, volume name or image reference
	Type     MountType `json:",omitempty"`
	ReadOnly bool      `json:",omitempty"`
	// Consistency is "default", "consistent", "cached" or "delegated".
	Consistency string `json:",omitempty"`

	BindOptions   BindOptions   `json:",omitzero"`
	VolumeOptions VolumeOptions `json:",omitzero"`
	ImageOptions  ImageOptions  `json:",omitzero"`
	TmpfsOptions  TmpfsOptions  `json:",omitzero"`
}

// BindOptions are the options of a bind mount.
type BindOptions struct {
	// Propagation is "private", "rprivate", "shared", "rshared", "slave"
	// or "rslave".
	Propagation            string `json:",omitempty"`
	NonRecursive           bool   `json:",omitempty"`
	CreateMountpoint       bool   `json:",omitempty"` // API >= 1.42
	ReadOnlyNonRecursive   bool   `json:",omitempty"` // API >= 1.44
	ReadOnlyForceRecursive bool   `json:",omitempty"` // API >= 1.44
}

// VolumeOptions are the options of a volume mount.
type VolumeOptions struct {
	NoCopy       bool              `json:",omitempty"` // do not copy the image's data into a new volume
	Labels       map[string]string `json:",omitempty"`
	DriverConfig Driver            `json:",omitzero"`
	Subpath      string            `json:",omitempty"` // API >= 1.45
}

// Driver names a volume driver and its options.
type Driver struct {
	Name    string            `json:",omitempty"`
	Options map[string]string `json:",omitempty"`
}

// ImageOptions are the options of an image mount.
type ImageOptions struct {
	Subpath string `json:",omitempty"`
}

// TmpfsOptions are the options of a tmpfs mount.
type TmpfsOptions struct {
	SizeBytes int64       `json:",omitempty"`
	Mode      os.FileMode `json:",omitempty"` // permission bits
	// Options are extra mount options, each ["option"] or
	// ["option", "value"] (API >= 1.46).
	Options [][]string `json:",omitempty"`
}
