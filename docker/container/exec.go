package container

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/stream"
)

// ExecCreate sets up a process to run in a running container and returns
// the exec instance's id; ExecStart or ExecStartDetached runs it. A
// container that is not running (or is paused) gives an error matching
// docker.ErrConflict; an empty Cmd is rejected before sending.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/exec
func (s *Service) ExecCreate(ctx context.Context, containerID string, cfg ExecConfig) (string, error) {
	return s.execCreate(ctx, containerID, cfg, nil)
}

// execCreate is ExecCreate; a non-nil set adds its options' version
// requirement, so that Exec fails before creating anything.
func (s *Service) execCreate(ctx context.Context, containerID string, cfg ExecConfig, set *settings) (string, error) {
	path, err := containerPath("/containers/{}/exec", containerID)
	if err != nil {
		return "", err
	}
	if len(cfg.Cmd) == 0 {
		return "", errors.New("docker: exec command is empty")
	}
	req := &docker.Request{Method: http.MethodPost, Path: path, JSON: cfg}
	if set != nil {
		req.MinVersion, req.What = set.need, set.needWhat
	}
	var out struct {
		ID string `json:"Id"`
	}
	if err := s.cli.DoJSON(ctx, req, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// execStartBody is the body of POST /exec/{id}/start.
type execStartBody struct {
	Detach      bool
	Tty         bool
	ConsoleSize [2]uint `json:",omitzero"`
}

// ExecStart runs an exec instance attached: the returned *stream.Conn
// carries the streams chosen at ExecCreate (AttachStdin, AttachStdout,
// AttachStderr). Write sends stdin and CloseWrite ends it; Read or Demux
// return the output until the process exits. Use ExecInspect afterwards for
// the exit code.
//
// The output is multiplexed unless the exec has a TTY; ExecStart inspects
// the exec instance to know, unless TTY tells it. ConsoleSize sets the
// initial TTY size.
//
// The caller must close the Conn; cancelling ctx closes it too. The daemon
// reports failures that happen after the upgrade (an exec that already ran,
// a command it cannot execute) as a line of text in the output, not as an
// error.
//
// An unknown exec instance gives an error matching docker.ErrNotFound.
//
// API: POST /exec/{id}/start
func (s *Service) ExecStart(ctx context.Context, execID string, opts ...ExecStartOption) (*stream.Conn, error) {
	path, err := execPath("/exec/{}/start", execID)
	if err != nil {
		return nil, err
	}
	var set settings
	for _, o := range opts {
		o.applyExecStart(&set)
	}
	tty := false
	if set.tty != nil {
		tty = *set.tty
	} else {
		d, err := s.ExecInspect(ctx, execID)
		if err != nil {
			return nil, err
		}
		tty = d.ProcessConfig.Tty
	}
	return s.execStart(ctx, path, tty, &set)
}

// execStart starts an exec instance attached.
func (s *Service) execStart(ctx context.Context, path string, tty bool, set *settings) (*stream.Conn, error) {
	req := &docker.Request{
		Method: http.MethodPost, Path: path, Stream: true,
		JSON: execStartBody{Tty: tty, ConsoleSize: set.consoleSize},
	}
	set.apply(req)
	return s.cli.Hijack(ctx, req, tty)
}

// ExecStartDetached runs an exec instance in the background and returns
// once it has started; ExecInspect tells when it ends and how. Starting an
// exec that already ran gives an error matching docker.ErrConflict.
//
// An unknown exec instance gives an error matching docker.ErrNotFound.
//
// API: POST /exec/{id}/start
func (s *Service) ExecStartDetached(ctx context.Context, execID string, opts ...ExecStartOption) error {
	path, err := execPath("/exec/{}/start", execID)
	if err != nil {
		return err
	}
	var set settings
	for _, o := range opts {
		o.applyExecStart(&set)
	}
	body := execStartBody{Detach: true, ConsoleSize: set.consoleSize}
	if set.tty != nil {
		body.Tty = *set.tty
	}
	req := &docker.Request{Method: http.MethodPost, Path: path, JSON: body}
	set.apply(req)
	_, err = s.call(ctx, req)
	return err
}

// ExecResize sets the TTY size of an exec process created with Tty.
//
// An unknown exec instance gives an error matching docker.ErrNotFound.
//
// API: POST /exec/{id}/resize
func (s *Service) ExecResize(ctx context.Context, execID string, height, width uint) error {
	path, err := execPath("/exec/{}/resize", execID)
	if err != nil {
		return err
	}
	var set settings
	set.q.Set("h", fmt.Sprint(height))
	set.q.Set("w", fmt.Sprint(width))
	req := &docker.Request{Method: http.MethodPost, Path: path}
	set.apply(req)
	_, err = s.call(ctx, req)
	return err
}

// ExecInspect returns the state of an exec instance: whether it runs, its
// exit code once it has ended, its process id.
//
// An unknown exec instance gives an error matching docker.ErrNotFound.
//
// API: GET /exec/{id}/json
func (s *Service) ExecInspect(ctx context.Context, execID string) (ExecDetails, error) {
	path, err := execPath("/exec/{}/json", execID)
	if err != nil {
		return ExecDetails{}, err
	}
	var out ExecDetails
	err = s.cli.DoJSON(ctx, &docker.Request{Path: path}, &out)
	return out, err
}

// Exec does what `docker exec` does, in one call: it creates an exec
// instance running cfg in the container, starts it attached, copies the
// reader of WithStdin to the process's stdin (then closes it, so the
// process reads end of file), copies its output to the writers of
// WithStdout and WithStderr (split unless cfg.Tty; output without a writer
// is discarded), and once the output has ended returns the exec's id and
// the process's exit code. A non-zero exit code is not an error.
// ConsoleSize sets the initial size of a TTY (API >= 1.42).
//
// Exec sets cfg's AttachStdin from WithStdin and always attaches stdout
// and stderr, so that the session lasts until the process ends. The
// exit code comes from ExecInspect; the daemon records it a moment after
// the output ends, so Exec asks again, for up to 10 seconds, while the
// process is still reported running (a process that closed its output but
// keeps running makes Exec fail after that).
//
// Cancelling ctx ends Exec promptly with an error wrapping ctx's error;
// the process itself may keep running in the container (the API cannot
// stop an exec). As with Run, a stdin Read that is still blocked when the
// output ends (on a terminal, say) is abandoned to return on its own, and
// what it returns is dropped.
//
// An unknown container gives an error matching docker.ErrNotFound; a
// container that is not running, docker.ErrConflict. Failures after the
// exec was created name its id, and the result carries it.
//
// API: POST /containers/{id}/exec
// API: POST /exec/{id}/start
// API: GET /exec/{id}/json
func (s *Service) Exec(ctx context.Context, containerID string, cfg ExecConfig, opts ...ExecOption) (ExecResult, error) {
	var set settings
	for _, o := range opts {
		o.applyExec(&set)
	}
	cfg.AttachStdin = set.stdin != nil
	cfg.AttachStdout, cfg.AttachStderr = true, true
	id, err := s.execCreate(ctx, containerID, cfg, &set)
	if err != nil {
		return ExecResult{}, err
	}
	res := ExecResult{ID: id}
	fail := func(err error) (ExecResult, error) {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		return res, fmt.Errorf("docker: exec %s in container %s: %w", id, containerID, err)
	}
	path, err := execPath("/exec/{}/start", id)
	if err != nil {
		return fail(err)
	}
	conn, err := s.execStart(ctx, path, cfg.Tty, &set)
	if err != nil {
		return fail(err)
	}
	if err := s.copyStreams(conn, &set); err != nil {
		return fail(err)
	}
	code, err := s.execExitCode(ctx, id)
	if err != nil {
		return fail(err)
	}
	res.ExitCode = code
	return res, nil
}

// execSettle bounds how long Exec asks for the exit code of a process
// whose output has ended but that the daemon still reports running.
const execSettle = 10 * time.Second

// execExitCode returns the exit code of an exec instance whose output has
// ended, asking again (backing off from 1 to 100 ms) while the daemon still
// reports it running, for at most execSettle.
func (s *Service) execExitCode(ctx context.Context, id string) (int, error) {
	deadline := time.Now().Add(execSettle)
	delay := time.Millisecond
	for {
		d, err := s.ExecInspect(ctx, id)
		if err != nil {
			return 0, err
		}
		if !d.Running {
			return d.ExitCode, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("the output ended but the process still runs after %v", execSettle)
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return 0, ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, 100*time.Millisecond)
	}
}
