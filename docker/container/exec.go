package container

import (
	"context"
	"errors"
	"fmt"
	"net/http"

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
	path, err := containerPath("/containers/{}/exec", containerID)
	if err != nil {
		return "", err
	}
	if len(cfg.Cmd) == 0 {
		return "", errors.New("docker: exec command is empty")
	}
	var out struct {
		ID string `json:"Id"`
	}
	if err := s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: path, JSON: cfg}, &out); err != nil {
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
