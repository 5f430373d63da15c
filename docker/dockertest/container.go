package dockertest

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/stream"
)

// fakeContainer is one container. Fields other than the immutable ones are
// guarded by the Server's mu.
type fakeContainer struct {
	srv        *Server
	id         string
	created    time.Time
	image      *fakeImage
	imageRef   string
	files      *FS
	logs       *logBuf
	name       string // with the leading slash
	config     container.Config
	host       container.HostConfig
	networking container.NetworkingConfig
	nets       []*ctrEndpoint // the networks it is attached to (network_ctr.go)
	mounts     []ctrMount     // its volumes and other mounts (volume_mount.go)

	st           container.State
	restartCount int
	restarting   bool // a restart is under way: its stop's "die" says so (API 1.57)
	execIDs      []string
	cur          *run          // the running process, nil when not running
	exited       chan struct{} // closed and replaced when a run ends
	removed      chan struct{} // closed on removal
	stdinR       *io.PipeReader
	stdinW       *io.PipeWriter
}

// run is one execution of a container's (or exec's) process.
type run struct {
	cancel context.CancelCauseFunc
	done   chan struct{} // closed when the process has returned
	dead   atomic.Bool   // set when the run was ended by force: late output is dropped
	pid    int
}

var pidCounter atomic.Int64

func nextPid() int { return int(1000 + pidCounter.Add(1)) }

func (c *fakeContainer) status() string {
	switch {
	case c.st.Paused:
		return "paused"
	case c.st.Running:
		return "running"
	case c.st.Status != "":
		return c.st.Status
	}
	return "created"
}

// args is the command the container runs: entrypoint then cmd, each from the
// container's config or, when unset there, the image's.
func (c *fakeContainer) args() []string {
	ep, cmd := c.config.Entrypoint, c.config.Cmd
	if ep == nil && c.image != nil {
		ep = c.image.config.Entrypoint
		if cmd == nil {
			cmd = c.image.config.Cmd
		}
	}
	if cmd == nil && c.image != nil && c.config.Entrypoint == nil {
		cmd = c.image.config.Cmd
	}
	return append(append([]string(nil), ep...), cmd...)
}

func (c *fakeContainer) env() []string {
	var env []string
	if c.image != nil {
		env = append(env, c.image.config.Env...)
	}
	return append(env, c.config.Env...)
}

// openStdin makes the pipe the next run reads stdin from.
func (c *fakeContainer) openStdin() {
	if c.config.OpenStdin && c.stdinW == nil {
		c.stdinR, c.stdinW = io.Pipe()
	}
}

// start runs the container's process; the caller holds srv.mu. It returns
// an HTTP status and message for failures.
func (c *fakeContainer) start() (int, string) {
	if c.st.Paused {
		return 409, "cannot start a paused container, try unpause instead"
	}
	if c.st.Running {
		return 304, ""
	}
	if status, msg := c.srv.startResourcesLocked(c); status != 0 {
		c.st.ExitCode, c.st.Error = 128, msg
		return status, msg
	}
	args := c.args()
	proc, ok := c.srv.state.lookupProcess(args)
	if !ok {
		c.srv.stopResourcesLocked(c)()
		name := ""
		if len(args) > 0 {
			name = args[0]
		}
		msg := fmt.Sprintf("failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: %q: executable file not found in $PATH: unknown", name)
		c.st.ExitCode, c.st.Error = 127, msg
		return 400, msg
	}
	c.openStdin()
	ctx, cancel := context.WithCancelCause(context.Background())
	r := &run{cancel: cancel, done: make(chan struct{}), pid: nextPid()}
	c.cur = r
	now := time.Now().UTC()
	c.st = container.State{Status: "running", Running: true, Pid: r.pid, StartedAt: now, FinishedAt: c.st.FinishedAt}
	dead := r.dead.Load
	stdout := io.Writer(logWriter{buf: c.logs, kind: stream.Stdout, dead: dead})
	stderr := io.Writer(logWriter{buf: c.logs, kind: stream.Stderr, dead: dead})
	if c.config.Tty {
		stderr = stdout
	}
	var stdin io.Reader = eofReader{}
	if c.stdinR != nil {
		stdin = c.stdinR
	}
	pio := &ProcessIO{Args: args, Env: c.env(), TTY: c.config.Tty, Stdin: stdin, Stdout: stdout, Stderr: stderr, Files: c.files}
	go func() { // the container's process; ends when proc returns
		code := proc(ctx, pio)
		close(r.done)
		c.srv.finish(c, r, code)
	}()
	return 204, ""
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// finish records the end of run r with exit status code.
func (s *Server) finish(c *fakeContainer, r *run, code int) {
	s.mu.Lock()
	if c.cur != r {
		s.mu.Unlock()
		return
	}
	r.dead.Store(true)
	r.cancel(nil)
	c.cur = nil
	c.st = container.State{Status: "exited", ExitCode: code, StartedAt: c.st.StartedAt, FinishedAt: time.Now().UTC()}
	if c.stdinW != nil {
		_ = c.stdinW.Close()
		c.stdinR, c.stdinW = nil, nil
	}
	// "die" is published before any wait can see the exit, as the Engine
	// does: a client that waited and then reads events finds it.
	attrs := c.eventAttrs()
	attrs["exitCode"] = strconv.Itoa(code)
	if c.restarting && s.engineAtLeast("1.57") {
		attrs["restarting"] = "true"
	}
	s.Emit("container", "die", c.id, attrs) // takes only the events lock
	close(c.exited)
	c.exited = make(chan struct{})
	autoRemove := c.host.AutoRemove
	detached := s.stopResourcesLocked(c)
	s.mu.Unlock()
	c.logs.endRun()
	detached()
	if autoRemove {
		s.mu.Lock()
		s.removeLocked(c)
		s.removeAnonymousVolumesLocked(c)
		s.mu.Unlock()
	}
}

// kill ends the running process with sig; SIGKILL ends it at once, other
// signals cancel the process's context and let it choose its exit status.
func (c *fakeContainer) kill(sig string) {
	r := c.cur
	if r == nil {
		return
	}
	r.cancel(Signal(sig))
	if sig == "SIGKILL" {
		go c.srv.finish(c, r, ExitCodeFor(sig))
	}
}

// stop sends the stop signal, waits up to timeout for the process, then
// kills it. The caller must not hold srv.mu.
func (s *Server) stop(c *fakeContainer, sig string, timeout time.Duration) {
	s.mu.Lock()
	r := c.cur
	if r == nil {
		s.mu.Unlock()
		return
	}
	if c.st.Paused {
		c.st.Paused = false
	}
	c.kill(sig)
	attrs := c.eventAttrs()
	s.mu.Unlock()
	attrs["signal"] = strconv.Itoa(ExitCodeFor(sig) - 128)
	s.Emit("container", "kill", c.id, attrs)
	if sig != "SIGKILL" {
		t := time.NewTimer(timeout)
		select {
		case <-r.done:
		case <-t.C:
			s.mu.Lock()
			c.kill("SIGKILL")
			s.mu.Unlock()
		case <-s.done:
		}
		t.Stop()
	}
	// Wait for the state to record the exit.
	select {
	case <-waitNotRunning(s, c):
	case <-time.After(5 * time.Second):
	case <-s.done:
	}
}

// waitNotRunning returns a channel closed once c is not running.
func waitNotRunning(s *Server, c *fakeContainer) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.cur == nil {
		ch := make(chan struct{})
		close(ch)
		return ch
	}
	return c.exited
}

// removeLocked deletes c; the caller holds s.mu and has stopped it.
func (s *Server) removeLocked(c *fakeContainer) {
	if _, ok := s.state.containers[c.id]; !ok {
		return
	}
	delete(s.state.containers, c.id)
	for _, id := range c.execIDs {
		delete(s.state.execs, id)
	}
	close(c.removed)
	attrs := c.eventAttrs()
	s.Emit("container", "destroy", c.id, attrs) // events has its own lock
}

func (c *fakeContainer) eventAttrs() map[string]string {
	attrs := map[string]string{"name": c.name[1:], "image": c.imageRef}
	for k, v := range c.config.Labels {
		attrs[k] = v
	}
	return attrs
}
