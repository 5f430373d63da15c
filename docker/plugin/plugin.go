package plugin

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// List returns the installed plugins, filtered by the Filter options. An
// unknown filter is docker.ErrInvalidArgument.
//
// API: GET /plugins
func (s *Service) List(ctx context.Context, opts ...ListOption) ([]Plugin, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyList(&cfg)
	}
	var q httpx.Query
	q.Filters(cfg.filters)
	var out []Plugin
	if err := s.cli.DoJSON(ctx, &docker.Request{Path: "/plugins", Query: q.Values()}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Inspect returns the plugin with that name or id (prefix). A plugin that
// is not installed is docker.ErrNotFound; an empty name is a local error.
//
// API: GET /plugins/{name}/json
func (s *Service) Inspect(ctx context.Context, name string) (Plugin, error) {
	path, err := httpx.Path("/plugins/{}/json", "plugin name", name)
	if err != nil {
		return Plugin{}, err
	}
	var out Plugin
	err = s.cli.DoJSON(ctx, &docker.Request{Path: path}, &out)
	return out, err
}

// Remove removes an installed plugin. An enabled plugin is refused with
// docker.ErrConflict unless Force is given. A plugin that is not installed
// is docker.ErrNotFound; an empty name is a local error.
//
// API: DELETE /plugins/{name}
func (s *Service) Remove(ctx context.Context, name string, opts ...RemoveOption) error {
	var cfg callConfig
	for _, o := range opts {
		o.applyRemove(&cfg)
	}
	path, err := httpx.Path("/plugins/{}", "plugin name", name)
	if err != nil {
		return err
	}
	var q httpx.Query
	q.Flag("force", cfg.force)
	return s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: path, Query: q.Values()}, nil)
}

// Enable starts the plugin and returns once the daemon reaches its socket,
// or fails: the daemon gives a plugin about 12 seconds to listen on the
// socket its config names before it gives up with a *docker.Error (500 "dial
// unix ...: no such file or directory" on Engine 20.10), so a ctx or a
// client timeout (docker.WithTimeout) shorter than that cuts the wait short.
// A plugin already enabled is docker.ErrConflict; one that is not installed
// is docker.ErrNotFound. An empty name is a local error.
//
// The timeout parameter is always sent, 0 unless Timeout says otherwise
// (the API's default): Engine 20.10 fails a request without it.
//
// API: POST /plugins/{name}/enable
func (s *Service) Enable(ctx context.Context, name string, opts ...EnableOption) error {
	var cfg callConfig
	for _, o := range opts {
		o.applyEnable(&cfg)
	}
	path, err := httpx.Path("/plugins/{}/enable", "plugin name", name)
	if err != nil {
		return err
	}
	var q httpx.Query
	var secs int64
	if cfg.timeout > 0 {
		secs = int64((cfg.timeout + time.Second - 1) / time.Second)
	}
	q.Int("timeout", secs)
	return s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: path, Query: q.Values()}, nil)
}

// Disable stops the plugin: the daemon sends it SIGTERM and, after 10
// seconds, SIGKILL. A plugin in use (say, a volume driver with volumes
// mounted) is refused with a *docker.Error unless Force is given; a plugin
// already disabled is docker.ErrConflict. A plugin that is not installed is
// docker.ErrNotFound; an empty name is a local error.
//
// API: POST /plugins/{name}/disable
func (s *Service) Disable(ctx context.Context, name string, opts ...DisableOption) error {
	var cfg callConfig
	for _, o := range opts {
		o.applyDisable(&cfg)
	}
	path, err := httpx.Path("/plugins/{}/disable", "plugin name", name)
	if err != nil {
		return err
	}
	var q httpx.Query
	q.Flag("force", cfg.force)
	return s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: path, Query: q.Values()}, nil)
}

// Set changes settings of a plugin, each "NAME=value" for an environment
// variable, "args=..." for the arguments, or "MOUNT.source=/path" and
// "DEVICE.path=/dev/x" for mounts and devices; only what the plugin's config
// marks as settable may change, and only while the plugin is disabled.
// Refusals come as a *docker.Error (an enabled plugin is a 500 on Engine
// 20.10; a plugin that is not installed is docker.ErrNotFound). An empty
// name, or no settings at all, is a local error.
//
// API: POST /plugins/{name}/set
func (s *Service) Set(ctx context.Context, name string, settings ...string) error {
	path, err := httpx.Path("/plugins/{}/set", "plugin name", name)
	if err != nil {
		return err
	}
	if len(settings) == 0 {
		return errors.New("docker: plugin set: no settings given")
	}
	return s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: path, JSON: settings}, nil)
}
