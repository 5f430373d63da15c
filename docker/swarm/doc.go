// Package swarm drives the Engine's swarm mode: the swarm itself (init,
// join, leave, inspect, update, unlock), its nodes, services, tasks,
// secrets and configs.
//
// A Cluster is bound to one *docker.Client; the resource groups hang off it:
//
//	sw := swarm.New(cli)
//	nodeID, err := sw.Init(ctx, swarm.InitRequest{ListenAddr: "0.0.0.0:2377"})
//	created, err := sw.Services().Create(ctx, swarm.ServiceSpec{
//		Name: "web",
//		TaskTemplate: swarm.TaskSpec{
//			ContainerSpec: &swarm.ContainerSpec{Image: "nginx:alpine"},
//		},
//		Mode: swarm.ReplicatedMode(3),
//	})
//	svc, err := sw.Services().WaitConverged(ctx, created.ID)
//
// Request bodies are plain structs whose zero value means the daemon's
// default; optional query parameters are per-call options (Filter, Force,
// InsertDefaults, Rollback, Follow, ...) that compile only with the methods
// they apply to. Pointers appear in a body only where the daemon tells an
// unset field from a zero one (replica counts, restart delays, Init).
//
// Swarm objects are versioned: every Update takes the Version read last and
// fails when the object changed in the meantime: the daemon answers a 500
// "update out of sequence", returned as a *StaleVersionError that matches
// docker.ErrConflict and wraps the daemon's *docker.Error.
//
// Errors are *docker.Error values for the daemon's answers, matching the
// sentinels of package docker with errors.Is: a missing object is
// docker.ErrNotFound, a name in use docker.ErrConflict, a bad spec
// docker.ErrInvalidArgument, and a node outside any swarm (or already in
// one, for Init and Join) docker.ErrUnavailable. Invalid input caught
// locally (an empty id, a field newer than the negotiated API version) is a
// plain error and nothing is sent.
//
// Secret data never appears in String, fmt or slog output of a SecretSpec.
package swarm
