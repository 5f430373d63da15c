// Command logs-rss-docker fetches and splits a container's logs with
// github.com/docker/docker/client v28 and prints the bytes, the time and
// its own peak RSS (see bench/internal/logsrss).
package main

import (
	"context"
	"io"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/berth-go/berth/bench/internal/logsrss"
)

func main() {
	logsrss.Main(func(sock string) (logsrss.Fetch, error) {
		cli, err := client.NewClientWithOpts(client.WithHost("unix://"+sock), client.WithAPIVersionNegotiation())
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, id string, stdout, stderr io.Writer) error {
			logs, err := cli.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true})
			if err != nil {
				return err
			}
			defer logs.Close()
			_, err = stdcopy.StdCopy(stdout, stderr, logs)
			return err
		}, nil
	})
}
