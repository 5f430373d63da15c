// Command logs-rss-moby fetches and splits a container's logs with
// github.com/moby/moby/client and prints the bytes, the time and its own
// peak RSS (see bench/internal/logsrss).
package main

import (
	"context"
	"io"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/berth-go/berth/bench/internal/logsrss"
)

func main() {
	logsrss.Main(func(sock string) (logsrss.Fetch, error) {
		cli, err := client.New(client.WithHost("unix://" + sock))
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, id string, stdout, stderr io.Writer) error {
			logs, err := cli.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
			if err != nil {
				return err
			}
			defer logs.Close()
			_, err = stdcopy.StdCopy(stdout, stderr, logs)
			return err
		}, nil
	})
}
