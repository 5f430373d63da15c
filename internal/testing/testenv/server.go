package testenv

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/berth-go/berth/docker"
)

// Server says which server the tests talk to: a Docker Engine or Podman's
// Docker-compatible service.
type Server struct {
	Podman     bool   // the server is Podman (its _ping sends Libpod-Api-Version)
	Version    string // the product's version: "20.10.24", "4.3.1"
	APIVersion string // the Docker API version it serves: "1.41"
}

// String names the server as CI reports it: "Engine 20.10.24 (API 1.41)",
// "Podman 4.3.1 (API 1.41)".
func (s Server) String() string {
	product := "Engine"
	if s.Podman {
		product = "Podman"
	}
	return fmt.Sprintf("%s %s (API %s)", product, s.Version, s.APIVersion)
}

// ServerOf returns the server behind Client(t), skipping or failing t as
// Client does when there is none.
func ServerOf(t testing.TB) Server {
	t.Helper()
	Client(t)
	return daemon.server
}

// identify asks the daemon what it is. Podman's service answers every
// request with a Libpod-Api-Version header; a Docker Engine never does.
func identify(ctx context.Context, cli *docker.Client) (Server, error) {
	resp, err := cli.Do(ctx, &docker.Request{Path: "/_ping"})
	if err != nil {
		return Server{}, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64))
	resp.Body.Close()
	v, err := cli.Version(ctx)
	if err != nil {
		return Server{}, err
	}
	// Engines built by distributions append "+dfsg1" and the like.
	version, _, _ := strings.Cut(v.Version, "+")
	return Server{
		Podman:     resp.Header.Get("Libpod-Api-Version") != "",
		Version:    version,
		APIVersion: v.APIVersion,
	}, nil
}
