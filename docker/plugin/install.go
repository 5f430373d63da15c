package plugin

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
	"github.com/berth-go/berth/stream"
)

// Privileges returns the privileges the plugin at the remote reference
// needs. Show them to the user; installing it with Pull or Upgrade means
// accepting exactly these. The result is never nil.
//
// Beware: Engine 20.10 answers an empty list, not an error, when it cannot
// read the plugin (unknown reference, missing or wrong RegistryAuth), so an
// empty list does not prove the plugin needs nothing; Pull will then refuse
// the install. Other refusals come as a *docker.Error. An empty remote is a
// local error.
//
// API: GET /plugins/privileges
func (s *Service) Privileges(ctx context.Context, remote string, opts ...PrivilegesOption) ([]Privilege, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyPrivileges(&cfg)
	}
	if remote == "" {
		return nil, errors.New("docker: plugin remote reference is empty")
	}
	header, err := authHeader(&cfg)
	if err != nil {
		return nil, err
	}
	var q httpx.Query
	q.Set("remote", remote)
	var out []Privilege
	err = s.cli.DoJSON(ctx, &docker.Request{Path: "/plugins/privileges", Query: q.Values(), Header: header}, &out)
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []Privilege{}
	}
	return out, nil
}

// Pull installs the plugin at the remote reference, accepting privileges
// (as Privileges returned them; when they differ from what the plugin needs
// the daemon refuses the install, inside the stream on Engine 20.10:
// a *docker.StreamError "incorrect privileges"). The plugin is installed disabled:
// call Enable to run it. Name installs it under another local name.
//
// The request is sent when the loop starts and the progress messages are
// yielded as they come; the response is closed when the loop ends, on break
// too. A failure the daemon reports inside the stream is yielded as a
// *docker.StreamError; one before it (a plugin already installed under that
// name, a bad reference) as a *docker.Error; an empty remote as a local error.
//
// API: POST /plugins/pull
func (s *Service) Pull(ctx context.Context, remote string, privileges []Privilege, opts ...PullOption) iter.Seq2[stream.Progress, error] {
	var cfg callConfig
	for _, o := range opts {
		o.applyPull(&cfg)
	}
	if remote == "" {
		return failed(errors.New("docker: plugin remote reference is empty"))
	}
	header, err := authHeader(&cfg)
	if err != nil {
		return failed(err)
	}
	var q httpx.Query
	q.Set("remote", remote)
	q.String("name", cfg.name)
	return docker.StreamProgress(ctx, s.cli, &docker.Request{
		Method: http.MethodPost,
		Path:   "/plugins/pull",
		Query:  q.Values(),
		Header: header,
		JSON:   accepted(privileges),
	})
}

// Upgrade replaces the installed plugin name by the one at the remote
// reference, accepting privileges (see Pull), and keeps the settings made
// with Set. The plugin must be disabled: an enabled one is
// docker.ErrConflict. Progress is yielded as Pull describes; an empty name
// or remote is a local error.
//
// API: POST /plugins/{name}/upgrade
func (s *Service) Upgrade(ctx context.Context, name, remote string, privileges []Privilege, opts ...UpgradeOption) iter.Seq2[stream.Progress, error] {
	var cfg callConfig
	for _, o := range opts {
		o.applyUpgrade(&cfg)
	}
	path, err := httpx.Path("/plugins/{}/upgrade", "plugin name", name)
	if err != nil {
		return failed(err)
	}
	if remote == "" {
		return failed(errors.New("docker: plugin remote reference is empty"))
	}
	header, err := authHeader(&cfg)
	if err != nil {
		return failed(err)
	}
	var q httpx.Query
	q.Set("remote", remote)
	return docker.StreamProgress(ctx, s.cli, &docker.Request{
		Method: http.MethodPost,
		Path:   path,
		Query:  q.Values(),
		Header: header,
		JSON:   accepted(privileges),
	})
}

// Push uploads the plugin to the registry its name points at (name it
// "registry.local:5000/team/plugin:tag" when creating it). Progress is
// yielded as Pull describes; the last messages carry the pushed digest in
// their Aux. An empty name is a local error.
//
// API: POST /plugins/{name}/push
func (s *Service) Push(ctx context.Context, name string, opts ...PushOption) iter.Seq2[stream.Progress, error] {
	var cfg callConfig
	for _, o := range opts {
		o.applyPush(&cfg)
	}
	path, err := httpx.Path("/plugins/{}/push", "plugin name", name)
	if err != nil {
		return failed(err)
	}
	header, err := authHeader(&cfg)
	if err != nil {
		return failed(err)
	}
	return docker.StreamProgress(ctx, s.cli, &docker.Request{Method: http.MethodPost, Path: path, Header: header})
}

// authHeader returns the X-Registry-Auth header for the configured
// credentials, or nil.
func authHeader(cfg *callConfig) (http.Header, error) {
	if cfg.auth == nil {
		return nil, nil
	}
	enc, err := cfg.auth.Encode()
	if err != nil {
		return nil, fmt.Errorf("docker: encoding registry credentials: %w", err)
	}
	return http.Header{"X-Registry-Auth": {enc}}, nil
}

// accepted is the body of pull and upgrade: the privileges, never null.
func accepted(privileges []Privilege) []Privilege {
	if privileges == nil {
		return []Privilege{}
	}
	return privileges
}

// failed is a progress stream that yields err and ends.
func failed(err error) iter.Seq2[stream.Progress, error] {
	return func(yield func(stream.Progress, error) bool) {
		yield(stream.Progress{}, err)
	}
}
