package plugin

// Plugin is an installed plugin as the daemon reports it.
type Plugin struct {
	ID      string `json:"Id,omitempty"`
	Name    string // the local name, e.g. "vieux/sshfs:latest"
	Enabled bool   // whether the plugin runs

	// Settings are the values in force: Config's defaults changed by Set.
	Settings Settings

	// PluginReference is the remote reference the plugin was pulled from
	// (or will be pushed to).
	PluginReference string `json:",omitempty"`

	Config Config
}

// Settings are a plugin's user-configurable values.
type Settings struct {
	Mounts  []Mount
	Env     []string // "NAME=value"
	Args    []string
	Devices []Device
}

// Config is a plugin's configuration: what the daemon reports in
// Plugin.Config, and the config.json of a plugin's creation context (see
// WriteContext), with the daemon's field names.
type Config struct {
	// DockerVersion is the version of the Engine that created the plugin.
	// Deprecated: API 1.51 stopped setting it; older daemons fill it.
	DockerVersion string `json:",omitempty"`

	Description   string
	Documentation string // a URL
	Interface     Interface

	Entrypoint []string
	WorkDir    string
	User       User `json:",omitzero"`

	Network NetworkConfig
	Linux   LinuxConfig

	// PropagatedMount is a path inside the plugin whose mounts are shared
	// with the host (volume plugins mount volumes there).
	PropagatedMount string
	IpcHost         bool
	PidHost         bool

	Mounts []Mount
	Env    []Env
	Args   Args

	// RootFS names the layers of the plugin's root file system; the
	// daemon fills it. Leave it nil in a creation context.
	RootFS *RootFS `json:"rootfs,omitempty"`
}

// Interface is how the daemon talks to the plugin.
type Interface struct {
	// Types lists the capabilities the plugin implements, as
	// "prefix.capability/version" strings: "docker.volumedriver/1.0",
	// "docker.networkdriver/1.0", "docker.ipamdriver/1.0",
	// "docker.authz/1.0", "docker.logdriver/1.0", "docker.metricscollector/1.0".
	// (The 1.41 specification describes these as objects; every daemon
	// sends and reads strings.)
	Types []string

	// Socket is the name of the unix socket the plugin listens on, in
	// /run/docker/plugins inside the plugin.
	Socket string

	// ProtocolScheme is the protocol spoken on the socket: "" (the legacy
	// JSON-over-HTTP protocol) or "moby.plugins.http/v1".
	ProtocolScheme string `json:",omitempty"`
}

// User is the user the plugin runs as.
type User struct {
	UID uint32 `json:",omitempty"`
	GID uint32 `json:",omitempty"`
}

// NetworkConfig says which network namespace the plugin runs in.
type NetworkConfig struct {
	// Type is "host" (the host's network, a privilege the user must
	// accept), "none", or empty.
	Type string
}

// LinuxConfig holds the Linux privileges a plugin asks for.
type LinuxConfig struct {
	Capabilities    []string // e.g. "CAP_SYS_ADMIN"
	AllowAllDevices bool
	Devices         []Device
}

// Mount is a mount a plugin asks for, or one of its settings.
type Mount struct {
	Name        string
	Description string
	Settable    []string // which fields Set may change: "source", "destination", ...

	// Source is the host path; setting one makes the mount a privilege
	// the user must accept.
	Source      string `json:",omitempty"`
	Destination string
	Type        string // "bind", ...
	Options     []string
}

// Device is a host device a plugin asks for, or one of its settings.
type Device struct {
	Name        string
	Description string
	Settable    []string
	Path        string `json:",omitempty"` // e.g. "/dev/fuse"
}

// Env is an environment variable a plugin declares, with its default.
type Env struct {
	Name        string
	Description string
	Settable    []string // ["value"] when Set may change it
	Value       string
}

// Args are the arguments a plugin declares, appended to its entrypoint.
type Args struct {
	Name        string
	Description string
	Settable    []string
	Value       []string
}

// RootFS identifies a plugin's root file system layers.
type RootFS struct {
	Type    string   `json:"type"` // "layers"
	DiffIDs []string `json:"diff_ids"`
}

// Privilege is a permission a plugin needs, which the user accepts by
// passing it to Pull or Upgrade: host networking, a host mount, a device,
// capabilities, and so on.
type Privilege struct {
	Name        string   // "network", "mount", "device", "capabilities", "allow-all-devices", "host ipc namespace", ...
	Description string   // a human-readable explanation
	Value       []string // what exactly, e.g. ["host"] for network
}
