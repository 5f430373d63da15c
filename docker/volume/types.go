package volume

import (
	"time"

	"github.com/berth-go/berth/docker"
)

// Volume is a volume as the daemon reports it.
type Volume struct {
	Name       string
	Driver     string
	Mountpoint string    // where the volume lives on the daemon's host
	CreatedAt  time.Time `json:",omitzero"` // zero when the driver does not know

	// Status holds low-level details from the volume driver; drivers that
	// have none leave it nil.
	Status map[string]any `json:",omitempty"`

	Labels  map[string]string
	Scope   string            // "local" or "global" (cluster-wide)
	Options map[string]string // the driver options the volume was created with

	// ClusterVolume is set for swarm (CSI) cluster volumes only (API >= 1.42).
	ClusterVolume *ClusterVolume `json:",omitempty"`

	// UsageData is filled by GET /system/df only.
	UsageData *UsageData `json:",omitempty"`
}

// UsageData is a volume's disk use, as GET /system/df reports it.
type UsageData struct {
	Size     int64 // bytes used, or -1 when the driver cannot tell (non-local drivers)
	RefCount int64 // containers using the volume, or -1 when unknown
}

// ListResponse is the answer of GET /volumes.
type ListResponse struct {
	Volumes []Volume
	// Warnings lists problems the daemon met while listing, for example a
	// volume driver that did not answer; the volumes it could list are
	// still in Volumes.
	Warnings []string
}

// CreateRequest is the body of POST /volumes/create. Its zero value asks
// for an anonymous volume of the local driver.
type CreateRequest struct {
	Name       string            `json:",omitempty"` // generated when empty
	Driver     string            `json:",omitempty"` // "local" when empty
	DriverOpts map[string]string `json:",omitempty"` // e.g. {"type": "tmpfs", "device": "tmpfs", "o": "size=100m"}
	Labels     map[string]string `json:",omitempty"`

	// ClusterVolumeSpec creates a swarm cluster volume (API >= 1.42, on a
	// swarm manager with a CSI plugin).
	ClusterVolumeSpec *ClusterVolumeSpec `json:",omitempty"`
}

// PruneReport is the answer of POST /volumes/prune.
type PruneReport struct {
	VolumesDeleted []string // names of the removed volumes
	SpaceReclaimed uint64   // bytes freed
}

// ClusterVolume is the swarm side of a cluster volume (API >= 1.42).
type ClusterVolume struct {
	ID        string // the swarm id; it can name the volume too
	Version   docker.ObjectVersion
	CreatedAt time.Time `json:",omitzero"`
	UpdatedAt time.Time `json:",omitzero"`
	Spec      ClusterVolumeSpec

	// Info is the volume's global state, once the plugin created it.
	Info *ClusterVolumeInfo `json:",omitempty"`

	// PublishStatus tells, per node, whether the volume is published there.
	PublishStatus []PublishStatus `json:",omitempty"`
}

// ClusterVolumeSpec is the user-settable part of a cluster volume. Update
// can change only Availability.
type ClusterVolumeSpec struct {
	// Group lets services ask for any volume of the group.
	Group      string      `json:",omitempty"`
	AccessMode *AccessMode `json:",omitempty"`

	// Secrets are swarm secrets handed to the CSI plugin.
	Secrets []Secret `json:",omitempty"`

	AccessibilityRequirements *TopologyRequirement `json:",omitempty"`
	CapacityRange             *CapacityRange       `json:",omitempty"`

	// Availability is "active" (the default), "pause" (no new tasks) or
	// "drain" (tasks are moved off).
	Availability string `json:",omitempty"`
}

// AccessMode says how tasks may use a cluster volume. Exactly one of
// MountVolume and BlockVolume must be set.
type AccessMode struct {
	Scope       string       `json:",omitempty"` // "single" (default) or "multi" node
	Sharing     string       `json:",omitempty"` // "none" (default), "readonly", "onewriter" or "all"
	MountVolume *MountVolume `json:",omitempty"`
	BlockVolume *BlockVolume `json:",omitempty"`
}

// MountVolume uses a cluster volume as a mounted file system.
type MountVolume struct {
	FsType     string   `json:",omitempty"`
	MountFlags []string `json:",omitempty"`
}

// BlockVolume uses a cluster volume as a block device; it has no options.
type BlockVolume struct{}

// Secret passes a swarm secret to the CSI plugin under Key.
type Secret struct {
	Key    string
	Secret string // the secret's name or id
}

// TopologyRequirement says where a cluster volume must, or should, be
// accessible from.
type TopologyRequirement struct {
	Requisite []Topology `json:",omitempty"` // at least one of these
	Preferred []Topology `json:",omitempty"` // tried first
}

// Topology maps topological domains to segments, as the CSI specification
// defines them (e.g. {"region": "eu", "zone": "eu-1a"}).
type Topology struct {
	Segments map[string]string `json:",omitempty"`
}

// CapacityRange bounds a cluster volume's size; zero means unbounded.
type CapacityRange struct {
	RequiredBytes int64 `json:",omitempty"`
	LimitBytes    int64 `json:",omitempty"`
}

// ClusterVolumeInfo is what the CSI plugin reported when it created the
// volume.
type ClusterVolumeInfo struct {
	CapacityBytes      int64             `json:",omitempty"` // 0 when unknown
	VolumeContext      map[string]string `json:",omitempty"`
	VolumeID           string            `json:",omitempty"` // the plugin's id; empty until created
	AccessibleTopology []Topology        `json:",omitempty"`
}

// PublishStatus is a cluster volume's state on one node: "pending-publish",
// "published", "pending-node-unpublish" or "pending-controller-unpublish".
type PublishStatus struct {
	NodeID         string
	State          string
	PublishContext map[string]string `json:",omitempty"`
}
