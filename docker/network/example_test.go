package network_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/network"
)

// An internal network with its own subnet, and a container attached to it
// under an alias with a fixed address.
func Example() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	nets := network.New(cli)

	created, err := nets.Create(ctx, "backend", network.CreateRequest{
		Internal: true,
		IPAM: &network.IPAM{Config: []network.IPAMConfig{{
			Subnet:  "10.213.7.0/24",
			Gateway: "10.213.7.1",
		}}},
		Labels: map[string]string{"app": "shop"},
	})
	if errors.Is(err, docker.ErrConflict) {
		log.Fatal("a network named backend already exists")
	} else if err != nil {
		log.Fatal(err)
	}
	err = nets.Connect(ctx, created.ID, "db", &network.EndpointSettings{
		Aliases:    []string{"database"},
		IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: "10.213.7.10"},
	})
	if err != nil {
		log.Fatal(err)
	}
	details, err := nets.Inspect(ctx, created.ID)
	if err != nil {
		log.Fatal(err)
	}
	for id, ep := range details.Containers {
		fmt.Println(id, ep.Name, ep.IPv4Address)
	}
}

// Removing the unused networks that carry a label.
func ExampleService_Prune() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	report, err := network.New(cli).Prune(ctx, network.Filter("label", "app=shop"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("removed:", report.NetworksDeleted)
}

// Filters select networks; an option that does not apply to a method does
// not compile with it (network.Verbose() is for Inspect only).
func ExampleService_List() {
	ctx := context.Background()
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	list, err := network.New(cli).List(ctx, network.Filter("driver", "bridge"), network.Filter("type", "custom"))
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range list {
		fmt.Println(n.Name, n.ID[:12], n.Scope)
	}
}
