package image

import (
	"time"
)

// Summary is one image of List (GET /images/json).
type Summary struct {
	ID          string            `json:"Id"`
	ParentID    string            `json:"ParentId"` // empty for pulled images and BuildKit builds
	RepoTags    []string          // "name:tag" references; empty for untagged images from API 1.43 ("<none>:<none>" before)
	RepoDigests []string          // "name@digest" references of pulled or pushed images
	Created     int64             // Unix time in seconds; see CreatedTime
	Size        int64             // bytes on disk, all layers included
	SharedSize  int64             // bytes shared with other images; -1 unless SharedSize() was given
	Labels      map[string]string // the image config's labels
	Containers  int64             // containers using the image; -1 when not computed (always computed from API 1.51)

	// Manifests lists the platform variants and attestations of the image
	// (API >= 1.47, with the Manifests() option, on a containerd image store).
	Manifests []ManifestSummary `json:",omitempty"`
	// Descriptor is the OCI descriptor of the image's target (API >= 1.48,
	// containerd image store only).
	Descriptor *Descriptor `json:",omitempty"`

	// VirtualSize equals Size; daemons before API 1.44 send it.
	VirtualSize int64 `json:",omitempty"`
}

// CreatedTime returns Created as a time.Time.
func (s Summary) CreatedTime() time.Time { return time.Unix(s.Created, 0) }

// Details is what Inspect returns about an image (GET /images/{name}/json).
//
// Fields that the API omits when empty, or that only older daemons send, are
// zero when absent; each says which versions send it.
type Details struct {
	ID          string `json:"Id"`
	RepoTags    []string
	RepoDigests []string
	// Descriptor is the OCI descriptor of the image's target (API >= 1.48,
	// containerd image store only).
	Descriptor *Descriptor `json:",omitempty"`
	// Manifests lists the image index's manifests (API >= 1.48, with the
	// Manifests() option, containerd image store only).
	Manifests []ManifestSummary `json:",omitempty"`
	// Identity is trusted identity and origin information (API >= 1.53).
	Identity *Identity `json:",omitempty"`

	Comment string    `json:",omitempty"` // the commit message, or import's message
	Created time.Time `json:",omitzero"`  // absent (zero) when the image config has none (API >= 1.44)
	Author  string    `json:",omitempty"` // commit's author, or the deprecated MAINTAINER instruction
	Config  *Config   `json:",omitempty"` // the configuration containers of this image start from

	Architecture string // e.g. "amd64", "arm64"
	Variant      string `json:",omitempty"` // e.g. "v8" for arm64
	OS           string `json:"Os"`
	OSVersion    string `json:"OsVersion,omitempty"` // Windows images only
	Size         int64  // bytes, all layers included

	GraphDriver DriverData // the storage driver and its layer data
	RootFS      RootFS     // the image's layers
	Metadata    Metadata   // data the daemon keeps about the image

	// Parent is the parent image's ID; only the legacy builder sets it, and
	// API >= 1.52 omits it when empty.
	Parent string `json:",omitempty"`
	// DockerVersion is the version of the daemon that built the image; only
	// the legacy builder sets it, and API >= 1.52 omits it when empty.
	DockerVersion string `json:",omitempty"`

	// Container is the ID of the container the image was committed from by
	// the legacy builder (API < 1.45).
	Container string `json:",omitempty"`
	// ContainerConfig is that container's configuration (API < 1.45).
	ContainerConfig *Config `json:",omitempty"`
	// VirtualSize equals Size; daemons before API 1.44 send it.
	VirtualSize int64 `json:",omitempty"`
}

// Config is an image's configuration: the defaults that containers created
// from the image start with. It is also the body of Commit, where a set field
// overrides the committed container's configuration.
//
// The first group of fields is the image configuration proper. The second
// group holds container settings that daemons before API 1.50 also send
// (always empty in an image) and that Commit accepts.
type Config struct {
	User         string              `json:",omitempty"` // user[:group] processes run as
	ExposedPorts map[string]struct{} `json:",omitempty"` // "80/tcp" -> {}
	Env          []string            `json:",omitempty"` // "KEY=value"
	Cmd          []string            `json:",omitempty"` // default arguments (or command)
	Healthcheck  *HealthConfig       `json:",omitempty"`
	ArgsEscaped  bool                `json:",omitempty"` // Windows: Cmd is already escaped
	Volumes      map[string]struct{} `json:",omitempty"` // mount points: "/data" -> {}
	WorkingDir   string              `json:",omitempty"`
	Entrypoint   []string            `json:",omitempty"`
	OnBuild      []string            `json:",omitempty"` // ONBUILD instructions for images built FROM this one
	Labels       map[string]string   `json:",omitempty"`
	StopSignal   string              `json:",omitempty"` // e.g. "SIGTERM"
	Shell        []string            `json:",omitempty"` // the shell of shell-form instructions

	Hostname        string `json:",omitempty"`
	Domainname      string `json:",omitempty"`
	AttachStdin     bool   `json:",omitempty"`
	AttachStdout    bool   `json:",omitempty"`
	AttachStderr    bool   `json:",omitempty"`
	Tty             bool   `json:",omitempty"`
	OpenStdin       bool   `json:",omitempty"`
	StdinOnce       bool   `json:",omitempty"`
	Image           string `json:",omitempty"`
	NetworkDisabled bool   `json:",omitempty"`
	MacAddress      string `json:",omitempty"` // API < 1.52
	// StopTimeout is the seconds to wait after StopSignal before killing; nil
	// means the daemon's default (10s), which differs from 0 (kill at once).
	StopTimeout *int `json:",omitempty"`
}

// HealthConfig is a container health check. Durations travel as
// nanoseconds; zero means "inherit" (from the image, or the daemon default).
type HealthConfig struct {
	// Test is the check: [] inherits, ["NONE"] disables, ["CMD", args...]
	// runs a command, ["CMD-SHELL", command] runs it with the shell.
	Test          []string      `json:",omitempty"`
	Interval      time.Duration `json:",omitempty"` // between checks
	Timeout       time.Duration `json:",omitempty"` // before a check counts as failed
	StartPeriod   time.Duration `json:",omitempty"` // grace period after start
	StartInterval time.Duration `json:",omitempty"` // between checks during StartPeriod (API >= 1.44)
	Retries       int           `json:",omitempty"` // consecutive failures for "unhealthy"
}

// DriverData is the storage driver of an image or container and its
// driver-specific data (layer directories and such).
type DriverData struct {
	Name string
	Data map[string]string
}

// RootFS is an image's filesystem: the ordered layer digests.
type RootFS struct {
	Type   string   // "layers"
	Layers []string `json:",omitempty"` // diff IDs, "sha256:..."
	// BaseLayer is the Windows base layer; daemons before API 1.30 send it.
	BaseLayer string `json:",omitempty"`
}

// Metadata is what the daemon knows about an image beyond its config.
type Metadata struct {
	// LastTagTime is when the image was last tagged; zero if never (or when
	// the daemon does not say).
	LastTagTime time.Time `json:",omitzero"`
}
