package plugin

import (
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
)

// callConfig collects the per-call options of every operation; each
// operation reads only its own fields.
type callConfig struct {
	filters docker.Filters
	auth    *registry.AuthConfig
	name    string
	timeout time.Duration
	force   bool
}

// ListOption configures List.
type ListOption interface{ applyList(*callConfig) }

// PrivilegesOption configures Privileges.
type PrivilegesOption interface{ applyPrivileges(*callConfig) }

// PullOption configures Pull.
type PullOption interface{ applyPull(*callConfig) }

// UpgradeOption configures Upgrade.
type UpgradeOption interface{ applyUpgrade(*callConfig) }

// PushOption configures Push.
type PushOption interface{ applyPush(*callConfig) }

// EnableOption configures Enable.
type EnableOption interface{ applyEnable(*callConfig) }

// DisableOption configures Disable.
type DisableOption interface{ applyDisable(*callConfig) }

// RemoveOption configures Remove.
type RemoveOption interface{ applyRemove(*callConfig) }

// FilterOption selects plugins by a filter; it serves List.
type FilterOption struct {
	key    string
	values []string
}

func (o FilterOption) applyList(c *callConfig) {
	if c.filters == nil {
		c.filters = docker.Filters{}
	}
	c.filters.Add(o.key, o.values...)
}

// Filter adds a filter on key and may be given several times. Daemons know
// "capability" (e.g. "volumedriver", "authz") and "enabled" ("true" or
// "false"). The API specification calls the latter "enable", but daemons
// (Engine 20.10 at least) refuse that key with docker.ErrInvalidArgument.
func Filter(key string, values ...string) FilterOption {
	return FilterOption{key: key, values: append([]string(nil), values...)}
}

// AuthOption carries registry credentials; it serves Privileges, Pull,
// Upgrade and Push.
type AuthOption struct {
	auth registry.AuthConfig
}

func (o AuthOption) set(c *callConfig)             { a := o.auth; c.auth = &a }
func (o AuthOption) applyPrivileges(c *callConfig) { o.set(c) }
func (o AuthOption) applyPull(c *callConfig)       { o.set(c) }
func (o AuthOption) applyUpgrade(c *callConfig)    { o.set(c) }
func (o AuthOption) applyPush(c *callConfig)       { o.set(c) }

// RegistryAuth sends auth to the registry the plugin comes from or goes to,
// in the X-Registry-Auth header. Resolve credentials as the docker CLI does
// with registry.Store.
func RegistryAuth(auth registry.AuthConfig) AuthOption {
	return AuthOption{auth: auth}
}

type pullFunc func(*callConfig)

func (f pullFunc) applyPull(c *callConfig) { f(c) }

// Name installs the pulled plugin under a local name other than the
// remote reference.
func Name(name string) PullOption {
	return pullFunc(func(c *callConfig) { c.name = name })
}

type enableFunc func(*callConfig)

func (f enableFunc) applyEnable(c *callConfig) { f(c) }

// Timeout sets how long the daemon's client waits for the plugin's answers
// once it runs (sent in whole seconds, rounded up). It does not bound the
// Enable call itself: use ctx for that.
func Timeout(d time.Duration) EnableOption {
	return enableFunc(func(c *callConfig) { c.timeout = d })
}

// ForceOption forces a Disable or a Remove.
type ForceOption struct{}

func (ForceOption) applyDisable(c *callConfig) { c.force = true }
func (ForceOption) applyRemove(c *callConfig)  { c.force = true }

// Force makes Disable stop a plugin even while something uses it, and
// Remove remove an enabled plugin (disabling it first). Either may break
// the containers that use the plugin.
func Force() ForceOption { return ForceOption{} }
