package network

import "github.com/berth-go/berth/docker"

// callConfig collects the per-call options of every operation; each
// operation reads only its own fields.
type callConfig struct {
	filters docker.Filters
	verbose bool
	scope   string
	force   bool
}

// ListOption configures List.
type ListOption interface{ applyList(*callConfig) }

// InspectOption configures Inspect.
type InspectOption interface{ applyInspect(*callConfig) }

// PruneOption configures Prune.
type PruneOption interface{ applyPrune(*callConfig) }

// DisconnectOption configures Disconnect.
type DisconnectOption interface{ applyDisconnect(*callConfig) }

// FilterOption selects networks by a filter; it serves List and Prune.
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

func (o FilterOption) applyList(c *callConfig)  { o.add(c) }
func (o FilterOption) applyPrune(c *callConfig) { o.add(c) }

// Filter adds a filter on key and may be given several times. List knows
// dangling, driver, id, label, name, scope and type; Prune knows label,
// label! and until.
func Filter(key string, values ...string) FilterOption {
	return FilterOption{filters: docker.Filters{key: append([]string(nil), values...)}}
}

// Filters adds every filter of f (copied).
func Filters(f docker.Filters) FilterOption {
	return FilterOption{filters: f.Clone()}
}

type inspectFunc func(*callConfig)

func (f inspectFunc) applyInspect(c *callConfig) { f(c) }

// Verbose makes Inspect report the services and tasks of a swarm network
// on every node, not only this one.
func Verbose() InspectOption {
	return inspectFunc(func(c *callConfig) { c.verbose = true })
}

// Scope makes Inspect find the network only in that scope: "local",
// "swarm" or "global".
func Scope(scope string) InspectOption {
	return inspectFunc(func(c *callConfig) { c.scope = scope })
}

type disconnectFunc func(*callConfig)

func (f disconnectFunc) applyDisconnect(c *callConfig) { f(c) }

// Force makes Disconnect remove the endpoint even when the container is not
// running or the network's driver complains.
func Force() DisconnectOption {
	return disconnectFunc(func(c *callConfig) { c.force = true })
}
