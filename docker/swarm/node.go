package swarm

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
)

// List returns the swarm's nodes, filtered by the Filter options. Only
// managers answer; a node in no swarm gets docker.ErrUnavailable.
//
// API: GET /nodes
func (n *Nodes) List(ctx context.Context, opts ...ListOption) ([]Node, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyList(&cfg)
	}
	cfg.q.Filters(cfg.filters)
	var out []Node
	if err := n.cli.DoJSON(ctx, &docker.Request{Path: "/nodes", Query: cfg.q.Values()}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Inspect returns the node with that id or name (the CLI's "self" is the
// CLI's own: use the NodeID of docker.Info's Swarm).
// An unknown node is docker.ErrNotFound; an empty id is a local error.
//
// API: GET /nodes/{id}
func (n *Nodes) Inspect(ctx context.Context, id string) (Node, error) {
	p, err := path("/nodes/{}", "node id", id)
	if err != nil {
		return Node{}, err
	}
	var out Node
	err = n.cli.DoJSON(ctx, &docker.Request{Path: p}, &out)
	return out, err
}

// Update replaces the node's spec (role, availability, labels, name).
// version must be the node's Version last read; a stale one is refused
// with a *StaleVersionError (docker.ErrConflict). Demoting the last manager
// is docker.ErrInvalidArgument.
//
// API: POST /nodes/{id}/update
func (n *Nodes) Update(ctx context.Context, id string, version Version, spec NodeSpec) error {
	p, err := path("/nodes/{}/update", "node id", id)
	if err != nil {
		return err
	}
	var cfg callConfig
	setVersion(&cfg.q, version)
	return staleVersion(n.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: p, Query: cfg.q.Values(), JSON: spec}, nil))
}

// Remove removes a node from the swarm. A node that is not down, or a
// manager, needs Force (without it the daemon refuses with
// docker.ErrInvalidArgument); an unknown node is docker.ErrNotFound. A
// worker that left is reported down only when its heartbeats have been
// missing for a while (three heartbeat periods on Engine 20.10).
//
// API: DELETE /nodes/{id}
func (n *Nodes) Remove(ctx context.Context, id string, opts ...NodeRemoveOption) error {
	p, err := path("/nodes/{}", "node id", id)
	if err != nil {
		return err
	}
	var cfg callConfig
	for _, o := range opts {
		o.applyNodeRemove(&cfg)
	}
	return n.cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: p, Query: cfg.q.Values()}, nil)
}
