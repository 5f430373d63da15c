// Package volume manages the Engine's volumes: list, create, inspect,
// update (swarm cluster volumes), remove and prune them.
//
// A Service is bound to one *docker.Client:
//
//	vols := volume.New(cli)
//	v, err := vols.Create(ctx, volume.CreateRequest{Name: "data", Labels: map[string]string{"app": "shop"}})
//	report, err := vols.Prune(ctx, volume.Filter("label", "app=shop"), volume.All())
//
// Request bodies are plain structs whose zero value means the daemon's
// default; optional query parameters are per-call options (Filter, All,
// Force) that compile only with the methods they apply to.
//
// Errors are *docker.Error values for the daemon's answers, matching the
// sentinels of package docker with errors.Is: a missing volume is
// docker.ErrNotFound, a volume in use docker.ErrConflict. Invalid input
// caught locally (an empty name) is a plain error and nothing is sent; an
// operation the negotiated API version lacks fails with docker.ErrVersion
// before sending.
package volume
