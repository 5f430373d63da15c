package swarm

import (
	"os"
	"time"
)

// The swarm API's Mount and HealthConfig have the same wire shape as the
// container API's; they are defined here so this package does not depend
// on the container package.

// MountType is the kind of a mount.
type MountType string

// Mount types.
const (
	MountBind    MountType = "bind"    // a host path
	MountVolume  MountType = "volume"  // a named or anonymous volume
	MountTmpfs   MountType = "tmpfs"   // a tmpfs
	MountNpipe   MountType = "npipe"   // a Windows named pipe
	MountCluster MountType = "cluster" // a swarm cluster volume (CSI)
	MountImage   MountType = "image"   // an image's filesystem (API >= 1.48)
)

// Mount is a mount in a task's container.
type Mount struct {
	Type        MountType `json:",omitempty"`
	Source      string    `json:",omitempty"` // a volume name or host path; empty for tmpfs
	Target      string    `json:",omitempty"` // the path in the container
	ReadOnly    bool      `json:",omitempty"`
	Consistency string    `json:",omitempty"` // "default", "consistent", "cached", "delegated"

	BindOptions   *BindOptions   `json:",omitempty"`
	VolumeOptions *VolumeOptions `json:",omitempty"`
	ImageOptions  *ImageOptions  `json:",omitempty"` // API >= 1.48
	TmpfsOptions  *TmpfsOptions  `json:",omitempty"`
}

// BindOptions configures a bind mount.
type BindOptions struct {
	Propagation  string `json:",omitempty"` // "rprivate", "shared", "rslave", ...
	NonRecursive bool   `json:",omitempty"`
	// CreateMountpoint creates a missing host path (API >= 1.42).
	CreateMountpoint bool `json:",omitempty"`
	// ReadOnlyNonRecursive and ReadOnlyForceRecursive tune how ReadOnly
	// applies to submounts (API >= 1.44).
	ReadOnlyNonRecursive   bool `json:",omitempty"`
	ReadOnlyForceRecursive bool `json:",omitempty"`
}

// VolumeOptions configures a volume mount.
type VolumeOptions struct {
	NoCopy       bool              `json:",omitempty"` // do not copy the image's content into a new volume
	Labels       map[string]string `json:",omitempty"`
	DriverConfig *Driver           `json:",omitempty"`
	Subpath      string            `json:",omitempty"` // a path inside the volume (API >= 1.45)
}

// ImageOptions configures an image mount (API >= 1.48).
type ImageOptions struct {
	Subpath string `json:",omitempty"`
}

// TmpfsOptions configures a tmpfs mount.
type TmpfsOptions struct {
	SizeBytes int64       `json:",omitempty"`
	Mode      os.FileMode `json:",omitempty"` // sent as a decimal number
	// Options are mount options: ["noexec"], ["uid", "1000"] (API >= 1.46).
	Options [][]string `json:",omitempty"`
}

// HealthConfig is a task container's health check.
type HealthConfig struct {
	// Test is [] to inherit the image's check, ["NONE"] to disable it,
	// ["CMD", args...] or ["CMD-SHELL", command].
	Test          []string      `json:",omitempty"`
	Interval      time.Duration `json:",omitempty"` // 0 inherits
	Timeout       time.Duration `json:",omitempty"` // 0 inherits
	StartPeriod   time.Duration `json:",omitempty"` // 0 inherits
	StartInterval time.Duration `json:",omitempty"` // 0 inherits (API >= 1.44)
	Retries       int           `json:",omitempty"` // 0 inherits
}
