package integration

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// execOutput runs cmd attached in container id and returns its stdout,
// stderr and exit code.
func execOutput(t *testing.T, s *container.Service, id string, cfg container.ExecConfig) (string, string, int) {
	t.Helper()
	ctx := testenv.Context(t, time.Minute)
	cfg.AttachStdout, cfg.AttachStderr = true, true
	ex, err := s.ExecCreate(ctx, id, cfg)
	if err != nil {
		t.Fatalf("exec create %v: %v", cfg.Cmd, err)
	}
	conn, err := s.ExecStart(ctx, ex)
	if err != nil {
		t.Fatalf("exec start: %v", err)
	}
	defer conn.Close()
	var out, errOut bytes.Buffer
	if _, err := conn.Demux(&out, &errOut); err != nil {
		t.Fatalf("exec output: %v", err)
	}
	d, err := s.ExecInspect(ctx, ex)
	if err != nil {
		t.Fatal(err)
	}
	if d.Running {
		t.Errorf("exec still running after its output ended: %+v", d)
	}
	return out.String(), errOut.String(), d.ExitCode
}

// Exec runs Cmd as it is: the image's entrypoint (/berth-test) is not
// prepended.
func TestContainerExec(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, 2*time.Minute)
	id := runCtr(t, s, container.Config{Cmd: []string{"sleep", "300"}}, container.HostConfig{})

	t.Run("stdin", func(t *testing.T) {
		ex, err := s.ExecCreate(ctx, id, container.ExecConfig{Cmd: []string{"/berth-test", "cat"}, AttachStdin: true, AttachStdout: true, AttachStderr: true})
		if err != nil {
			t.Fatal(err)
		}
		conn, err := s.ExecStart(ctx, ex)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		sent := make(chan error, 1)
		go func() { sent <- sendPattern(conn, 4, stdinSize) }()
		out, errOut := newSum(), newSum()
		start := time.Now()
		if _, err := conn.Demux(out, errOut); err != nil {
			t.Fatal(err)
		}
		d := time.Since(start)
		if err := <-sent; err != nil {
			t.Fatal(err)
		}
		t.Logf("20 MiB through cat over exec in %v (%.0f MiB/s)", d, float64(out.n)/(1<<20)/d.Seconds())
		checkPattern(t, "exec stdout", out, 4, stdinSize)
		if errOut.n != 0 {
			t.Errorf("%d bytes on stderr", errOut.n)
		}
		det, err := s.ExecInspect(ctx, ex)
		if err != nil || det.Running || det.ExitCode != 0 || det.ContainerID != id || det.ProcessConfig.Entrypoint != "/berth-test" {
			t.Errorf("exec inspect: %+v, %v", det, err)
		}
		// An exec runs once: a detached start says so with 409; an attached
		// one gets the Engine's message in the output, after the upgrade.
		wantRefusal(t, "second detached start", s.ExecStartDetached(ctx, ex), docker.ErrConflict, "exec session state improper")
		again, err := s.ExecStart(ctx, ex, container.TTY(false))
		if err != nil {
			// Podman refuses it before the upgrade.
			wantRefusal(t, "second attached start", err, docker.ErrConflict, "exec session state improper")
			return
		}
		defer again.Close()
		var msg bytes.Buffer
		_, _ = again.Demux(&msg, &msg)
		t.Logf("second attached start: %q", msg.String())
	})

	t.Run("config", func(t *testing.T) {
		out, _, code := execOutput(t, s, id, container.ExecConfig{Cmd: []string{"/berth-test", "env"}, Env: []string{"BERTH_X=1"}})
		if code != 0 || !strings.Contains(out, "BERTH_X=1\n") {
			t.Errorf("env: %q, exit %d", out, code)
		}
		out, _, _ = execOutput(t, s, id, container.ExecConfig{Cmd: []string{"/berth-test", "pwd"}, WorkingDir: "/"})
		if out != "/\n" {
			t.Errorf("pwd: %q", out)
		}
		out, _, _ = execOutput(t, s, id, container.ExecConfig{Cmd: []string{"/berth-test", "id"}, User: "1234:5678"})
		if out != "1234 5678\n" {
			t.Errorf("id: %q", out)
		}
		out, errOut, code := execOutput(t, s, id, container.ExecConfig{Cmd: []string{"/berth-test", "echoerr", "oops", "--", "exit", "3"}})
		if out != "" || errOut != "oops\n" || code != 3 {
			t.Errorf("stderr and exit: %q %q %d", out, errOut, code)
		}
	})

	t.Run("tty", func(t *testing.T) {
		out, _, code := execOutput(t, s, id, container.ExecConfig{Cmd: []string{"/berth-test", "echo", "hi"}, Tty: true})
		if out != "hi\r\n" || code != 0 {
			t.Errorf("tty exec: %q, exit %d", out, code)
		}
	})

	t.Run("detached and resize", func(t *testing.T) {
		ex, err := s.ExecCreate(ctx, id, container.ExecConfig{Cmd: []string{"/berth-test", "sleep", "1"}, Tty: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ExecStartDetached(ctx, ex, container.TTY(true)); err != nil {
			t.Fatal(err)
		}
		d, err := s.ExecInspect(ctx, ex)
		if err != nil || !d.Running || d.Pid == 0 {
			t.Errorf("detached exec: %+v, %v", d, err)
		}
		if err := s.ExecResize(ctx, ex, 30, 100); err != nil {
			t.Errorf("resize: %v", err)
		}
		if testenv.OnPodman(t, testenv.PodmanExecState) {
			return
		}
		for deadline := time.Now().Add(20 * time.Second); d.Running && time.Now().Before(deadline); {
			time.Sleep(100 * time.Millisecond)
			if d, err = s.ExecInspect(ctx, ex); err != nil {
				t.Fatal(err)
			}
		}
		if d.Running || d.ExitCode != 0 {
			t.Errorf("detached exec did not end well: %+v", d)
		}
	})

	t.Run("bad input", func(t *testing.T) {
		if _, err := s.ExecCreate(ctx, "berth-no-such-container-0123", container.ExecConfig{Cmd: []string{"true"}}); !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("exec in an unknown container: %v", err)
		}
		stopped := newCtr(t, s, container.Config{Cmd: []string{"exit", "0"}}, container.HostConfig{})
		_, err := s.ExecCreate(ctx, stopped, container.ExecConfig{Cmd: []string{"true"}})
		wantRefusal(t, "exec in a stopped container", err, docker.ErrConflict, "container state improper")
		if _, err := s.ExecInspect(ctx, "berth-no-such-exec"); !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("inspect an unknown exec: %v", err)
		}
		// A missing executable: the exec ends at once with the runtime's
		// message in its output (on stdout from Engine 20.10, on stderr
		// from Podman) and exit code 126 (Engine 20.10) or 127 (Podman;
		// podman-exit-codes), the codes docker run uses for a command that
		// cannot be invoked or found.
		out, errOut, code := execOutput(t, s, id, container.ExecConfig{Cmd: []string{"/berth-no-such-binary"}})
		if (code != 126 && code != 127) || !strings.Contains(out+errOut, "/berth-no-such-binary") {
			t.Errorf("missing executable: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
}

// TestContainerExecResize resizes the terminal of a running TTY exec: the
// process sees SIGWINCH and the new size.
func TestContainerExecResize(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, time.Minute)
	id := runCtr(t, s, container.Config{Cmd: []string{"sleep", "300"}}, container.HostConfig{})
	ex, err := s.ExecCreate(ctx, id, container.ExecConfig{Cmd: []string{"/berth-test", "ttysize", "30s"}, Tty: true, AttachStdout: true, AttachStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := s.ExecStart(ctx, ex, container.TTY(true))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if conn.Multiplexed() {
		t.Error("a TTY exec's session is multiplexed")
	}
	lines := bufio.NewReader(conn)
	readSize := func(what string) string {
		t.Helper()
		l, err := lines.ReadString('\n')
		if err != nil {
			t.Fatalf("%s: %q, %v", what, l, err)
		}
		return strings.TrimRight(l, "\r\n")
	}
	t.Logf("size at start: %s", readSize("first size")) // the handler is in place
	if err := s.ExecResize(ctx, ex, 30, 100); err != nil {
		t.Fatal(err)
	}
	if got := readSize("size after the resize"); got != "30 100" {
		t.Errorf("size after ExecResize(30, 100) = %q", got)
	}
	d, err := s.ExecInspect(ctx, ex)
	if err != nil || !d.ProcessConfig.Tty {
		t.Errorf("exec inspect: %+v, %v", d, err)
	}
	if err := s.ExecResize(ctx, "berth-no-such-exec", 30, 100); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("resize an unknown exec: %v, want ErrNotFound", err)
	}
}
