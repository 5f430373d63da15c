package image_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/stream"
)

func ExampleParseReference() {
	for _, s := range []string{"alpine", "registry.local:5000/team/app:1.4", "UPPER/Case"} {
		ref, err := image.ParseReference(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(ref.Domain, ref.Path, ref.WithDefaultTag().Tag, ref.Familiar())
	}
	// Output:
	// docker.io library/alpine latest alpine
	// registry.local:5000 team/app 1.4 registry.local:5000/team/app:1.4
	// docker: invalid reference "UPPER/Case": repository name (Case) must be lowercase
}

func ExampleNormalizeReference() {
	ref, err := image.NormalizeReference("alpine")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ref)
	// Output: docker.io/library/alpine:latest
}

func ExampleIgnoreMatcher() {
	patterns, err := image.ReadDockerignore(strings.NewReader("# build output\n*.log\nvendor\n!vendor/keep.txt\n"))
	if err != nil {
		log.Fatal(err)
	}
	m, err := image.NewIgnoreMatcher(patterns)
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"build.log", "src/app.log", "vendor/lib.go", "vendor/keep.txt", "main.go"} {
		fmt.Println(name, m.Excluded(name))
	}
	// Output:
	// build.log true
	// src/app.log false
	// vendor/lib.go true
	// vendor/keep.txt false
	// main.go false
}

func ExampleService_Pull() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	imgs := image.New(cli)
	ctx := context.Background()

	for p, err := range imgs.Pull(ctx, "alpine:3.20", image.Platform("linux/amd64")) {
		if err != nil {
			log.Fatal(err) // *docker.Error, or *docker.StreamError from inside the stream
		}
		fmt.Println(p.ID, p.Status)
	}
}

func ExampleService_PullAndWait() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()

	// Credentials as `docker login` stored them.
	store, err := registry.NewStore("")
	if err != nil {
		log.Fatal(err)
	}
	terminal := false // decide with the terminal package of your choice
	err = image.New(cli).PullAndWait(context.Background(), "registry.local:5000/team/app:1.4",
		stream.NewRenderer(os.Stderr, terminal), image.AuthFrom(store))
	if err != nil {
		log.Fatal(err)
	}
}

func ExampleService_BuildAndWait() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()

	// The directory as `docker build .` sends it, honouring .dockerignore,
	// streamed with constant memory.
	buildContext, err := image.ContextFromDir(".")
	if err != nil {
		log.Fatal(err)
	}
	defer buildContext.Close()
	id, err := image.New(cli).BuildAndWait(context.Background(), buildContext, stream.NewRenderer(os.Stdout, false),
		image.Tags("app:dev"), image.BuildArgs(map[string]string{"VERSION": "dev"}), image.Labels(map[string]string{"team": "x"}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("built", id)
}

func ExampleContextFromFiles() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()

	buildContext, err := image.ContextFromFiles(
		image.ContextFile{Name: "Dockerfile", Data: []byte("FROM alpine:3.20\nCOPY hello /usr/local/bin/\n")},
		image.ContextFile{Name: "hello", Data: []byte("#!/bin/sh\necho hello\n"), Mode: 0o755},
	)
	if err != nil {
		log.Fatal(err)
	}
	id, err := image.New(cli).BuildAndWait(context.Background(), buildContext, nil, image.Tags("hello"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id)
}

func ExampleService_Save() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()

	archive, err := image.New(cli).Save(context.Background(), "alpine:3.20")
	if err != nil {
		log.Fatal(err)
	}
	defer archive.Close()
	f, err := os.Create("alpine.tar")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(f, archive); err != nil { // streams: constant memory
		log.Fatal(err)
	}
}

func ExampleService_List() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()

	list, err := image.New(cli).List(context.Background(), image.Filter("dangling", "false"), image.Filter("label", "team=x"))
	if err != nil {
		log.Fatal(err)
	}
	for _, img := range list {
		fmt.Println(img.ID, img.RepoTags, img.Size)
	}
}
