// Command logs-rss-berth fetches and splits a container's logs with berth
// and prints the bytes, the time and its own peak RSS (see
// bench/internal/logsrss).
package main

import (
	"context"
	"io"

	"github.com/berth-go/berth/bench/internal/logsrss"
	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
)

func main() {
	logsrss.Main(func(sock string) (logsrss.Fetch, error) {
		cli, err := docker.New(docker.WithHost("unix://" + sock))
		if err != nil {
			return nil, err
		}
		ctrs := container.New(cli)
		return func(ctx context.Context, id string, stdout, stderr io.Writer) error {
			logs, err := ctrs.Logs(ctx, id)
			if err != nil {
				return err
			}
			defer logs.Close()
			_, err = logs.Demux(stdout, stderr)
			return err
		}, nil
	})
}
