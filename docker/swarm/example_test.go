package swarm_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/swarm"
)

// Start a single-node swarm and run a replicated service in it.
func Example() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	sw := swarm.New(cli)

	if _, err := sw.Init(ctx, swarm.InitRequest{ListenAddr: "0.0.0.0:2377"}); errors.Is(err, docker.ErrUnavailable) {
		fmt.Println("already in a swarm")
	} else if err != nil {
		log.Fatal(err)
	}
	created, err := sw.Services().Create(ctx, swarm.ServiceSpec{
		Name: "web",
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: &swarm.ContainerSpec{Image: "nginx:alpine"},
		},
		Mode: swarm.ReplicatedMode(3),
	})
	if err != nil {
		log.Fatal(err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := sw.Services().WaitConverged(waitCtx, created.ID); err != nil {
		log.Fatal(err) // says how many tasks run and the last task error
	}
}

// Scale a service: read it, change its spec, send it back with the version
// read. A concurrent change makes the update fail with docker.ErrConflict;
// read again and retry.
func ExampleServices_Update() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	svcs := swarm.New(cli).Services()

	for range 3 {
		svc, err := svcs.Inspect(ctx, "web")
		if err != nil {
			log.Fatal(err)
		}
		spec := svc.Spec
		spec.Mode = swarm.ReplicatedMode(5)
		_, err = svcs.Update(ctx, svc.ID, svc.Version, spec)
		if errors.Is(err, docker.ErrConflict) {
			continue // someone else updated it first
		}
		if err != nil {
			log.Fatal(err)
		}
		return
	}
}

// Follow a service's logs, split into standard output and error.
func ExampleServices_Logs() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()

	logs, err := swarm.New(cli).Services().Logs(ctx, "web", swarm.Follow(), swarm.Tail(20))
	if err != nil {
		log.Fatal(err)
	}
	defer logs.Close()
	if _, err := logs.Demux(os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

// Give a service a secret: the task reads it at /run/secrets/db-password.
func ExampleSecrets_Create() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	sw := swarm.New(cli)

	spec := swarm.SecretSpec{Name: "db-password", Data: []byte("s3cr3t")}
	id, err := sw.Secrets().Create(ctx, spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", spec) // the data never shows
	_, err = sw.Services().Create(ctx, swarm.ServiceSpec{
		Name: "db",
		TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{
			Image: "postgres:16",
			Env:   []string{"POSTGRES_PASSWORD_FILE=/run/secrets/db-password"},
			Secrets: []swarm.SecretReference{{
				SecretID: id, SecretName: spec.Name,
				File: &swarm.FileTarget{Name: "db-password", UID: "0", GID: "0", Mode: 0o400},
			}},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
}

// A SecretSpec prints without its data, with every fmt verb and in slog.
func ExampleSecretSpec_String() {
	spec := swarm.SecretSpec{Name: "api-token", Labels: map[string]string{"team": "ops"}, Data: []byte("tok-123456")}
	fmt.Println(spec)
	fmt.Printf("%+v\n", spec)
	// Output:
	// {Name:api-token Labels:map[team:ops] Data:[redacted 10 bytes]}
	// {Name:api-token Labels:map[team:ops] Data:[redacted 10 bytes]}
}

// The service modes, as they travel.
func ExampleReplicatedJobMode() {
	mode := swarm.ReplicatedJobMode(2, 10)
	fmt.Println(*mode.ReplicatedJob.MaxConcurrent, *mode.ReplicatedJob.TotalCompletions)
	// Output: 2 10
}
