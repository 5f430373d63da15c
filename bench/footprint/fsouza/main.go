package main

import (
	"fmt"
	"log"

	docker "github.com/fsouza/go-dockerclient"
)

func main() {
	cli, err := docker.NewClientFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	if err := cli.Ping(); err != nil {
		log.Fatal(err)
	}
	list, err := cli.ListContainers(docker.ListContainersOptions{All: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(list))
}
