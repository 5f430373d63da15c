package container

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/stream"
)

// RunResult is what Run returns.
type RunResult struct {
	ID         string   // the container's id; it no longer exists after RemoveWhenDone
	Warnings   []string // the daemon's warnings from Create
	StatusCode int64    // the container's exit status
}

// cleanupTimeout bounds the stop and remove Run does after a failure or a
// cancellation, when ctx can no longer be used.
const cleanupTimeout = 30 * time.Second

// Run does what `docker run` does: it creates a container from cfg (with
// the CreateOptions: Name, Platform, WithHostConfig, WithNetworkingConfig),
// attaches to it if WithStdin, WithStdout or WithStderr gives it streams,
// starts it, copies its output to the writers until it exits, and returns
// its exit status. With RemoveWhenDone the container is removed before Run
// returns.
//
// Run attaches and registers its wait before starting the container, so no
// output and no exit is missed however fast the container is. Stdin is
// copied until it ends, then the container's stdin is closed (Run sets
// Config.OpenStdin and Config.StdinOnce). When the container has exited,
// Run does not wait for a stdin Read that is still blocked (on a terminal,
// say): that Read is abandoned to return on its own, and what it returns is
// dropped.
//
// If a step fails after the container was created, or ctx is cancelled,
// Run stops the container (its stop signal, then SIGKILL after 10 seconds)
// and, with RemoveWhenDone, removes it, using a fresh context bounded to 30
// seconds; it then returns the error, and the result's ID names the
// container when one was created. A non-zero exit status is not an error.
func (s *Service) Run(ctx context.Context, cfg Config, opts ...RunOption) (res RunResult, err error) {
	var set settings
	for _, o := range opts {
		o.applyRun(&set)
	}
	if set.stdin != nil {
		cfg.AttachStdin, cfg.OpenStdin, cfg.StdinOnce = true, true, true
	}
	cfg.AttachStdout = set.stdout != nil
	cfg.AttachStderr = set.stderr != nil && !cfg.Tty
	created, err := s.create(ctx, cfg, &set)
	if err != nil {
		return res, err
	}
	res.ID, res.Warnings = created.ID, created.Warnings

	started := false
	defer func() {
		if err == nil && !set.removeWhenDone {
			return
		}
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		if err != nil && started {
			_ = s.Stop(cctx, res.ID, Timeout(10*time.Second))
		}
		if set.removeWhenDone {
			rerr := s.Remove(cctx, res.ID, Force(), RemoveVolumes())
			if rerr != nil && !errors.Is(rerr, docker.ErrNotFound) && err == nil {
				err = fmt.Errorf("docker: removing container %s after the run: %w", res.ID, rerr)
			}
		}
	}()

	var conn *stream.Conn
	if set.stdin != nil || set.stdout != nil || set.stderr != nil {
		var aset settings
		aset.q.Flag("stream", true)
		aset.q.Flag("stdin", set.stdin != nil)
		aset.q.Flag("stdout", set.stdout != nil)
		aset.q.Flag("stderr", set.stderr != nil)
		path, err := containerPath("/containers/{}/attach", res.ID)
		if err != nil {
			return res, err
		}
		if conn, err = s.attach(ctx, path, &aset, cfg.Tty); err != nil {
			return res, err
		}
		defer conn.Close()
	}

	wait, err := s.waitBeforeStart(ctx, res.ID)
	if err != nil {
		return res, err
	}
	if wait != nil {
		defer wait.Close()
	}
	if err := s.Start(ctx, res.ID); err != nil {
		return res, err
	}
	started = true

	if conn != nil {
		if err := s.copyStreams(conn, &set); err != nil {
			if ctx.Err() != nil {
				return res, fmt.Errorf("docker: running container %s: %w", res.ID, ctx.Err())
			}
			return res, fmt.Errorf("docker: running container %s: %w", res.ID, err)
		}
	}

	var exit Exit
	if wait != nil {
		exit, err = wait.Result()
	} else {
		exit, err = s.Wait(ctx, res.ID)
	}
	if err != nil {
		return res, err
	}
	res.StatusCode = exit.StatusCode
	return res, nil
}

// waitBeforeStart registers a wait for the container's next exit with
// BeginWait, or returns nil on daemons too old for wait conditions (before
// API 1.30), where Run waits after the output ends instead.
func (s *Service) waitBeforeStart(ctx context.Context, id string) (*PendingWait, error) {
	v, err := s.cli.NegotiateAPIVersion(ctx)
	if err != nil {
		return nil, err
	}
	if docker.CompareVersions(v, "1.30") < 0 {
		return nil, nil
	}
	return s.BeginWait(ctx, id)
}

// copyStreams copies stdin to the container and its output to the writers
// until the output ends.
func (s *Service) copyStreams(conn *stream.Conn, set *settings) error {
	var in *stdinCopy
	if set.stdin != nil {
		in = copyStdin(conn, set.stdin)
	}
	_, err := conn.Demux(set.stdout, set.stderr)
	_ = conn.Close()
	if in != nil {
		in.stop()
	}
	return err
}

// stdinCopy copies a reader to a container's stdin in its own goroutine.
type stdinCopy struct {
	mu      sync.Mutex
	stopped bool
	reading bool
	done    chan struct{}
}

func copyStdin(conn *stream.Conn, r io.Reader) *stdinCopy {
	c := &stdinCopy{done: make(chan struct{})}
	go func() {
		defer close(c.done)
		buf := make([]byte, 32<<10)
		for {
			c.mu.Lock()
			if c.stopped {
				c.mu.Unlock()
				return
			}
			c.reading = true
			c.mu.Unlock()
			n, rerr := r.Read(buf)
			c.mu.Lock()
			c.reading = false
			c.mu.Unlock()
			if n > 0 {
				if _, err := conn.Write(buf[:n]); err != nil {
					return
				}
			}
			if rerr != nil {
				if rerr == io.EOF {
					_ = conn.CloseWrite()
				}
				return
			}
		}
	}()
	return c
}

// stop ends the copy: it waits for the goroutine unless it is blocked in
// the reader's Read, which cannot be interrupted.
func (c *stdinCopy) stop() {
	c.mu.Lock()
	c.stopped = true
	reading := c.reading
	c.mu.Unlock()
	if !reading {
		<-c.done
	}
}
