package bench

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	mobycontainer "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// mobyClient is github.com/moby/moby/client (the latest), used as its
// package documentation shows: version negotiation on first use, logs split
// with stdcopy, stats decoded into its StatsResponse.
type mobyClient struct{ cli *client.Client }

func newMoby(sock string, dial dialFunc) (apiClient, error) {
	cli, err := client.New(client.WithHost("unix://"+sock),
		client.WithDialContext(func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx) }))
	if err != nil {
		return nil, err
	}
	return &mobyClient{cli: cli}, nil
}

func (c *mobyClient) Ping(ctx context.Context) error {
	_, err := c.cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true})
	return err
}

func (c *mobyClient) Inspect(ctx context.Context, id string) error {
	_, err := c.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	return err
}

func (c *mobyClient) List(ctx context.Context, label string) (int, error) {
	opts := client.ContainerListOptions{All: true}
	if label != "" {
		opts.Filters = client.Filters{}.Add("label", label)
	}
	res, err := c.cli.ContainerList(ctx, opts)
	return len(res.Items), err
}

func (c *mobyClient) Logs(ctx context.Context, id string, stdout, stderr io.Writer) error {
	logs, err := c.cli.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return err
	}
	defer logs.Close()
	_, err = stdcopy.StdCopy(stdout, stderr, logs)
	return err
}

func (c *mobyClient) Events(ctx context.Context, since, until time.Time) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the library's goroutine
	res := c.cli.Events(ctx, client.EventsListOptions{Since: engineTime(since), Until: engineTime(until)})
	n := 0
	for {
		select {
		case <-res.Messages:
			n++
		case err := <-res.Err:
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			return n, err
		}
	}
}

func (c *mobyClient) Stats(ctx context.Context, id string) error {
	res, err := c.cli.ContainerStats(ctx, id, client.ContainerStatsOptions{})
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var s mobycontainer.StatsResponse
	return json.NewDecoder(res.Body).Decode(&s)
}

func (c *mobyClient) Close() error { return c.cli.Close() }
