package container

import (
	"context"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/stream"
)

// Logs returns the output a container has written (from its logging
// driver): stdout and stderr unless Stdout or Stderr picks one. Follow keeps
// the stream open for new output until the container stops; Since, Until,
// Tail, Timestamps and LogDetails shape it.
//
// The returned *stream.Reader knows whether the output is multiplexed
// (stdout and stderr in frames) or the raw bytes of a TTY: its Demux splits
// it. Daemons older than API 1.42 do not say so in the response, so Logs
// then inspects the container for its Config.Tty first, unless TTY tells it.
//
// The caller must close the Reader; cancelling ctx closes it too. An
// unknown container gives an error matching docker.ErrNotFound.
//
// API: GET /containers/{id}/logs
func (s *Service) Logs(ctx context.Context, id string, opts ...LogsOption) (*stream.Reader, error) {
	path, err := containerPath("/containers/{}/logs", id)
	if err != nil {
		return nil, err
	}
	var set settings
	for _, o := range opts {
		o.applyLogs(&set)
	}
	if !set.has("stdout") && !set.has("stderr") {
		set.q.Flag("stdout", true)
		set.q.Flag("stderr", true)
	}
	tty, err := s.containerTTY(ctx, id, set.tty)
	if err != nil {
		return nil, err
	}
	req := &docker.Request{Path: path, Stream: true}
	set.apply(req)
	resp, err := s.cli.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	return stream.NewReader(resp.Body, s.cli.Multiplexed(resp.Header, tty)), nil
}

// containerTTY returns the container's TTY flag when the framing of its
// output cannot be read from the response: the caller's knowledge if given,
// otherwise Config.Tty from Inspect on daemons before API 1.42 and on
// Podman. Otherwise the Content-Type decides and nothing is asked.
func (s *Service) containerTTY(ctx context.Context, id string, known *bool) (bool, error) {
	if known != nil {
		return *known, nil
	}
	// Negotiating first lets FramingInContentType see the daemon's answer.
	if _, err := s.cli.NegotiateAPIVersion(ctx); err != nil {
		return false, err
	}
	if s.cli.FramingInContentType() {
		return false, nil
	}
	d, err := s.Inspect(ctx, id)
	if err != nil {
		return false, err
	}
	return d.Config.Tty, nil
}
