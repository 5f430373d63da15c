package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/network"
	"github.com/berth-go/berth/internal/httpx"
	"github.com/berth-go/berth/internal/testing/testenv"
	"github.com/berth-go/berth/stream"
)

// The network and volume tests create their containers through the raw API
// (Do), so they depend only on the core and on their own packages.

// nvContainer creates a container of the test image running cmd, with the
// given HostConfig and NetworkingConfig (nil for none), labelled for
// cleanup, and force-removes it (with its anonymous volumes) when the test
// ends. A nil hostConfig means NetworkMode "none".
func nvContainer(t *testing.T, cli *docker.Client, cmd []string, hostConfig, networking map[string]any) string {
	t.Helper()
	if hostConfig == nil {
		hostConfig = map[string]any{}
	}
	if _, ok := hostConfig["NetworkMode"]; !ok {
		hostConfig["NetworkMode"] = "none"
	}
	body := map[string]any{
		"Image":      testenv.Image(t),
		"Cmd":        cmd,
		"Labels":     testenv.Labels(),
		"HostConfig": hostConfig,
	}
	if networking != nil {
		body["NetworkingConfig"] = networking
	}
	var created struct {
		ID string `json:"Id"`
	}
	ctx := testenv.Context(t, time0)
	if err := cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/containers/create", JSON: body}, &created); err != nil {
		t.Fatalf("create container: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time0)
		defer cancel()
		p, _ := httpx.Path("/containers/{}", "container id", created.ID)
		err := cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: p, Query: url.Values{"force": {"1"}, "v": {"1"}}}, nil)
		if err != nil && !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("removing container %s: %v", created.ID, err)
		}
	})
	return created.ID
}

// nvStart starts a container.
func nvStart(t *testing.T, cli *docker.Client, id string) {
	t.Helper()
	p, _ := httpx.Path("/containers/{}/start", "container id", id)
	if err := cli.DoJSON(testenv.Context(t, time0), &docker.Request{Method: http.MethodPost, Path: p}, nil); err != nil {
		t.Fatalf("start %s: %v", id, err)
	}
}

// nvRun starts a container, waits for it to exit and returns its exit
// status and its stdout.
func nvRun(t *testing.T, cli *docker.Client, id string) (int, string) {
	t.Helper()
	ctx := testenv.Context(t, time0)
	nvStart(t, cli, id)
	p, _ := httpx.Path("/containers/{}/wait", "container id", id)
	var exit struct{ StatusCode int }
	if err := cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: p}, &exit); err != nil {
		t.Fatalf("wait %s: %v", id, err)
	}
	p, _ = httpx.Path("/containers/{}/logs", "container id", id)
	resp, err := cli.Do(ctx, &docker.Request{Path: p, Query: url.Values{"stdout": {"1"}, "stderr": {"1"}}})
	if err != nil {
		t.Fatalf("logs %s: %v", id, err)
	}
	r := stream.NewReader(resp.Body, true) // no TTY: multiplexed
	defer r.Close()
	var stdout bytes.Buffer
	if _, err := r.Demux(&stdout, os.Stderr); err != nil {
		t.Fatalf("logs %s: %v", id, err)
	}
	return exit.StatusCode, stdout.String()
}

// nvEndpoints returns a container's endpoint settings per network, as
// container inspect reports them.
func nvEndpoints(t *testing.T, cli *docker.Client, id string) map[string]network.EndpointSettings {
	t.Helper()
	p, _ := httpx.Path("/containers/{}/json", "container id", id)
	var c struct {
		NetworkSettings struct {
			Networks map[string]network.EndpointSettings
		}
	}
	if err := cli.DoJSON(testenv.Context(t, time0), &docker.Request{Path: p}, &c); err != nil {
		t.Fatalf("inspect container %s: %v", id, err)
	}
	return c.NetworkSettings.Networks
}

// nvLabels returns this run's labels plus extra.
func nvLabels(extra map[string]string) map[string]string {
	l := testenv.Labels()
	for k, v := range extra {
		l[k] = v
	}
	return l
}

// nvNetwork creates a network and removes it when the test ends (unless the
// test removed it already).
func nvNetwork(t *testing.T, nets *network.Service, name string, req network.CreateRequest) network.CreateResponse {
	t.Helper()
	created, err := nets.Create(testenv.Context(t, time0), name, req)
	if err != nil {
		t.Fatalf("create network %s: %v", name, err)
	}
	t.Cleanup(func() { nvRemoveNetwork(t, nets, created.ID) })
	return created
}

func nvRemoveNetwork(t *testing.T, nets *network.Service, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), time0)
	defer cancel()
	if err := nets.Remove(ctx, id); err != nil && !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("removing network %s: %v", id, err)
	}
}

// nvSubnetSeq spreads the subnets of parallel tests of one process.
var nvSubnetSeq atomic.Int64

// nvSubnet creates an internal bridge network on a private 10.213.X.0/24
// subnet nothing else uses, trying other X when the daemon reports an
// overlap (another test run may hold one). It returns the network and the
// "10.213.X." prefix.
func nvSubnet(t *testing.T, nets *network.Service, name string, req network.CreateRequest) (network.CreateResponse, string) {
	t.Helper()
	ctx := testenv.Context(t, time0)
	start := os.Getpid()%200 + int(nvSubnetSeq.Add(1))*37
	for try := 0; try < 20; try++ {
		prefix := fmt.Sprintf("10.213.%d.", 20+(start+try*7)%230)
		r := req
		ipam := network.IPAM{Driver: "default", Config: []network.IPAMConfig{{
			Subnet:             prefix + "0/24",
			IPRange:            prefix + "128/25",
			Gateway:            prefix + "1",
			AuxiliaryAddresses: map[string]string{"reserved": prefix + "2"},
		}}}
		if req.IPAM != nil {
			ipam.Options = req.IPAM.Options
		}
		r.IPAM = &ipam
		created, err := nets.Create(ctx, name, r)
		var de *docker.Error
		// Podman answers an overlap 500 (podman-status-500).
		if errors.Is(err, docker.ErrForbidden) || errors.Is(err, docker.ErrInvalidArgument) ||
			errors.As(err, &de) && strings.Contains(de.Message, "is already used on the host or by another config") {
			t.Logf("subnet %s0/24: %v; trying another", prefix, err)
			continue
		}
		if err != nil {
			t.Fatalf("create network %s: %v", name, err)
		}
		t.Cleanup(func() { nvRemoveNetwork(t, nets, created.ID) })
		return created, prefix
	}
	t.Fatal("no free 10.213.X.0/24 subnet found")
	return network.CreateResponse{}, ""
}

// nvJSON is json.Marshal for test logs.
func nvJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
