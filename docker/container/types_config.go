package container

import "time"

// Config is the portable part of a container's configuration: what runs and
// how (image, command, environment, TTY, labels). It is the body of Create
// (with HostConfig and NetworkingConfig beside it) and the Config of
// Details. The zero value of each field asks for the image's or the
// daemon's default.
type Config struct {
	Hostname   string `json:",omitempty"`
	Domainname string `json:",omitempty"`
	// User runs the process as "user", "user:group", "uid" or "uid:gid".
	User string `json:",omitempty"`

	// AttachStdin, AttachStdout and AttachStderr record which streams a
	// client meant to attach; the daemon only stores them.
	AttachStdin  bool `json:",omitempty"`
	AttachStdout bool `json:",omitempty"`
	AttachStderr bool `json:",omitempty"`

	// ExposedPorts lists "port/proto" keys ("80/tcp"); the values are empty.
	ExposedPorts map[string]struct{} `json:",omitempty"`

	// Tty gives the process a terminal: its output is then raw bytes, not
	// multiplexed stdout/stderr frames.
	Tty bool `json:",omitempty"`
	// OpenStdin keeps stdin open so a client can attach to it; StdinOnce
	// closes it when the first attached client detaches.
	OpenStdin bool `json:",omitempty"`
	StdinOnce bool `json:",omitempty"`

	Env []string `json:",omitempty"` // "KEY=value"
	Cmd []string `json:",omitempty"`

	// Healthcheck overrides the image's health check; nil keeps it.
	Healthcheck *HealthConfig `json:",omitempty"`
	// ArgsEscaped says Cmd is already escaped (Windows only).
	ArgsEscaped bool `json:",omitempty"`

	Image   string              `json:",omitempty"`
	Volumes map[string]struct{} `json:",omitempty"` // anonymous volume paths; the values are empty

	WorkingDir string `json:",omitempty"`
	// Entrypoint has no omitempty: nil keeps the image's entrypoint, and an
	// empty non-nil slice clears it.
	Entrypoint []string

	NetworkDisabled bool `json:",omitempty"`
	// MacAddress is the container-wide MAC address. Deprecated since API
	// 1.44 (set EndpointSettings.MacAddress instead) and ignored from 1.52;
	// API 1.41 daemons still read and report it.
	MacAddress string `json:",omitempty"`

	OnBuild []string          `json:",omitempty"`
	Labels  map[string]string `json:",omitempty"`

	// StopSignal is the signal that stops the container ("SIGTERM" unless
	// set here or by the image).
	StopSignal string `json:",omitempty"`
	// StopTimeout is how many seconds Stop waits before killing. It is a
	// pointer because 0 (kill at once) differs from unset (10 seconds).
	StopTimeout *int `json:",omitempty"`

	Shell []string `json:",omitempty"` // the shell for the shell form of RUN, CMD, ENTRYPOINT
}

// HealthConfig describes a container's health check.
type HealthConfig struct {
	// Test is the check: [] inherits the image's, ["NONE"] disables it,
	// ["CMD", args...] runs a command, ["CMD-SHELL", command] runs it with
	// the image's shell.
	Test []string `json:",omitempty"`

	// The durations are sent as nanoseconds; zero inherits.
	Interval      time.Duration `json:",omitempty"`
	Timeout       time.Duration `json:",omitempty"`
	StartPeriod   time.Duration `json:",omitempty"` // API >= 1.29
	StartInterval time.Duration `json:",omitempty"` // API >= 1.44

	// Retries is how many consecutive failures make the container
	// unhealthy; zero inherits.
	Retries int `json:",omitempty"`
}
