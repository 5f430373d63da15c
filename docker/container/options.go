package container

import (
	"io"
	"math"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// settings collects what the options of one call set: query parameters,
// body fields and client-side choices. Each operation reads only its part.
type settings struct {
	q       httpx.Query
	filters docker.Filters

	// need is the newest API version an option requires, and what names
	// that option for the error.
	need, needWhat string

	tty *bool // the caller's knowledge of the TTY flag (Logs, Attach, ExecStart)

	// Create and Run.
	name, platform string
	hostConfig     *HostConfig
	netConfig      *NetworkingConfig

	// ExecStart and Exec.
	consoleSize [2]uint

	// Run and Exec.
	stdin          io.Reader
	stdout, stderr io.Writer
	removeWhenDone bool
}

// require records that an option needs API version v; what names it.
func (s *settings) require(v, what string) {
	if s.need == "" || docker.CompareVersions(v, s.need) > 0 {
		s.need, s.needWhat = v, what
	}
}

// apply puts the options' query and version requirement into req.
func (s *settings) apply(req *docker.Request) {
	s.q.Filters(s.filters)
	req.Query = s.q.Values()
	if s.need != "" && (req.MinVersion == "" || docker.CompareVersions(s.need, req.MinVersion) > 0) {
		req.MinVersion, req.What = s.need, s.needWhat
	}
}

// has reports whether the query has key.
func (s *settings) has(key string) bool { return s.q.Values().Has(key) }

// Per-operation option interfaces. Each has one unexported method, so an
// option compiles only with the operations it serves.
type (
	// ListOption configures List.
	ListOption interface{ applyList(*settings) }
	// CreateOption configures Create; every CreateOption also serves Run.
	CreateOption interface {
		applyCreate(*settings)
		applyRun(*settings)
	}
	// InspectOption configures Inspect.
	InspectOption interface{ applyInspect(*settings) }
	// StartOption configures Start.
	StartOption interface{ applyStart(*settings) }
	// StopOption configures Stop and Restart.
	StopOption interface{ applyStop(*settings) }
	// KillOption configures Kill.
	KillOption interface{ applyKill(*settings) }
	// RemoveOption configures Remove.
	RemoveOption interface{ applyRemove(*settings) }
	// PruneOption configures Prune.
	PruneOption interface{ applyPrune(*settings) }
	// WaitOption configures Wait.
	WaitOption interface{ applyWait(*settings) }
	// TopOption configures Top.
	TopOption interface{ applyTop(*settings) }
	// LogsOption configures Logs.
	LogsOption interface{ applyLogs(*settings) }
	// AttachOption configures Attach and AttachWebsocket.
	AttachOption interface{ applyAttach(*settings) }
	// StatsOnceOption configures StatsOnce.
	StatsOnceOption interface{ applyStatsOnce(*settings) }
	// CopyToOption configures CopyTo and CopyIn.
	CopyToOption interface{ applyCopyTo(*settings) }
	// ExecStartOption configures ExecStart and ExecStartDetached.
	ExecStartOption interface{ applyExecStart(*settings) }
	// ExecOption configures Exec.
	ExecOption interface{ applyExec(*settings) }
	// RunOption configures Run.
	RunOption interface{ applyRun(*settings) }
)

// Adapters for options that serve a single operation.
type (
	listFunc      func(*settings)
	createFunc    func(*settings)
	removeFunc    func(*settings)
	waitFunc      func(*settings)
	topFunc       func(*settings)
	logsFunc      func(*settings)
	attachFunc    func(*settings)
	statsOnceFunc func(*settings)
	copyToFunc    func(*settings)
	runFunc       func(*settings)
)

func (f listFunc) applyList(s *settings)           { f(s) }
func (f createFunc) applyCreate(s *settings)       { f(s) }
func (f createFunc) applyRun(s *settings)          { f(s) }
func (f removeFunc) applyRemove(s *settings)       { f(s) }
func (f waitFunc) applyWait(s *settings)           { f(s) }
func (f topFunc) applyTop(s *settings)             { f(s) }
func (f logsFunc) applyLogs(s *settings)           { f(s) }
func (f attachFunc) applyAttach(s *settings)       { f(s) }
func (f statsOnceFunc) applyStatsOnce(s *settings) { f(s) }
func (f copyToFunc) applyCopyTo(s *settings)       { f(s) }
func (f runFunc) applyRun(s *settings)             { f(s) }

// All makes List include stopped containers (by default it lists running
// ones only).
func All() ListOption { return listFunc(func(s *settings) { s.q.Flag("all", true) }) }

// Limit makes List return only the n most recently created containers,
// stopped ones included.
func Limit(n int) ListOption {
	return listFunc(func(s *settings) { s.q.Int("limit", int64(n)) })
}

// SizeOption asks for the containers' sizes (SizeRw, SizeRootFs); it serves
// List and Inspect. Computing sizes is slow on some storage drivers.
type SizeOption struct{}

// Size asks List or Inspect to compute the containers' sizes.
func Size() SizeOption { return SizeOption{} }

func (SizeOption) applyList(s *settings)    { s.q.Flag("size", true) }
func (SizeOption) applyInspect(s *settings) { s.q.Flag("size", true) }

// FilterOption adds a filter; it serves List and Prune.
type FilterOption struct {
	key    string
	values []string
}

// Filter selects containers by key and values. List knows ancestor, before,
// expose, exited, health, id, isolation, is-task, label, name, network,
// publish, since, status and volume; Prune knows label and until. Give it
// several times to combine keys; the values of one key are alternatives.
func Filter(key string, values ...string) FilterOption {
	return FilterOption{key: key, values: values}
}

func (o FilterOption) add(s *settings) {
	if s.filters == nil {
		s.filters = docker.Filters{}
	}
	s.filters.Add(o.key, o.values...)
}

func (o FilterOption) applyList(s *settings)  { o.add(s) }
func (o FilterOption) applyPrune(s *settings) { o.add(s) }

// Name gives the new container a name (Create, Run); it must be unique,
// otherwise Create fails with docker.ErrConflict.
func Name(name string) CreateOption {
	return createFunc(func(s *settings) { s.name = name })
}

// Platform asks for the image variant of a platform ("linux/arm64") when
// creating a container (API >= 1.41).
func Platform(platform string) CreateOption {
	return createFunc(func(s *settings) {
		s.platform = platform
		s.require("1.41", "the platform parameter of POST /containers/create")
	})
}

// WithHostConfig sets the host configuration of a new container (Create,
// Run).
func WithHostConfig(hc HostConfig) CreateOption {
	return createFunc(func(s *settings) { s.hostConfig = &hc })
}

// WithNetworkingConfig sets the networks a new container is connected to
// (Create, Run).
func WithNetworkingConfig(nc NetworkingConfig) CreateOption {
	return createFunc(func(s *settings) { s.netConfig = &nc })
}

// DetachKeysOption overrides the key sequence that detaches from a
// container; it serves Start, Attach and AttachWebsocket.
type DetachKeysOption struct{ keys string }

// DetachKeys sets the detach key sequence, such as "ctrl-p,ctrl-q" or
// "ctrl-a,a".
func DetachKeys(keys string) DetachKeysOption { return DetachKeysOption{keys: keys} }

func (o DetachKeysOption) applyStart(s *settings)  { s.q.String("detachKeys", o.keys) }
func (o DetachKeysOption) applyAttach(s *settings) { s.q.String("detachKeys", o.keys) }

// Timeout sets how long Stop or Restart waits for the container to stop
// before killing it. It is sent in whole seconds, rounded up; a negative d
// waits without limit.
func Timeout(d time.Duration) StopOption {
	return stopFunc(func(s *settings) {
		secs := int64(-1)
		if d >= 0 {
			secs = int64(math.Ceil(d.Seconds()))
		}
		s.q.Int("t", secs)
	})
}

type stopFunc func(*settings)

func (f stopFunc) applyStop(s *settings) { f(s) }

// SignalOption chooses a signal; it serves Stop and Restart (API >= 1.42)
// and Kill.
type SignalOption struct{ signal string }

// Signal sets the signal by name ("SIGTERM", "TERM") or number ("15"). Kill
// sends SIGKILL without it; Stop and Restart send the container's stop
// signal.
func Signal(signal string) SignalOption { return SignalOption{signal: signal} }

func (o SignalOption) applyKill(s *settings) { s.q.String("signal", o.signal) }
func (o SignalOption) applyStop(s *settings) {
	s.q.String("signal", o.signal)
	s.require("1.42", "the signal parameter of POST /containers/{id}/stop and /restart")
}

// Force makes Remove kill a running container first.
func Force() RemoveOption { return removeFunc(func(s *settings) { s.q.Flag("force", true) }) }

// RemoveVolumes makes Remove delete the container's anonymous volumes too
// (the "v" parameter; named volumes always stay). Without it they are left
// behind, one per volume of the container's and its image's
// Config.Volumes, and pile up: Run's RemoveWhenDone and AutoRemove remove
// them, Remove does not.
func RemoveVolumes() RemoveOption {
	return removeFunc(func(s *settings) { s.q.Flag("v", true) })
}

// RemoveLink makes Remove delete the legacy link named by the id argument
// instead of a container (the "link" parameter).
func RemoveLink() RemoveOption {
	return removeFunc(func(s *settings) { s.q.Flag("link", true) })
}

// WaitCondition is what Wait waits for.
type WaitCondition string

// Wait conditions.
const (
	// WaitNotRunning returns as soon as the container is not running, at
	// once if it already is not (the default).
	WaitNotRunning WaitCondition = "not-running"
	// WaitNextExit waits for the next exit, even if the container is not
	// running now (it must then be started).
	WaitNextExit WaitCondition = "next-exit"
	// WaitRemoved waits until the container is removed.
	WaitRemoved WaitCondition = "removed"
)

// Condition chooses what Wait waits for (API >= 1.30).
func Condition(c WaitCondition) WaitOption {
	return waitFunc(func(s *settings) {
		s.q.String("condition", string(c))
		s.require("1.30", "the condition parameter of POST /containers/{id}/wait")
	})
}

// PsArgs sets the arguments of the ps command Top runs ("-ef" by default),
// e.g. "aux".
func PsArgs(args string) TopOption {
	return topFunc(func(s *settings) { s.q.String("ps_args", args) })
}

// Follow keeps Logs streaming new output until the container stops or the
// caller closes the stream.
func Follow() LogsOption { return logsFunc(func(s *settings) { s.q.Flag("follow", true) }) }

// Since makes Logs start at t.
func Since(t time.Time) LogsOption {
	return logsFunc(func(s *settings) { s.q.String("since", docker.FormatTime(t)) })
}

// Until makes Logs stop at t (API >= 1.35).
func Until(t time.Time) LogsOption {
	return logsFunc(func(s *settings) {
		s.q.String("until", docker.FormatTime(t))
		s.require("1.35", "the until parameter of GET /containers/{id}/logs")
	})
}

// Timestamps prefixes every line of Logs with its RFC 3339 timestamp.
func Timestamps() LogsOption { return logsFunc(func(s *settings) { s.q.Flag("timestamps", true) }) }

// Tail makes Logs start n lines before the end (all lines by default).
func Tail(n int) LogsOption {
	return logsFunc(func(s *settings) { s.q.Int("tail", int64(n)) })
}

// LogDetails adds the extra attributes given to the log driver (log-opt
// labels and env) to every line of Logs: the "details" parameter, which the
// daemon reads although the API specification lists it only for services.
// (Details is the name of Inspect's result.)
func LogDetails() LogsOption { return logsFunc(func(s *settings) { s.q.Flag("details", true) }) }

// StreamOption selects an output stream; it serves Logs, Attach and
// AttachWebsocket. Without Stdout or Stderr both are selected, whatever
// other options are given (Stdin, Logs, DetachKeys).
type StreamOption struct{ key string }

// Stdout selects the standard output.
func Stdout() StreamOption { return StreamOption{key: "stdout"} }

// Stderr selects the standard error.
func Stderr() StreamOption { return StreamOption{key: "stderr"} }

func (o StreamOption) applyLogs(s *settings)   { s.q.Flag(o.key, true) }
func (o StreamOption) applyAttach(s *settings) { s.q.Flag(o.key, true) }

// Stdin makes Attach carry the caller's writes to the container's stdin
// (the container must have Config.OpenStdin).
func Stdin() AttachOption { return attachFunc(func(s *settings) { s.q.Flag("stdin", true) }) }

// Stream makes Attach carry output produced from now on. Attach selects it
// by default unless Logs is given.
func Stream() AttachOption { return attachFunc(func(s *settings) { s.q.Flag("stream", true) }) }

// Logs makes Attach first replay the output the container already wrote.
func Logs() AttachOption { return attachFunc(func(s *settings) { s.q.Flag("logs", true) }) }

// TTYOption tells whether the container (or exec process) has a TTY, so the
// call need not inspect it to know whether the output is multiplexed; it
// serves Logs, Attach and ExecStart.
type TTYOption struct{ tty bool }

// TTY says whether the container (Logs, Attach) or the exec process
// (ExecStart) was created with a TTY. Getting it wrong garbles the output:
// give it only when the configuration is known.
func TTY(tty bool) TTYOption { return TTYOption{tty: tty} }

func (o TTYOption) applyLogs(s *settings)      { s.tty = &o.tty }
func (o TTYOption) applyAttach(s *settings)    { s.tty = &o.tty }
func (o TTYOption) applyExecStart(s *settings) { s.tty = &o.tty }

// OneShot makes StatsOnce return at once with a single sample, without the
// previous sample that CPU percentages need (API >= 1.41).
func OneShot() StatsOnceOption {
	return statsOnceFunc(func(s *settings) {
		s.q.Flag("one-shot", true)
		s.require("1.41", "the one-shot parameter of GET /containers/{id}/stats")
	})
}

// NoOverwriteDirNonDir makes CopyTo fail rather than replace a directory
// with a non-directory or the other way round.
func NoOverwriteDirNonDir() CopyToOption {
	return copyToFunc(func(s *settings) { s.q.Flag("noOverwriteDirNonDir", true) })
}

// CopyUIDGID makes CopyTo give the copied files the owner of the
// container's user instead of the tar's (API >= 1.30).
func CopyUIDGID() CopyToOption {
	return copyToFunc(func(s *settings) {
		s.q.Flag("copyUIDGID", true)
		s.require("1.30", "the copyUIDGID parameter of PUT /containers/{id}/archive")
	})
}

// ConsoleSizeOption sets the initial TTY size of an exec process; it
// serves ExecStart, ExecStartDetached and Exec.
type ConsoleSizeOption struct{ size [2]uint }

// ConsoleSize sets the initial TTY size of an exec process created with
// Tty when it starts (API >= 1.42).
func ConsoleSize(height, width uint) ConsoleSizeOption {
	return ConsoleSizeOption{size: [2]uint{height, width}}
}

func (o ConsoleSizeOption) applyExecStart(s *settings) {
	s.consoleSize = o.size
	s.require("1.42", "the ConsoleSize of POST /exec/{id}/start")
}

func (o ConsoleSizeOption) applyExec(s *settings) { o.applyExecStart(s) }

// IOOption gives a process's standard streams a reader or writer; it serves
// Run and Exec.
type IOOption struct{ set func(*settings) }

func (o IOOption) applyRun(s *settings)  { o.set(s) }
func (o IOOption) applyExec(s *settings) { o.set(s) }

// WithStdin gives Run or Exec a reader whose bytes go to the process's
// stdin; stdin is closed (the process reads end of file) when r is
// exhausted. Run sets Config.OpenStdin and Config.StdinOnce; Exec sets
// ExecConfig.AttachStdin.
func WithStdin(r io.Reader) IOOption { return IOOption{func(s *settings) { s.stdin = r }} }

// WithStdout gives Run or Exec a writer for the standard output (or for
// all output of a TTY).
func WithStdout(w io.Writer) IOOption { return IOOption{func(s *settings) { s.stdout = w }} }

// WithStderr gives Run or Exec a writer for the standard error.
func WithStderr(w io.Writer) IOOption { return IOOption{func(s *settings) { s.stderr = w }} }

// RemoveWhenDone makes Run remove the container when it returns, whether
// the container exited, a step failed or ctx was cancelled, together with
// its anonymous volumes, as `docker run --rm` does (Run removes it with
// Force and RemoveVolumes; named volumes stay). A plain Remove keeps
// anonymous volumes unless given RemoveVolumes.
func RemoveWhenDone() RunOption { return runFunc(func(s *settings) { s.removeWhenDone = true }) }
