package container

// Summary is one container of List.
type Summary struct {
	ID      string   `json:"Id"`
	Names   []string // with a leading "/"
	Image   string   // the image as given at create
	ImageID string
	// ImageManifestDescriptor is the manifest of the image the container was
	// created from, when known (API >= 1.48).
	ImageManifestDescriptor *OCIDescriptor `json:",omitempty"`
	Command                 string
	Created                 int64 // seconds since the epoch
	Ports                   []PortSummary
	// SizeRw and SizeRootFs are set only when List is given Size().
	SizeRw     *int64 `json:",omitempty"`
	SizeRootFs *int64 `json:",omitempty"`
	Labels     map[string]string
	// State is "created", "running", "paused", "restarting", "exited",
	// "removing" or "dead"; Status is a human-readable form ("Up 5 minutes").
	State           string
	Status          string
	HostConfig      SummaryHostConfig
	NetworkSettings SummaryNetworkSettings
	Mounts          []MountPoint
	// Health is set for containers with a health check (API >= 1.52).
	Health *SummaryHealth `json:",omitempty"`
}

// SummaryHostConfig is the part of HostConfig that List reports.
type SummaryHostConfig struct {
	NetworkMode string
	Annotations map[string]string `json:",omitempty"` // API >= 1.46
}

// SummaryNetworkSettings is the part of NetworkSettings that List reports.
type SummaryNetworkSettings struct {
	Networks map[string]*EndpointSettings
}

// SummaryHealth is a container's health in List.
type SummaryHealth struct {
	Status        string // "none", "starting", "healthy" or "unhealthy"
	FailingStreak int
}

// PortSummary is a port a container exposes, and where it is published.
type PortSummary struct {
	IP          string `json:",omitempty"` // the host address, when published
	PrivatePort uint16 // the container port
	PublicPort  uint16 `json:",omitempty"` // the host port, when published
	Type        string // "tcp", "udp" or "sctp"
}
