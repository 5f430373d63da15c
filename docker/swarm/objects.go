package swarm

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
)

// The secret and config endpoints have the same shape; these helpers serve
// both.

func listObjects[T any](ctx context.Context, cli *docker.Client, p string, opts []ListOption) ([]T, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyList(&cfg)
	}
	cfg.q.Filters(cfg.filters)
	var out []T
	if err := cli.DoJSON(ctx, &docker.Request{Path: p, Query: cfg.q.Values()}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func createObject(ctx context.Context, cli *docker.Client, p string, spec any) (string, error) {
	var out struct{ ID string }
	if err := cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: p, JSON: spec}, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

func inspectObject[T any](ctx context.Context, cli *docker.Client, pattern, what, id string) (T, error) {
	var out T
	p, err := path(pattern, what, id)
	if err != nil {
		return out, err
	}
	err = cli.DoJSON(ctx, &docker.Request{Path: p}, &out)
	return out, err
}

func updateObject(ctx context.Context, cli *docker.Client, pattern, what, id string, version Version, spec any) error {
	p, err := path(pattern, what, id)
	if err != nil {
		return err
	}
	var cfg callConfig
	setVersion(&cfg.q, version)
	return staleVersion(cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: p, Query: cfg.q.Values(), JSON: spec}, nil))
}

func removeObject(ctx context.Context, cli *docker.Client, pattern, what, id string) error {
	p, err := path(pattern, what, id)
	if err != nil {
		return err
	}
	return cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: p}, nil)
}
