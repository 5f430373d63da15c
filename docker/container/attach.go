package container

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/stream"
)

// attachQuery fills in Attach's defaults: both output streams unless
// Stdout or Stderr chooses one (Stdin, Logs and DetachKeys do not count:
// the daemon would otherwise attach no output at all), and live output when
// neither Stream nor Logs is given.
func attachQuery(set *settings) {
	if !set.has("stdout") && !set.has("stderr") {
		set.q.Flag("stdout", true)
		set.q.Flag("stderr", true)
	}
	if !set.has("stream") && !set.has("logs") {
		set.q.Flag("stream", true)
	}
}

// Attach connects to a container's stdin, stdout and stderr over a
// hijacked connection. It carries both stdout and stderr unless Stdout or
// Stderr chooses one of them, whatever other options are given; Stdin adds
// stdin (the container needs Config.OpenStdin), Logs replays the output
// written so far (with Stream too, live output follows it), and DetachKeys
// sets the detach sequence.
//
// Attach before Start to see a container's first bytes. Read or Demux the
// returned *stream.Conn for output (multiplexed unless the container has a
// TTY; on daemons before API 1.42 Attach inspects the container to know,
// unless TTY tells it), Write to send stdin, and CloseWrite to end stdin
// while output keeps coming. The output ends when the container stops. For
// a container that is not running the daemon holds the session until the
// container is started (as `docker start -a` does): cancel ctx or Close the
// Conn to give up.
//
// The caller must close the Conn; cancelling ctx closes it too.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: POST /containers/{id}/attach
func (s *Service) Attach(ctx context.Context, id string, opts ...AttachOption) (*stream.Conn, error) {
	path, err := containerPath("/containers/{}/attach", id)
	if err != nil {
		return nil, err
	}
	var set settings
	for _, o := range opts {
		o.applyAttach(&set)
	}
	attachQuery(&set)
	tty, err := s.containerTTY(ctx, id, set.tty)
	if err != nil {
		return nil, err
	}
	return s.attach(ctx, path, &set, tty)
}

func (s *Service) attach(ctx context.Context, path string, set *settings, tty bool) (*stream.Conn, error) {
	req := &docker.Request{Method: http.MethodPost, Path: path, Stream: true}
	set.apply(req)
	return s.cli.Hijack(ctx, req, tty)
}
