package docker

import (
	"context"

	"github.com/berth-go/berth/internal/httpx"
)

// Version returns the daemon's version and those of its components.
//
// API: GET /version
func (c *Client) Version(ctx context.Context) (ServerVersion, error) {
	var v ServerVersion
	err := c.DoJSON(ctx, &Request{Path: "/version"}, &v)
	return v, err
}

// Info returns the daemon's system-wide information.
//
// API: GET /info
func (c *Client) Info(ctx context.Context) (Info, error) {
	var info Info
	err := c.DoJSON(ctx, &Request{Path: "/info"}, &info)
	return info, err
}

// DiskUsageOption configures DiskUsage.
type DiskUsageOption interface{ applyDiskUsage(*diskUsageConfig) }

type diskUsageConfig struct {
	types   []string
	verbose bool
}

type diskUsageOptionFunc func(*diskUsageConfig)

func (f diskUsageOptionFunc) applyDiskUsage(c *diskUsageConfig) { f(c) }

// DiskUsageTypes limits DiskUsage to some object types: "container",
// "image", "volume", "build-cache" (API >= 1.42).
func DiskUsageTypes(types ...string) DiskUsageOption {
	return diskUsageOptionFunc(func(c *diskUsageConfig) { c.types = append(c.types, types...) })
}

// Verbose asks DiskUsage for the per-object items of each summary
// (API >= 1.52; older daemons always send their object lists).
func Verbose() DiskUsageOption {
	return diskUsageOptionFunc(func(c *diskUsageConfig) { c.verbose = true })
}

// DiskUsage reports the disk space used by images, containers, volumes and
// the build cache. It returns ErrVersion without sending anything when an
// option needs a newer API than the negotiated one.
//
// API: GET /system/df
func (c *Client) DiskUsage(ctx context.Context, opts ...DiskUsageOption) (DiskUsage, error) {
	var cfg diskUsageConfig
	for _, o := range opts {
		o.applyDiskUsage(&cfg)
	}
	var q httpx.Query
	req := &Request{Path: "/system/df"}
	if len(cfg.types) > 0 {
		q.Strings("type", cfg.types...)
		req.MinVersion, req.What = "1.42", "GET /system/df with type"
	}
	if cfg.verbose {
		q.Flag("verbose", true)
		req.MinVersion, req.What = "1.52", "GET /system/df with verbose"
	}
	req.Query = q.Values()
	var du DiskUsage
	err := c.DoJSON(ctx, req, &du)
	return du, err
}
