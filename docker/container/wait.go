package container

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// Exit is what Wait returns: the container's exit status.
type Exit struct {
	StatusCode int64
	// Error is set when waiting failed inside the daemon (for WaitRemoved:
	// when the removal failed).
	Error *ExitError `json:",omitempty"`
}

// ExitError is the daemon's reason for a failed wait.
type ExitError struct {
	Message string
}

// Wait blocks until the container reaches the condition (WaitNotRunning
// unless Condition says otherwise) and returns its exit status. With
// WaitNotRunning it returns at once for a container that has already
// exited. Cancelling ctx ends the wait at once with ctx's error.
//
// When the daemon reports a failure in the response (Exit.Error), Wait
// returns the Exit and an error carrying its message.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/wait
func (s *Service) Wait(ctx context.Context, id string, opts ...WaitOption) (Exit, error) {
	w, err := s.beginWait(ctx, id, opts...)
	if err != nil {
		return Exit{}, err
	}
	return w.result()
}

// pendingWait is a wait the daemon has registered; result reads its
// answer, abort gives it up. One of them must be called, once.
type pendingWait struct {
	ctx  context.Context
	id   string
	body io.ReadCloser
}

// abort closes the wait's connection without reading the exit status.
func (w *pendingWait) abort() { w.body.Close() }

// result blocks until the daemon answers and returns the exit status.
func (w *pendingWait) result() (Exit, error) {
	defer w.body.Close()
	var out Exit
	if err := httpx.DecodeJSON(w.body, &out, "POST /containers/{id}/wait"); err != nil {
		if w.ctx.Err() != nil {
			return Exit{}, fmt.Errorf("docker: waiting for container %s: %w", w.id, w.ctx.Err())
		}
		return Exit{}, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(w.body, 4<<10))
	if out.Error != nil && out.Error.Message != "" {
		return out, fmt.Errorf("docker: waiting for container %s: %s", w.id, out.Error.Message)
	}
	return out, nil
}

// beginWait sends the wait request and returns once the daemon has
// registered it (it sends the response headers at once from API 1.30), so
// that Run can wait for a container before starting it and miss no exit.
func (s *Service) beginWait(ctx context.Context, id string, opts ...WaitOption) (*pendingWait, error) {
	path, err := containerPath("/containers/{}/wait", id)
	if err != nil {
		return nil, err
	}
	var set settings
	for _, o := range opts {
		o.applyWait(&set)
	}
	req := &docker.Request{Method: http.MethodPost, Path: path, Stream: true}
	set.apply(req)
	resp, err := s.cli.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	return &pendingWait{ctx: ctx, id: id, body: resp.Body}, nil
}
