// Command logs-rss-fsouza fetches and splits a container's logs with
// github.com/fsouza/go-dockerclient and prints the bytes, the time and its
// own peak RSS (see bench/internal/logsrss).
package main

import (
	"context"
	"io"

	docker "github.com/fsouza/go-dockerclient"

	"github.com/berth-go/berth/bench/internal/logsrss"
)

func main() {
	logsrss.Main(func(sock string) (logsrss.Fetch, error) {
		cli, err := docker.NewClient("unix://" + sock)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, id string, stdout, stderr io.Writer) error {
			return cli.Logs(docker.LogsOptions{
				Context: ctx, Container: id,
				OutputStream: stdout, ErrorStream: stderr,
				Stdout: true, Stderr: true,
			})
		}, nil
	})
}
