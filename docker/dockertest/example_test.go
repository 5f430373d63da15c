package dockertest_test

import (
	"context"
	"fmt"
	"log"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
)

// migrate is the kind of function a program has and wants tested: run a
// migration container and fail when it exits non-zero.
func migrate(ctx context.Context, cli *docker.Client, version string) error {
	ctrs := container.New(cli)
	c, err := ctrs.Create(ctx, container.Config{Image: "migrator:1", Cmd: []string{"up", version}},
		container.WithHostConfig(container.HostConfig{NetworkMode: "none"}))
	if err != nil {
		return err
	}
	defer ctrs.Remove(context.WithoutCancel(ctx), c.ID, container.Force())
	if err := ctrs.Start(ctx, c.ID); err != nil {
		return err
	}
	exit, err := ctrs.Wait(ctx, c.ID)
	if err != nil {
		return err
	}
	if exit.StatusCode != 0 {
		return fmt.Errorf("migration to %s failed with status %d", version, exit.StatusCode)
	}
	return nil
}

// Test a function that drives Docker without a daemon: the fake runs the
// migrator image's command as a Go function.
func Example() {
	srv, err := dockertest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	if _, err := srv.AddImage("migrator:1", image.Config{Entrypoint: []string{"migrate"}}, nil); err != nil {
		log.Fatal(err)
	}
	srv.HandleProcess("migrate", func(ctx context.Context, p *dockertest.ProcessIO) int {
		if p.Args[2] == "v2" { // Args: migrate up VERSION
			fmt.Fprintln(p.Stderr, "column exists")
			return 1
		}
		return 0
	})

	ctx := context.Background()
	fmt.Println(migrate(ctx, srv.Client(), "v1"))
	fmt.Println(migrate(ctx, srv.Client(), "v2"))

	// Failures on demand: the next create fails as if the daemon were busy.
	srv.Inject(dockertest.Fault{Route: "ContainerCreate", Status: 503, Message: "daemon busy", Times: 1})
	fmt.Println(migrate(ctx, srv.Client(), "v3"))
	// Output:
	// <nil>
	// migration to v2 failed with status 1
	// docker: POST /containers/create: 503 daemon busy
}

// In a test, NewServer closes the fake when the test ends.
func ExampleNewServer() {
	var t *testing.T // the test's *testing.T
	srv := dockertest.NewServer(t)
	_ = srv.Client() // hand this to the code under test
}
