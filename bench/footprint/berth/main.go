package main

import (
	"context"
	"fmt"
	"log"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
)

func main() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	if _, err := cli.Ping(ctx); err != nil {
		log.Fatal(err)
	}
	list, err := container.New(cli).List(ctx, container.All())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(list))
}
