package container_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
)

// fakeEngine starts the in-memory fake Engine with an image "app:1" for
// the runnable examples below. Its program "app" serves until stopped when
// its argument is "serve"; otherwise it echoes its stdin (when there is
// some), says so on stderr and exits with its argument as status.
func fakeEngine() *dockertest.Server {
	srv, err := dockertest.Start()
	if err != nil {
		log.Fatal(err)
	}
	if _, err := srv.AddImage("app:1", image.Config{Entrypoint: []string{"app"}}, nil); err != nil {
		log.Fatal(err)
	}
	srv.HandleProcess("app", func(ctx context.Context, p *dockertest.ProcessIO) int {
		arg := ""
		if len(p.Args) > 1 {
			arg = p.Args[1]
		}
		if arg == "serve" {
			<-ctx.Done()
			return 0
		}
		if in, _ := io.ReadAll(p.Stdin); len(in) > 0 {
			fmt.Fprintf(p.Stdout, "app read %q\n", in)
		}
		fmt.Fprintln(p.Stderr, "app done")
		code, _ := strconv.Atoi(arg)
		return code
	})
	return srv
}

func ExampleService_Run() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	ctrs := container.New(cli)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := ctrs.Run(ctx, container.Config{Image: "alpine:3", Cmd: []string{"sh", "-c", "echo hello; exit 3"}},
		container.WithHostConfig(container.HostConfig{NetworkMode: "none"}),
		container.WithStdout(os.Stdout), container.WithStderr(os.Stderr),
		container.RemoveWhenDone())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("exit status:", res.StatusCode)
}

func ExampleService_Create() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	ctrs := container.New(cli)
	ctx := context.Background()

	c, err := ctrs.Create(ctx, container.Config{Image: "nginx:alpine", Labels: map[string]string{"app": "web"}},
		container.Name("web"),
		container.WithHostConfig(container.HostConfig{
			Resources:     container.Resources{Memory: 256 << 20, NanoCPUs: 500_000_000},
			PortBindings:  container.PortMap{"80/tcp": {{HostIP: "127.0.0.1", HostPort: "8080"}}},
			RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyUnlessStopped},
		}))
	if errors.Is(err, docker.ErrConflict) {
		log.Fatal("a container named web exists already")
	} else if err != nil {
		log.Fatal(err)
	}
	for _, w := range c.Warnings {
		log.Println("warning:", w)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		log.Fatal(err)
	}
}

func ExampleService_Logs() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	ctrs := container.New(cli)

	logs, err := ctrs.Logs(context.Background(), "web", container.Follow(), container.Tail(100), container.Timestamps())
	if err != nil {
		log.Fatal(err)
	}
	defer logs.Close()
	// Demux splits stdout and stderr, or copies a TTY's output to stdout.
	if _, err := logs.Demux(os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

func ExampleService_ExecStart() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	ctrs := container.New(cli)
	ctx := context.Background()

	id, err := ctrs.ExecCreate(ctx, "web", container.ExecConfig{
		Cmd: []string{"sh", "-c", "wc -c"}, AttachStdin: true, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	conn, err := ctrs.ExecStart(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	go func() {
		_, _ = io.Copy(conn, strings.NewReader("some input"))
		_ = conn.CloseWrite() // the process reads end of file
	}()
	if _, err := conn.Demux(os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
	details, err := ctrs.ExecInspect(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("exit code:", details.ExitCode)
}

func ExampleService_Stats() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	ctrs := container.New(cli)

	n := 0
	for st, err := range ctrs.Stats(context.Background(), "web") {
		if err != nil {
			log.Fatal(err)
		}
		rx, tx := st.NetworkIO()
		fmt.Printf("cpu %.1f%%  mem %d (%.1f%%)  net %d/%d\n", st.CPUPercent(), st.MemoryUsage(), st.MemoryPercent(), rx, tx)
		if n++; n == 3 {
			break // closes the stream
		}
	}
}

func ExampleService_CopyIn() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	ctrs := container.New(cli)
	ctx := context.Background()

	// ./site becomes /usr/share/nginx/html/site, streamed as a tar.
	if err := ctrs.CopyIn(ctx, "web", "./site", "/usr/share/nginx/html"); err != nil {
		log.Fatal(err)
	}
	// And back: /etc/nginx becomes ./backup/nginx.
	if err := ctrs.CopyOut(ctx, "web", "/etc/nginx", "./backup"); err != nil {
		log.Fatal(err)
	}
}

func ExampleStats_CPUPercent() {
	// Two samples one second apart: the container used 0.5s of CPU time
	// while the host's 4 CPUs ran 4s.
	var st container.Stats
	_ = json.Unmarshal([]byte(`{
		"cpu_stats":    {"cpu_usage": {"total_usage": 1500000000}, "system_cpu_usage": 8000000000, "online_cpus": 4},
		"precpu_stats": {"cpu_usage": {"total_usage": 1000000000}, "system_cpu_usage": 4000000000, "online_cpus": 4},
		"memory_stats": {"usage": 104857600, "limit": 1073741824, "stats": {"inactive_file": 52428800}}
	}`), &st)
	fmt.Printf("CPU %.1f%%, memory %d MiB (%.2f%%)\n", st.CPUPercent(), st.MemoryUsage()>>20, st.MemoryPercent())
	// Output: CPU 50.0%, memory 50 MiB (4.88%)
}

func ExampleChangeKind_String() {
	changes := []container.Change{{Path: "/etc/hosts", Kind: container.ChangeModify}, {Path: "/tmp/x", Kind: container.ChangeAdd}}
	for _, c := range changes {
		fmt.Println(c.Kind, c.Path)
	}
	// Output:
	// C /etc/hosts
	// A /tmp/x
}

// A container created with AutoRemove is gone as soon as it exits: a Wait
// sent after Start may find nothing to wait for. Register the wait first
// and read the exit status when it comes.
func ExampleService_BeginWait() {
	srv := fakeEngine()
	defer srv.Close()
	ctrs := container.New(srv.Client())
	ctx := context.Background()

	c, err := ctrs.Create(ctx, container.Config{Image: "app:1", Cmd: []string{"3"}},
		container.WithHostConfig(container.HostConfig{AutoRemove: true, NetworkMode: "none"}))
	if err != nil {
		log.Fatal(err)
	}
	// WaitRemoved returns once the container is gone, with its exit status.
	wait, err := ctrs.BeginWait(ctx, c.ID, container.Condition(container.WaitRemoved))
	if err != nil {
		log.Fatal(err)
	}
	defer wait.Close()
	if err := ctrs.Start(ctx, c.ID); err != nil {
		log.Fatal(err)
	}
	exit, err := wait.Result()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("exit status:", exit.StatusCode)
	_, err = ctrs.Inspect(ctx, c.ID)
	fmt.Println("removed:", errors.Is(err, docker.ErrNotFound))
	// Output:
	// exit status: 3
	// removed: true
}

// Attach before Start to see all of a container's output; Stdin adds its
// standard input, and both output streams come as well.
func ExampleService_Attach() {
	srv := fakeEngine()
	defer srv.Close()
	ctrs := container.New(srv.Client())
	ctx := context.Background()

	c, err := ctrs.Create(ctx, container.Config{Image: "app:1", OpenStdin: true, StdinOnce: true},
		container.WithHostConfig(container.HostConfig{NetworkMode: "none"}))
	if err != nil {
		log.Fatal(err)
	}
	conn, err := ctrs.Attach(ctx, c.ID, container.Stdin())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	if err := ctrs.Start(ctx, c.ID); err != nil {
		log.Fatal(err)
	}
	if _, err := io.WriteString(conn, "hello"); err != nil {
		log.Fatal(err)
	}
	_ = conn.CloseWrite() // the container reads end of file
	// Stdout and stderr, demultiplexed, until the container exits.
	if _, err := conn.Demux(os.Stdout, os.Stdout); err != nil {
		log.Fatal(err)
	}
	exit, err := ctrs.Wait(ctx, c.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("exit status:", exit.StatusCode)
	// Output:
	// app read "hello"
	// app done
	// exit status: 0
}

// Exec runs a command in a running container in one call: stdin in, the
// output out, the exit code back.
func ExampleService_Exec() {
	srv := fakeEngine()
	defer srv.Close()
	ctrs := container.New(srv.Client())
	ctx := context.Background()

	c, err := ctrs.Create(ctx, container.Config{Image: "app:1", Cmd: []string{"serve"}},
		container.WithHostConfig(container.HostConfig{NetworkMode: "none"}))
	if err != nil {
		log.Fatal(err)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		log.Fatal(err)
	}
	res, err := ctrs.Exec(ctx, c.ID, container.ExecConfig{Cmd: []string{"app", "3"}},
		container.WithStdin(strings.NewReader("some input")),
		container.WithStdout(os.Stdout), container.WithStderr(os.Stdout))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("exit code:", res.ExitCode) // not an error
	// Output:
	// app read "some input"
	// app done
	// exit code: 3
}
