package dockertest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
	"github.com/google/go-cmp/cmp"
)

// newFake starts a fake with an image "app:1" whose entrypoint is "app".
func newFake(t *testing.T, app dockertest.Process, opts ...dockertest.Option) (*dockertest.Server, *container.Service) {
	t.Helper()
	srv := dockertest.NewServer(t, opts...)
	if _, err := srv.AddImage("app:1", image.Config{Entrypoint: []string{"app"}, Env: []string{"FROM_IMAGE=1"}, Labels: map[string]string{"img": "yes"}}, nil); err != nil {
		t.Fatal(err)
	}
	if app != nil {
		srv.HandleProcess("app", app)
	}
	return srv, container.New(srv.Client())
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	srv, ctrs := newFake(t, func(ctx context.Context, p *dockertest.ProcessIO) int {
		fmt.Fprintln(p.Stdout, "hello", strings.Join(p.Args[1:], " "))
		fmt.Fprintln(p.Stderr, "warn")
		return 3
	})
	ctx := t.Context()
	c, err := ctrs.Create(ctx, container.Config{Image: "app:1", Cmd: []string{"x", "y"}, Labels: map[string]string{"k": "v"}}, container.Name("one"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.Name("one")); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("duplicate name: err = %v", err)
	}
	if _, err := ctrs.Create(ctx, container.Config{Image: "nope:1"}); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("missing image: err = %v", err)
	}
	if err := ctrs.Kill(ctx, c.ID); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("kill created: err = %v", err)
	}
	if err := ctrs.Start(ctx, "one"); err != nil {
		t.Fatal(err)
	}
	exit, err := ctrs.Wait(ctx, c.ID)
	if err != nil || exit.StatusCode != 3 {
		t.Fatalf("wait = %+v, %v", exit, err)
	}
	logs, err := ctrs.Logs(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if _, err := logs.Demux(&stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	logs.Close()
	if stdout.String() != "hello x y\n" || stderr.String() != "warn\n" {
		t.Errorf("logs: stdout %q stderr %q", stdout.String(), stderr.String())
	}
	d, err := ctrs.Inspect(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{d.Name, d.State.Status, d.State.ExitCode, d.Path, d.Args, d.Config.Labels}
	want := []any{"/one", "exited", 3, "app", []string{"x", "y"}, map[string]string{"k": "v", "img": "yes"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("inspect (-want +got)\n%s", diff)
	}
	if err := ctrs.Stop(ctx, c.ID); err != nil {
		t.Errorf("stop of a stopped container: %v (want nil for 304)", err)
	}
	list, err := ctrs.List(ctx, container.All(), container.Filter("label", "k=v"))
	if err != nil || len(list) != 1 || list[0].State != "exited" {
		t.Errorf("list = %+v, %v", list, err)
	}
	if err := ctrs.Remove(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ctrs.Inspect(ctx, c.ID); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("inspect after remove: %v", err)
	}
	var actions []string
	for ev, err := range srv.Client().Events(ctx, docker.Since(time.Now().Add(-time.Minute)), docker.Until(time.Now()), docker.Filter("type", "container")) {
		if err != nil {
			t.Fatal(err)
		}
		actions = append(actions, ev.Action)
	}
	if diff := cmp.Diff([]string{"create", "start", "die", "destroy"}, actions); diff != "" {
		t.Errorf("events (-want +got)\n%s", diff)
	}
}

func TestStopPauseKill(t *testing.T) {
	t.Parallel()
	_, ctrs := newFake(t, nil)
	ctx := t.Context()
	c, err := ctrs.Create(ctx, container.Config{Image: "app:1", Entrypoint: []string{"sleep", "60"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Errorf("start of a running container: %v (want nil for 304)", err)
	}
	if err := ctrs.Pause(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := ctrs.Pause(ctx, c.ID); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("pause twice: %v", err)
	}
	if err := ctrs.Start(ctx, c.ID); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("start paused: %v", err)
	}
	if err := ctrs.Unpause(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := ctrs.Remove(ctx, c.ID); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("remove running: %v", err)
	}
	top, err := ctrs.Top(ctx, c.ID)
	if err != nil || len(top.Processes) != 1 || top.Processes[0][7] != "sleep 60" {
		t.Errorf("top = %+v, %v", top, err)
	}
	start := time.Now()
	if err := ctrs.Stop(ctx, c.ID, container.Timeout(5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("stop took %v though sleep honours SIGTERM", time.Since(start))
	}
	d, _ := ctrs.Inspect(ctx, c.ID)
	if d.State.ExitCode != 143 || d.State.Status != "exited" {
		t.Errorf("after stop: %+v", d.State)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := ctrs.Kill(ctx, c.ID, container.Signal("SIGKILL")); err != nil {
		t.Fatal(err)
	}
	exit, err := ctrs.Wait(ctx, c.ID)
	if err != nil || exit.StatusCode != 137 {
		t.Errorf("wait after kill = %+v, %v", exit, err)
	}
	if err := ctrs.Unpause(ctx, c.ID); err == nil {
		t.Error("unpause of a stopped container succeeded")
	}
}

func TestAttachBeforeStartAndStdin(t *testing.T) {
	t.Parallel()
	_, ctrs := newFake(t, nil)
	ctx := t.Context()
	c, err := ctrs.Create(ctx, container.Config{Image: "app:1", Entrypoint: []string{"cat"}, OpenStdin: true, StdinOnce: true, AttachStdin: true, AttachStdout: true})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := ctrs.Attach(ctx, c.ID, container.Stream(), container.Stdin(), container.Stdout(), container.Stderr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	payload := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	go func() {
		_, _ = conn.Write(payload)
		_ = conn.CloseWrite()
	}()
	var out bytes.Buffer
	if _, err := conn.Demux(&out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), payload) {
		t.Errorf("cat returned %d bytes, want %d identical", out.Len(), len(payload))
	}
	exit, err := ctrs.Wait(ctx, c.ID)
	if err != nil || exit.StatusCode != 0 {
		t.Errorf("wait = %+v, %v", exit, err)
	}
}

func TestExec(t *testing.T) {
	t.Parallel()
	_, ctrs := newFake(t, nil)
	ctx := t.Context()
	c, err := ctrs.Create(ctx, container.Config{Image: "app:1", Entrypoint: []string{"sleep", "60"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ctrs.ExecCreate(ctx, c.ID, container.ExecConfig{Cmd: []string{"echo", "hi"}}); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("exec in a created container: %v", err)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	id, err := ctrs.ExecCreate(ctx, c.ID, container.ExecConfig{Cmd: []string{"cat"}, AttachStdin: true, AttachStdout: true, AttachStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := ctrs.ExecStart(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go func() {
		_, _ = io.WriteString(conn, "via exec")
		_ = conn.CloseWrite()
	}()
	var out bytes.Buffer
	if _, err := conn.Demux(&out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if out.String() != "via exec" {
		t.Errorf("exec output %q", out.String())
	}
	var d container.ExecDetails
	for range 50 { // the exit is recorded right after the stream ends
		if d, err = ctrs.ExecInspect(ctx, id); err != nil || !d.Running {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil || d.Running || d.ExitCode != 0 || d.ContainerID != c.ID {
		t.Errorf("exec inspect = %+v, %v", d, err)
	}
	if err := ctrs.Remove(ctx, c.ID, container.Force()); err != nil {
		t.Fatal(err)
	}
}

func TestFollowLogsEndWithContainer(t *testing.T) {
	t.Parallel()
	_, ctrs := newFake(t, func(ctx context.Context, p *dockertest.ProcessIO) int {
		for i := range 5 {
			fmt.Fprintf(p.Stdout, "line %d\n", i)
			time.Sleep(10 * time.Millisecond)
		}
		return 0
	})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	c, err := ctrs.Create(ctx, container.Config{Image: "app:1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	logs, err := ctrs.Logs(ctx, c.ID, container.Follow(), container.Tail(100))
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	var out bytes.Buffer
	if _, err := logs.Demux(&out, nil); err != nil {
		t.Fatal(err)
	}
	if want := "line 0\nline 1\nline 2\nline 3\nline 4\n"; out.String() != want {
		t.Errorf("followed logs = %q, want %q", out.String(), want)
	}
}

func TestTTYLogsAreRaw(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"1.41", "1.44"} {
		_, ctrs := newFake(t, nil, dockertest.WithAPIVersion(v))
		ctx := t.Context()
		c, err := ctrs.Create(ctx, container.Config{Image: "app:1", Entrypoint: []string{"echo", "tty"}, Tty: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := ctrs.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := ctrs.Wait(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		logs, err := ctrs.Logs(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if logs.Multiplexed() {
			t.Errorf("API %s: a TTY container's logs are reported multiplexed", v)
		}
		b, _ := io.ReadAll(logs)
		logs.Close()
		if string(b) != "tty\n" {
			t.Errorf("API %s: raw logs = %q", v, b)
		}
	}
}

func TestArchiveRoundTrip(t *testing.T) {
	t.Parallel()
	_, ctrs := newFake(t, func(ctx context.Context, p *dockertest.ProcessIO) int {
		_ = p.Files.WriteFile("/data/out.txt", []byte("written by the process"), 0o644)
		return 0
	})
	ctx := t.Context()
	c, err := ctrs.Create(ctx, container.Config{Image: "app:1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ctrs.Wait(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	st, err := ctrs.Stat(ctx, c.ID, "/data/out.txt")
	if err != nil || st.Size != int64(len("written by the process")) || st.Name != "out.txt" {
		t.Errorf("stat = %+v, %v", st, err)
	}
	changes, err := ctrs.Changes(ctx, c.ID)
	if err != nil || len(changes) != 2 {
		t.Errorf("changes = %+v, %v", changes, err)
	}
	if _, err := ctrs.Stat(ctx, c.ID, "/nope"); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("stat of a missing path: %v", err)
	}
}
