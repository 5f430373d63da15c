package container

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"

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
// To wait for a container that is not started yet, use BeginWait before
// Start: a container that exits quickly with AutoRemove is gone by the time
// a Wait after Start is sent.
//
// When the daemon reports a failure in the response (Exit.Error), Wait
// returns the Exit and an error carrying its message.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/wait
func (s *Service) Wait(ctx context.Context, id string, opts ...WaitOption) (Exit, error) {
	var set settings
	for _, o := range opts {
		o.applyWait(&set)
	}
	w, err := s.beginWait(ctx, id, &set)
	if err != nil {
		return Exit{}, err
	}
	defer w.Close()
	return w.Result()
}

// BeginWait registers a wait for the container and returns once the daemon
// holds it, without waiting for the answer: Result reads it later. Call it
// before Start to miss no exit, however fast the container is; that is how
// Run waits. Without Condition it waits for the next exit (WaitNextExit),
// which also holds for a container that is created but not started yet.
// Conditions need API 1.30: on older daemons BeginWait fails with
// docker.ErrVersion before sending anything.
//
// A container created with HostConfig.AutoRemove is removed as soon as it
// exits, so a Wait sent after Start may find it gone (docker.ErrNotFound)
// and its exit status lost. Register the wait first, with
// Condition(WaitRemoved) to return once the container is gone (as `docker
// run --rm` does), and read the status from Result:
//
//	w, err := ctrs.BeginWait(ctx, id, container.Condition(container.WaitRemoved))
//	...
//	defer w.Close()
//	err = ctrs.Start(ctx, id)
//	...
//	exit, err := w.Result()
//
// ctx bounds the whole wait: cancelling it ends Result with ctx's error.
// The caller must Close the PendingWait, also after Result.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/wait
func (s *Service) BeginWait(ctx context.Context, id string, opts ...WaitOption) (*PendingWait, error) {
	var set settings
	for _, o := range opts {
		o.applyWait(&set)
	}
	if !set.has("condition") {
		Condition(WaitNextExit).applyWait(&set)
	}
	return s.beginWait(ctx, id, &set)
}

// PendingWait is a wait the daemon holds, from BeginWait. Result blocks
// until the daemon answers and returns the exit status; later calls return
// the same answer. Close gives the wait up: a Result blocked in another
// goroutine, or called later, then returns an error matching net.ErrClosed.
// Call Close once the wait is no longer needed; after Result it does
// nothing, and it may be called more than once.
type PendingWait struct {
	ctx  context.Context
	id   string
	body io.ReadCloser

	once   sync.Once // Result reads the answer once
	exit   Exit
	err    error
	closed atomic.Bool
	close  sync.Once
}

// Close gives the wait up and releases its connection. It always returns
// nil.
func (w *PendingWait) Close() error {
	w.closed.Store(true)
	w.close.Do(func() { _ = w.body.Close() })
	return nil
}

// Result blocks until the daemon answers and returns the exit status. When
// the daemon reports a failure in the response (Exit.Error), it returns the
// Exit and an error carrying its message.
func (w *PendingWait) Result() (Exit, error) {
	w.once.Do(w.read)
	return w.exit, w.err
}

func (w *PendingWait) read() {
	defer w.Close()
	var out Exit
	if err := httpx.DecodeJSON(w.body, &out, "POST /containers/{id}/wait"); err != nil {
		switch {
		case w.ctx.Err() != nil:
			err = fmt.Errorf("docker: waiting for container %s: %w", w.id, w.ctx.Err())
		case w.closed.Load():
			err = fmt.Errorf("docker: waiting for container %s: the wait was closed: %w", w.id, net.ErrClosed)
		}
		w.err = err
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(w.body, 4<<10))
	w.exit = out
	if out.Error != nil && out.Error.Message != "" {
		w.err = fmt.Errorf("docker: waiting for container %s: %s", w.id, out.Error.Message)
	}
}

// beginWait sends the wait request with set's query and returns once the
// daemon has registered it (it sends the response headers at once from API
// 1.30).
func (s *Service) beginWait(ctx context.Context, id string, set *settings) (*PendingWait, error) {
	path, err := containerPath("/containers/{}/wait", id)
	if err != nil {
		return nil, err
	}
	req := &docker.Request{Method: http.MethodPost, Path: path, Stream: true}
	set.apply(req)
	resp, err := s.cli.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	return &PendingWait{ctx: ctx, id: id, body: resp.Body}, nil
}
