package container

import "time"

// Details is what Inspect returns about one container.
type Details struct {
	ID      string    `json:"Id"`
	Created time.Time // when the container was created
	Path    string    // the program run
	Args    []string  // its arguments
	State   State
	Image   string // the image id

	ResolvConfPath string
	HostnamePath   string
	HostsPath      string
	LogPath        string
	Name           string // with a leading "/"
	RestartCount   int
	Driver         string // the storage driver
	Platform       string
	// ImageManifestDescriptor is the manifest of the image the container was
	// created from, when the daemon knows it (API >= 1.48).
	ImageManifestDescriptor *OCIDescriptor `json:",omitempty"`

	MountLabel      string
	ProcessLabel    string
	AppArmorProfile string
	ExecIDs         []string // the container's exec instances

	HostConfig  HostConfig
	GraphDriver DriverData
	// Storage describes the root file system when the daemon uses a
	// containerd snapshotter (API >= 1.51).
	Storage *Storage `json:",omitempty"`

	// SizeRw and SizeRootFs are set only when Inspect is given Size(): the
	// bytes written by the container and the size of its root file system.
	SizeRw     *int64 `json:",omitempty"`
	SizeRootFs *int64 `json:",omitempty"`

	Mounts          []MountPoint
	Config          Config
	NetworkSettings NetworkSettings
}

// State is a container's run state.
type State struct {
	// Status is "created", "running", "paused", "restarting", "removing",
	// "exited" or "dead".
	Status     string
	Running    bool
	Paused     bool
	Restarting bool
	OOMKilled  bool
	Dead       bool
	Pid        int
	ExitCode   int
	Error      string
	StartedAt  time.Time // zero before the first start
	FinishedAt time.Time // zero before the first exit
	// Health is set when the container has a health check.
	Health *Health `json:",omitempty"`
}

// Health is the state of a container's health check.
type Health struct {
	Status        string // "none", "starting", "healthy" or "unhealthy"
	FailingStreak int
	Log           []HealthcheckResult // the latest results, oldest first
}

// HealthcheckResult is one run of a health check.
type HealthcheckResult struct {
	Start    time.Time
	End      time.Time
	ExitCode int // 0 healthy, 1 unhealthy, 2 reserved
	Output   string
}

// DriverData names a storage driver and its driver-specific data.
type DriverData struct {
	Name string
	Data map[string]string
}

// Storage describes a container's root file system storage.
type Storage struct {
	RootFS *RootFSStorage `json:",omitempty"`
}

// RootFSStorage describes the root file system.
type RootFSStorage struct {
	Snapshot *RootFSSnapshot `json:",omitempty"`
}

// RootFSSnapshot names the containerd snapshotter of the root file system.
type RootFSSnapshot struct {
	Name string
}

// MountPoint is a mount as set up in a container (Details.Mounts,
// Summary.Mounts).
type MountPoint struct {
	Type        MountType `json:",omitempty"`
	Name        string    `json:",omitempty"` // the volume name
	Source      string    // the path on the host
	Destination string    // the path in the container
	Driver      string    `json:",omitempty"` // the volume driver
	Mode        string    // driver-specific options, e.g. "z"
	RW          bool
	Propagation string
}

// OCIDescriptor is an OCI content descriptor (the image manifest a container
// was created from).
type OCIDescriptor struct {
	MediaType    string            `json:"mediaType"`
	Digest       string            `json:"digest"`
	Size         int64             `json:"size"`
	URLs         []string          `json:"urls,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	Data         []byte            `json:"data,omitempty"` // embedded content, base64 in JSON
	Platform     *OCIPlatform      `json:"platform,omitempty"`
	ArtifactType string            `json:"artifactType,omitempty"`
}

// OCIPlatform is the platform an image is built for.
type OCIPlatform struct {
	Architecture string   `json:"architecture"`
	OS           string   `json:"os"`
	OSVersion    string   `json:"os.version,omitempty"`
	OSFeatures   []string `json:"os.features,omitempty"`
	Variant      string   `json:"variant,omitempty"`
}
