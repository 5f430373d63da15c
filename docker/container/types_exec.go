package container

// ExecConfig is the body of ExecCreate: a process to run in a running
// container.
type ExecConfig struct {
	// AttachStdin, AttachStdout and AttachStderr choose the streams an
	// attached ExecStart carries. Without AttachStdin the process's stdin is
	// closed.
	AttachStdin  bool `json:",omitempty"`
	AttachStdout bool `json:",omitempty"`
	AttachStderr bool `json:",omitempty"`
	// ConsoleSize is the initial TTY size, {height, width} (API >= 1.42).
	ConsoleSize [2]uint `json:",omitzero"`
	// DetachKeys overrides the key sequence that detaches from the process
	// ("ctrl-p,ctrl-q" by default).
	DetachKeys string `json:",omitempty"`
	// Tty gives the process a terminal: its output is then raw bytes.
	Tty        bool     `json:",omitempty"`
	Env        []string `json:",omitempty"` // "KEY=value", added to the container's
	Cmd        []string // the command and its arguments; required
	Privileged bool     `json:",omitempty"`
	User       string   `json:",omitempty"` // "user", "user:group", "uid" or "uid:gid"
	WorkingDir string   `json:",omitempty"` // API >= 1.35
}

// ExecResult is what Exec returns.
type ExecResult struct {
	ID       string // the exec instance's id
	ExitCode int    // the process's exit code
}

// ExecDetails is what ExecInspect returns about an exec instance.
type ExecDetails struct {
	CanRemove     bool
	DetachKeys    string
	ID            string
	Running       bool
	ExitCode      int // meaningful once Running is false after a start
	ProcessConfig ExecProcess
	OpenStdin     bool
	OpenStderr    bool
	OpenStdout    bool
	ContainerID   string
	Pid           int // the process id on the host, 0 before the start
}

// ExecProcess describes the process of an exec instance.
type ExecProcess struct {
	Privileged bool     `json:"privileged"`
	User       string   `json:"user"`
	Tty        bool     `json:"tty"`
	Entrypoint string   `json:"entrypoint"`
	Arguments  []string `json:"arguments"`
}
