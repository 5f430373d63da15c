package swarm

import (
	"net/http"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/internal/httpx"
)

// callConfig collects the per-call options of every operation; each
// operation reads only what its options can set.
type callConfig struct {
	q       httpx.Query
	filters docker.Filters
	header  http.Header
	err     error // an option that failed (registry auth encoding)

	stdout, stderr bool  // logs: streams asked for
	tty            *bool // logs: the caller's knowledge of the TTY setting

	interval time.Duration // WaitConverged: the longest pause between polls
}

// LeaveOption configures Cluster.Leave.
type LeaveOption interface{ applyLeave(*callConfig) }

// UpdateOption configures Cluster.Update.
type UpdateOption interface{ applyUpdate(*callConfig) }

// ListOption configures the List methods of Nodes, Tasks, Secrets and
// Configs.
type ListOption interface{ applyList(*callConfig) }

// NodeRemoveOption configures Nodes.Remove.
type NodeRemoveOption interface{ applyNodeRemove(*callConfig) }

// ServiceListOption configures Services.List.
type ServiceListOption interface{ applyServiceList(*callConfig) }

// ServiceInspectOption configures Services.Inspect.
type ServiceInspectOption interface{ applyServiceInspect(*callConfig) }

// ServiceCreateOption configures Services.Create.
type ServiceCreateOption interface{ applyServiceCreate(*callConfig) }

// ServiceUpdateOption configures Services.Update.
type ServiceUpdateOption interface{ applyServiceUpdate(*callConfig) }

// LogsOption configures Services.Logs and Tasks.Logs.
type LogsOption interface{ applyLogs(*callConfig) }

// WaitOption configures Services.WaitConverged.
type WaitOption interface{ applyWait(*callConfig) }

// ForceOption forces Leave (even the last manager of a swarm leaves it,
// which ends the swarm) and Nodes.Remove (a node that is not down).
type ForceOption struct{}

// Force returns the option that forces Leave or Nodes.Remove.
func Force() ForceOption { return ForceOption{} }

func (ForceOption) applyLeave(c *callConfig)      { c.q.Flag("force", true) }
func (ForceOption) applyNodeRemove(c *callConfig) { c.q.Flag("force", true) }

type updateFunc func(*callConfig)

func (f updateFunc) applyUpdate(c *callConfig) { f(c) }

// RotateWorkerToken makes Cluster.Update issue a new worker join token.
func RotateWorkerToken() UpdateOption {
	return updateFunc(func(c *callConfig) { c.q.Flag("rotateWorkerToken", true) })
}

// RotateManagerToken makes Cluster.Update issue a new manager join token.
func RotateManagerToken() UpdateOption {
	return updateFunc(func(c *callConfig) { c.q.Flag("rotateManagerToken", true) })
}

// RotateManagerUnlockKey makes Cluster.Update issue a new unlock key (with
// autolock on).
func RotateManagerUnlockKey() UpdateOption {
	return updateFunc(func(c *callConfig) { c.q.Flag("rotateManagerUnlockKey", true) })
}

// FilterOption selects objects by a filter; it serves every List.
type FilterOption struct {
	filters docker.Filters
}

func (o FilterOption) add(c *callConfig) {
	if c.filters == nil {
		c.filters = docker.Filters{}
	}
	for k, vs := range o.filters {
		c.filters.Add(k, vs...)
	}
}

func (o FilterOption) applyList(c *callConfig)        { o.add(c) }
func (o FilterOption) applyServiceList(c *callConfig) { o.add(c) }

// Filter adds a filter on key and may be given several times. Nodes know
// id, label, membership, name, node.label and role; services id, label,
// mode and name; tasks desired-state, id, label, name, node and service;
// secrets and configs id, label and name (secrets also names).
func Filter(key string, values ...string) FilterOption {
	return FilterOption{filters: docker.Filters{key: append([]string(nil), values...)}}
}

// Filters adds every filter of f (copied).
func Filters(f docker.Filters) FilterOption {
	return FilterOption{filters: f.Clone()}
}

type serviceListFunc func(*callConfig)

func (f serviceListFunc) applyServiceList(c *callConfig) { f(c) }

// Status makes Services.List fill each service's ServiceStatus (running,
// desired and completed task counts).
func Status() ServiceListOption {
	return serviceListFunc(func(c *callConfig) { c.q.Flag("status", true) })
}

type serviceInspectFunc func(*callConfig)

func (f serviceInspectFunc) applyServiceInspect(c *callConfig) { f(c) }

// InsertDefaults makes Services.Inspect fill the spec's unset fields with
// the defaults the daemon applies.
func InsertDefaults() ServiceInspectOption {
	return serviceInspectFunc(func(c *callConfig) { c.q.Flag("insertDefaults", true) })
}

// RegistryAuthOption sends registry credentials (X-Registry-Auth) so the
// nodes can pull a private image; it serves Services.Create and
// Services.Update.
type RegistryAuthOption struct {
	auth registry.AuthConfig
}

// RegistryAuth sends auth as the X-Registry-Auth header. The credentials
// are stored with the service so its nodes can pull the image.
func RegistryAuth(auth registry.AuthConfig) RegistryAuthOption {
	return RegistryAuthOption{auth: auth}
}

func (o RegistryAuthOption) set(c *callConfig) {
	v, err := o.auth.Encode()
	if err != nil {
		c.err = err
		return
	}
	if c.header == nil {
		c.header = http.Header{}
	}
	c.header.Set("X-Registry-Auth", v)
}

func (o RegistryAuthOption) applyServiceCreate(c *callConfig) { o.set(c) }
func (o RegistryAuthOption) applyServiceUpdate(c *callConfig) { o.set(c) }

type serviceUpdateFunc func(*callConfig)

func (f serviceUpdateFunc) applyServiceUpdate(c *callConfig) { f(c) }

// RegistryAuthFrom says where Services.Update finds registry credentials
// when RegistryAuth is not given: "spec" (the new spec's, the default) or
// "previous-spec".
func RegistryAuthFrom(from string) ServiceUpdateOption {
	return serviceUpdateFunc(func(c *callConfig) { c.q.String("registryAuthFrom", from) })
}

// Rollback makes Services.Update return the service to its previous spec
// (rollback=previous); the spec passed to Update is then ignored by the
// daemon, but the version must still be current.
func Rollback() ServiceUpdateOption {
	return serviceUpdateFunc(func(c *callConfig) { c.q.Set("rollback", "previous") })
}

type logsFunc func(*callConfig)

func (f logsFunc) applyLogs(c *callConfig) { f(c) }

// Follow keeps Logs streaming new output until the caller closes the
// stream or cancels its context.
func Follow() LogsOption { return logsFunc(func(c *callConfig) { c.q.Flag("follow", true) }) }

// Since makes Logs start at t.
func Since(t time.Time) LogsOption {
	return logsFunc(func(c *callConfig) { c.q.String("since", docker.FormatTime(t)) })
}

// Timestamps prefixes every line of Logs with its RFC 3339 timestamp.
func Timestamps() LogsOption {
	return logsFunc(func(c *callConfig) { c.q.Flag("timestamps", true) })
}

// Tail makes Logs start n lines before the end of each task's output (all
// lines by default).
func Tail(n int) LogsOption {
	return logsFunc(func(c *callConfig) { c.q.Int("tail", int64(n)) })
}

// Details prefixes every line of Logs with its context: the task, node and
// service ids, and the attributes given to the log driver.
func Details() LogsOption { return logsFunc(func(c *callConfig) { c.q.Flag("details", true) }) }

// Stdout selects the standard output in Logs. Without Stdout or Stderr
// both are selected.
func Stdout() LogsOption { return logsFunc(func(c *callConfig) { c.stdout = true }) }

// Stderr selects the standard error in Logs.
func Stderr() LogsOption { return logsFunc(func(c *callConfig) { c.stderr = true }) }

// TTY tells Logs whether the service's (or task's) ContainerSpec.TTY is
// set, so it need not inspect it to know whether the output is
// multiplexed. Getting it wrong garbles the output: give it only when the
// spec is known.
func TTY(tty bool) LogsOption { return logsFunc(func(c *callConfig) { c.tty = &tty }) }

type waitFunc func(*callConfig)

func (f waitFunc) applyWait(c *callConfig) { f(c) }

// PollInterval bounds the pause between two polls of WaitConverged (1s by
// default; values below 10ms are raised to 10ms). Polling starts faster and
// backs off to it.
func PollInterval(d time.Duration) WaitOption {
	return waitFunc(func(c *callConfig) { c.interval = d })
}
