// Package network manages the Engine's networks: list, inspect, create,
// remove and prune them, and connect containers to them or disconnect them.
//
// A Service is bound to one *docker.Client:
//
//	nets := network.New(cli)
//	created, err := nets.Create(ctx, "backend", network.CreateRequest{
//		Internal: true,
//		IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.213.7.0/24"}}},
//	})
//	err = nets.Connect(ctx, created.ID, containerID, &network.EndpointSettings{Aliases: []string{"db"}})
//
// Request bodies are plain structs whose zero value means the daemon's
// default; optional query parameters are per-call options (Filter, Verbose,
// Scope, Force) that compile only with the methods they apply to.
//
// Errors are *docker.Error values for the daemon's answers, matching the
// sentinels of package docker with errors.Is: a missing network or
// container is docker.ErrNotFound, a name already taken docker.ErrConflict,
// and so on (each method lists what it can return). Invalid input caught
// locally (an empty id) is a plain error and nothing is sent.
package network
