package bench

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"time"

	dockercontainer "github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"
)

// dockerClient is github.com/docker/docker/client v28, the module most
// programs import today, used as its documentation shows:
// WithAPIVersionNegotiation, logs split with its stdcopy, stats decoded into
// its StatsResponse.
type dockerClient struct{ cli *client.Client }

func newDockerV28(sock string, dial dialFunc) (apiClient, error) {
	cli, err := client.NewClientWithOpts(client.WithHost("unix://"+sock), client.WithAPIVersionNegotiation(),
		client.WithDialContext(func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx) }))
	if err != nil {
		return nil, err
	}
	return &dockerClient{cli: cli}, nil
}

func (c *dockerClient) Ping(ctx context.Context) error {
	_, err := c.cli.Ping(ctx)
	return err
}

func (c *dockerClient) Inspect(ctx context.Context, id string) error {
	_, err := c.cli.ContainerInspect(ctx, id)
	return err
}

func (c *dockerClient) List(ctx context.Context, label string) (int, error) {
	opts := dockercontainer.ListOptions{All: true}
	if label != "" {
		opts.Filters = filters.NewArgs(filters.Arg("label", label))
	}
	list, err := c.cli.ContainerList(ctx, opts)
	return len(list), err
}

func (c *dockerClient) Logs(ctx context.Context, id string, stdout, stderr io.Writer) error {
	logs, err := c.cli.ContainerLogs(ctx, id, dockercontainer.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return err
	}
	defer logs.Close()
	_, err = stdcopy.StdCopy(stdout, stderr, logs)
	return err
}

func (c *dockerClient) Events(ctx context.Context, since, until time.Time) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the library's goroutine
	msgs, errs := c.cli.Events(ctx, events.ListOptions{Since: engineTime(since), Until: engineTime(until)})
	n := 0
	for {
		select {
		case <-msgs:
			n++
		case err := <-errs:
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			return n, err
		}
	}
}

func (c *dockerClient) Stats(ctx context.Context, id string) error {
	res, err := c.cli.ContainerStatsOneShot(ctx, id)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var s dockercontainer.StatsResponse
	return json.NewDecoder(res.Body).Decode(&s)
}

func (c *dockerClient) Close() error { return c.cli.Close() }
