package container

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/berth-go/berth/docker"
)

// call sends req, drains and closes the response body,
// and reports whether the daemon answered 304 Not Modified.
func (s *Service) call(ctx context.Context, req *docker.Request) (notModified bool, err error) {
	resp, err := s.cli.Do(ctx, req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // let the connection be reused
	return resp.StatusCode == http.StatusNotModified, nil
}

// simple sends METHOD pattern(id) with the options' query.
func (s *Service) simple(ctx context.Context, method, pattern, id string, set *settings) (bool, error) {
	path, err := containerPath(pattern, id)
	if err != nil {
		return false, err
	}
	req := &docker.Request{Method: method, Path: path}
	if set != nil {
		set.apply(req)
	}
	return s.call(ctx, req)
}

// Start starts a created or stopped container. Starting a container that is
// already running is not an error (the daemon answers 304 Not Modified and
// Start returns nil). DetachKeys sets the key sequence for later attaches.
//
// Errors match docker.ErrNotFound for an unknown container and
// docker.ErrInvalidArgument or docker.ErrConflict when the daemon cannot
// start it (its message says why).
//
// API: POST /containers/{id}/start
func (s *Service) Start(ctx context.Context, id string, opts ...StartOption) error {
	var set settings
	for _, o := range opts {
		o.applyStart(&set)
	}
	_, err := s.simple(ctx, http.MethodPost, "/containers/{}/start", id, &set)
	return err
}

// Stop stops a running container: it sends the stop signal (Signal, or the
// container's StopSignal), waits Timeout (or the container's StopTimeout,
// 10 seconds by default), then kills it. Stopping a container that is not
// running is not an error (the daemon answers 304 Not Modified and Stop
// returns nil).
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/stop
func (s *Service) Stop(ctx context.Context, id string, opts ...StopOption) error {
	var set settings
	for _, o := range opts {
		o.applyStop(&set)
	}
	_, err := s.simple(ctx, http.MethodPost, "/containers/{}/stop", id, &set)
	return err
}

// Restart stops the container as Stop does (Signal, Timeout), then starts
// it; a stopped container is just started.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/restart
func (s *Service) Restart(ctx context.Context, id string, opts ...StopOption) error {
	var set settings
	for _, o := range opts {
		o.applyStop(&set)
	}
	_, err := s.simple(ctx, http.MethodPost, "/containers/{}/restart", id, &set)
	return err
}

// Kill sends a signal (SIGKILL unless Signal says otherwise) to the
// container's main process. A container that is not running gives an error
// matching docker.ErrConflict.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/kill
func (s *Service) Kill(ctx context.Context, id string, opts ...KillOption) error {
	var set settings
	for _, o := range opts {
		o.applyKill(&set)
	}
	_, err := s.simple(ctx, http.MethodPost, "/containers/{}/kill", id, &set)
	return err
}

// Pause freezes all processes of the container (cgroup freezer). Pausing a
// container that is not running, or is paused, gives an error matching
// docker.ErrConflict.
//
// API: POST /containers/{id}/pause
func (s *Service) Pause(ctx context.Context, id string) error {
	_, err := s.simple(ctx, http.MethodPost, "/containers/{}/pause", id, nil)
	return err
}

// Unpause resumes a paused container.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/unpause
func (s *Service) Unpause(ctx context.Context, id string) error {
	_, err := s.simple(ctx, http.MethodPost, "/containers/{}/unpause", id, nil)
	return err
}

// Rename gives the container a new name. A name in use gives an error
// matching docker.ErrConflict; an empty name is rejected before sending.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/rename
func (s *Service) Rename(ctx context.Context, id, newName string) error {
	if newName == "" {
		return errors.New("docker: new container name is empty")
	}
	var set settings
	set.q.Set("name", newName)
	_, err := s.simple(ctx, http.MethodPost, "/containers/{}/rename", id, &set)
	return err
}

// UpdateConfig is the body of Update: new resource limits and restart
// policy. Zero fields are left unchanged.
type UpdateConfig struct {
	Resources
	RestartPolicy RestartPolicy `json:",omitzero"`
}

// UpdateResponse is what Update returns.
type UpdateResponse struct {
	Warnings []string
}

// Update changes a container's resource limits and restart policy while it
// runs or not. Values the daemon refuses (a negative limit, a restart
// policy that does not exist, a memory limit below usage) give an error
// matching docker.ErrInvalidArgument with the daemon's message.
//
// API: POST /containers/{id}/update
func (s *Service) Update(ctx context.Context, id string, update UpdateConfig) (UpdateResponse, error) {
	path, err := containerPath("/containers/{}/update", id)
	if err != nil {
		return UpdateResponse{}, err
	}
	var out UpdateResponse
	err = s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: path, JSON: update}, &out)
	return out, err
}

// Remove removes a container. Force kills it first if it runs (otherwise a
// running container gives an error matching docker.ErrConflict),
// RemoveVolumes also removes its anonymous volumes, and RemoveLink removes a
// legacy link instead. Without RemoveVolumes the container's anonymous
// volumes stay behind (Run with RemoveWhenDone, and AutoRemove, remove
// them).
//
// API: DELETE /containers/{id}
func (s *Service) Remove(ctx context.Context, id string, opts ...RemoveOption) error {
	var set settings
	for _, o := range opts {
		o.applyRemove(&set)
	}
	_, err := s.simple(ctx, http.MethodDelete, "/containers/{}", id, &set)
	return err
}

// Resize sets the TTY size of a container created with Config.Tty.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/resize
func (s *Service) Resize(ctx context.Context, id string, height, width uint) error {
	var set settings
	set.q.Set("h", fmt.Sprint(height))
	set.q.Set("w", fmt.Sprint(width))
	_, err := s.simple(ctx, http.MethodPost, "/containers/{}/resize", id, &set)
	return err
}
