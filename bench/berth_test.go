package bench

import (
	"context"
	"io"
	"net"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
)

// berthClient is berth, used as its README shows.
type berthClient struct {
	cli  *docker.Client
	ctrs *container.Service
}

func newBerth(sock string, dial dialFunc) (apiClient, error) {
	cli, err := docker.New(docker.WithHost("unix://"+sock),
		docker.WithDialer(func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx) }))
	if err != nil {
		return nil, err
	}
	return &berthClient{cli: cli, ctrs: container.New(cli)}, nil
}

func (c *berthClient) Ping(ctx context.Context) error {
	_, err := c.cli.Ping(ctx)
	return err
}

func (c *berthClient) Inspect(ctx context.Context, id string) error {
	_, err := c.ctrs.Inspect(ctx, id)
	return err
}

func (c *berthClient) List(ctx context.Context, label string) (int, error) {
	opts := []container.ListOption{container.All()}
	if label != "" {
		opts = append(opts, container.Filter("label", label))
	}
	list, err := c.ctrs.List(ctx, opts...)
	return len(list), err
}

func (c *berthClient) Logs(ctx context.Context, id string, stdout, stderr io.Writer) error {
	logs, err := c.ctrs.Logs(ctx, id)
	if err != nil {
		return err
	}
	defer logs.Close()
	_, err = logs.Demux(stdout, stderr)
	return err
}

func (c *berthClient) Events(ctx context.Context, since, until time.Time) (int, error) {
	var opts []docker.EventsOption
	if !since.IsZero() {
		opts = append(opts, docker.Since(since))
	}
	if !until.IsZero() {
		opts = append(opts, docker.Until(until))
	}
	n := 0
	for _, err := range c.cli.Events(ctx, opts...) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (c *berthClient) Stats(ctx context.Context, id string) error {
	_, err := c.ctrs.StatsOnce(ctx, id, container.OneShot())
	return err
}

func (c *berthClient) Close() error { return c.cli.Close() }
