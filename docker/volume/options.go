package volume

import "github.com/berth-go/berth/docker"

// callConfig collects the per-call options of every operation; each
// operation reads only its own fields.
type callConfig struct {
	filters docker.Filters
	all     bool
	force   bool
}

// ListOption configures List.
type ListOption interface{ applyList(*callConfig) }

// PruneOption configures Prune.
type PruneOption interface{ applyPrune(*callConfig) }

// RemoveOption configures Remove.
type RemoveOption interface{ applyRemove(*callConfig) }

// FilterOption selects volumes by a filter; it serves List and Prune.
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
// dangling, driver, label and name; Prune knows label and label! (and all,
// which the All option sets).
func Filter(key string, values ...string) FilterOption {
	return FilterOption{filters: docker.Filters{key: append([]string(nil), values...)}}
}

// Filters adds every filter of f (copied).
func Filters(f docker.Filters) FilterOption {
	return FilterOption{filters: f.Clone()}
}

type pruneFunc func(*callConfig)

func (f pruneFunc) applyPrune(c *callConfig) { f(c) }

// All makes Prune consider named volumes too, not only anonymous ones.
//
// Daemons speak this "all" filter from API 1.42, when prune started to
// spare named volumes by default. Older daemons (Engine 20.10, API 1.41)
// always prune named volumes as well and answer 400 "Invalid filter 'all'"
// to the filter, so Prune does not send it to them: the outcome is the
// same.
func All() PruneOption {
	return pruneFunc(func(c *callConfig) { c.all = true })
}

type removeFunc func(*callConfig)

func (f removeFunc) applyRemove(c *callConfig) { f(c) }

// Force makes Remove drop the daemon's record of a volume even when its
// driver fails to remove it (for example because it is gone already). It
// does not remove a volume a container uses.
func Force() RemoveOption {
	return removeFunc(func(c *callConfig) { c.force = true })
}
