package volume_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/volume"
)

// Creating a labelled volume, and removing it unless a container uses it.
func Example() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	vols := volume.New(cli)

	v, err := vols.Create(ctx, volume.CreateRequest{
		Name:   "shop-data",
		Labels: map[string]string{"app": "shop"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Name, v.Driver, v.Mountpoint)

	err = vols.Remove(ctx, v.Name)
	if errors.Is(err, docker.ErrConflict) {
		fmt.Println("still in use")
	} else if err != nil {
		log.Fatal(err)
	}
}

// Pruning the unused volumes of one application, named ones included.
func ExampleService_Prune() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	report, err := volume.New(cli).Prune(ctx, volume.Filter("label", "app=shop"), volume.All())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("removed %v, %d bytes freed\n", report.VolumesDeleted, report.SpaceReclaimed)
}

// Listing shows the daemon's warnings next to the volumes it could list.
func ExampleService_List() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	list, err := volume.New(cli).List(ctx, volume.Filter("dangling", "true"))
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range list.Warnings {
		log.Println("warning:", w)
	}
	for _, v := range list.Volumes {
		fmt.Println(v.Name, v.Driver)
	}
}
