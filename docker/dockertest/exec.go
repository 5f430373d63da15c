package dockertest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/stream"
)

// fakeExec is one exec instance; guarded by the Server's mu.
type fakeExec struct {
	id       string
	ctr      *fakeContainer
	config   container.ExecConfig
	started  bool
	running  bool
	exitCode int
	pid      int
	cancel   context.CancelCauseFunc
}

func (s *Server) handleExecCreate(w http.ResponseWriter, r *http.Request, p params) {
	var cfg container.ExecConfig
	if !decodeBody(w, r, &cfg) {
		return
	}
	if len(cfg.Cmd) == 0 {
		writeError(w, 400, "No exec command specified")
		return
	}
	s.withContainer(w, p, func(c *fakeContainer) {
		switch {
		case c.cur == nil:
			writeError(w, 409, fmt.Sprintf("Container %s is not running", c.id))
			return
		case c.st.Paused:
			writeError(w, 409, fmt.Sprintf("Container %s is paused, unpause the container before exec", c.id))
			return
		}
		e := &fakeExec{id: newID(), ctr: c, config: cfg}
		s.state.execs[e.id] = e
		c.execIDs = append(c.execIDs, e.id)
		attrs := c.eventAttrs()
		attrs["execID"] = e.id
		s.Emit("container", "exec_create: "+strings.Join(cfg.Cmd, " "), c.id, attrs)
		writeJSON(w, 201, map[string]string{"Id": e.id})
	})
}

func (s *Server) withExec(w http.ResponseWriter, p params, fn func(e *fakeExec)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.state.execs[p["id"]]
	if e == nil {
		writeError(w, 404, "No such exec instance: "+p["id"])
		return
	}
	fn(e)
}

func (s *Server) handleExecStart(w http.ResponseWriter, r *http.Request, p params) {
	var body struct {
		Detach bool
		Tty    bool
	}
	if !decodeBody(w, r, &body) {
		return
	}
	var e *fakeExec
	var proc Process
	var pio *ProcessIO
	var ctx context.Context
	s.withExec(w, p, func(found *fakeExec) {
		c := found.ctr
		switch {
		case found.started:
			writeError(w, 409, fmt.Sprintf("Error: Exec command %s is already running", found.id))
			return
		case c.cur == nil:
			writeError(w, 409, fmt.Sprintf("Container %s is not running", c.id))
			return
		}
		var ok bool
		if proc, ok = s.state.lookupProcess(found.config.Cmd); !ok {
			writeError(w, 400, fmt.Sprintf("OCI runtime exec failed: exec failed: unable to start container process: exec: %q: executable file not found in $PATH: unknown", found.config.Cmd[0]))
			return
		}
		e = found
		e.started, e.running, e.pid = true, true, nextPid()
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(context.Background())
		e.cancel = cancel
		env := append(c.env(), e.config.Env...)
		pio = &ProcessIO{Args: e.config.Cmd, Env: env, TTY: e.config.Tty || body.Tty, Stdin: eofReader{}, Stdout: io.Discard, Stderr: io.Discard, Files: c.files}
		attrs := c.eventAttrs()
		attrs["execID"] = e.id
		s.Emit("container", "exec_start: "+strings.Join(e.config.Cmd, " "), c.id, attrs)
	})
	if e == nil {
		return
	}
	finish := func(code int) {
		s.mu.Lock()
		e.running, e.exitCode = false, code
		e.cancel(nil)
		attrs := e.ctr.eventAttrs()
		s.mu.Unlock()
		attrs["execID"], attrs["exitCode"] = e.id, fmt.Sprint(code)
		s.Emit("container", "exec_die", e.ctr.id, attrs)
	}
	if body.Detach {
		go func() { finish(proc(ctx, pio)) }() // ends when the process returns
		w.WriteHeader(200)
		return
	}
	conn, rw, err := hijack(w, r, streamContentType(r, pio.TTY))
	if err != nil {
		finish(proc(ctx, pio))
		return
	}
	defer conn.Close()
	if e.config.AttachStdin {
		pr, pw := io.Pipe()
		pio.Stdin = pr
		go func() { // copies the client's stdin until it half-closes
			_, _ = io.Copy(pw, rw.Reader)
			_ = pw.Close()
		}()
		defer pr.Close()
	}
	if pio.TTY {
		if e.config.AttachStdout {
			pio.Stdout = conn
		}
		pio.Stderr = pio.Stdout
	} else {
		if e.config.AttachStdout {
			pio.Stdout = stream.NewWriter(conn, stream.Stdout)
		}
		if e.config.AttachStderr {
			pio.Stderr = stream.NewWriter(conn, stream.Stderr)
		}
	}
	code := proc(ctx, pio)
	finish(code)
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
}

func (s *Server) handleExecInspect(w http.ResponseWriter, r *http.Request, p params) {
	s.withExec(w, p, func(e *fakeExec) {
		d := container.ExecDetails{
			ID: e.id, Running: e.running, ExitCode: e.exitCode, ContainerID: e.ctr.id, Pid: e.pid,
			OpenStdin: e.config.AttachStdin, OpenStdout: e.config.AttachStdout, OpenStderr: e.config.AttachStderr,
			DetachKeys: e.config.DetachKeys,
		}
		d.ProcessConfig.Tty = e.config.Tty
		d.ProcessConfig.Privileged = e.config.Privileged
		d.ProcessConfig.User = e.config.User
		if len(e.config.Cmd) > 0 {
			d.ProcessConfig.Entrypoint, d.ProcessConfig.Arguments = e.config.Cmd[0], e.config.Cmd[1:]
		}
		if !e.started {
			d.ExitCode = 0
		}
		writeJSON(w, 200, d)
	})
}

func (s *Server) handleExecResize(w http.ResponseWriter, r *http.Request, p params) {
	s.withExec(w, p, func(e *fakeExec) {
		if !e.running {
			writeError(w, 409, fmt.Sprintf("Exec %s is not running", e.id))
			return
		}
		w.WriteHeader(200)
	})
}
