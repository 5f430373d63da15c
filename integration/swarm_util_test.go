package integration

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/swarm"
	"github.com/berth-go/berth/internal/httpx"
	"github.com/berth-go/berth/internal/testing/testenv"
	"github.com/berth-go/berth/stream"
)

// swInitRequest is the test swarms' init request: listening and
// advertising on addr ("ip:port"), with an address pool of its own for
// overlay networks and the run's labels.
func swInitRequest(addr string) swarm.InitRequest {
	return swarm.InitRequest{
		ListenAddr:      addr,
		AdvertiseAddr:   addr,
		DefaultAddrPool: []string{"10.217.0.0/16"},
		SubnetSize:      24,
		Spec:            swarm.Spec{Labels: testenv.Labels()},
	}
}

// swInit makes the daemon a single-node swarm for the test and arranges
// for it to leave (forced) when the test ends, whatever happens. A daemon
// already in a swarm the test did not create is left alone: the test is
// skipped, or failed under BERTH_REQUIRE_DAEMON=1.
func swInit(t *testing.T, cli *docker.Client, sw *swarm.Cluster, req swarm.InitRequest) (nodeID string) {
	t.Helper()
	ctx := testenv.Context(t, time0)
	info, err := cli.Info(ctx)
	if err != nil {
		t.Fatalf("info: %v", err)
	}
	if st := info.Swarm.LocalNodeState; st != "" && st != "inactive" {
		msg := "the daemon is already part of a swarm (state " + st + ") that this test did not create; it will not touch it"
		if os.Getenv(testenv.RequireDaemonEnv) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	hadGWBridge := swNetworkExists(ctx, cli, "docker_gwbridge")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time0)
		defer cancel()
		if err := sw.Leave(ctx, swarm.Force()); err != nil && !errors.Is(err, docker.ErrUnavailable) {
			t.Errorf("cleanup: leave the swarm: %v", err)
		}
		if !hadGWBridge { // created by the daemon for the swarm; it outlives leave
			if err := swRemoveNetwork(ctx, cli, "docker_gwbridge"); err != nil {
				t.Logf("cleanup: remove docker_gwbridge: %v", err)
			}
		}
	})
	nodeID, err = sw.Init(ctx, req)
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	return nodeID
}

// swUpdateNode changes a node's spec, reading the node first. The daemon
// updates nodes itself (their status and description), notably in the
// first seconds after init, which can make a version just read stale: then
// the update is tried again (at most 5 times) after a fresh read.
func swUpdateNode(ctx context.Context, nodes *swarm.Nodes, id string, change func(*swarm.NodeSpec)) error {
	var err error
	for range 5 {
		var n swarm.Node
		if n, err = nodes.Inspect(ctx, id); err != nil {
			return err
		}
		spec := n.Spec
		change(&spec)
		var stale *swarm.StaleVersionError
		if err = nodes.Update(ctx, id, n.Version, spec); !errors.As(err, &stale) {
			return err
		}
	}
	return err
}

func swNetworkExists(ctx context.Context, cli *docker.Client, name string) bool {
	p, err := httpx.Path("/networks/{}", "network", name)
	if err != nil {
		return false
	}
	return cli.DoJSON(ctx, &docker.Request{Path: p}, nil) == nil
}

func swRemoveNetwork(ctx context.Context, cli *docker.Client, name string) error {
	p, err := httpx.Path("/networks/{}", "network", name)
	if err != nil {
		return err
	}
	err = cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: p}, nil)
	if errors.Is(err, docker.ErrNotFound) {
		return nil
	}
	return err
}

// swImageID returns the id of the test image. Services refer to it by id
// so that the nodes never try to pull it (it exists only locally).
func swImageID(t *testing.T, cli *docker.Client) string {
	t.Helper()
	p, err := httpx.Path("/images/{}/json", "image", testenv.Image(t))
	if err != nil {
		t.Fatal(err)
	}
	var img struct {
		ID string `json:"Id"`
	}
	if err := cli.DoJSON(testenv.Context(t, time0), &docker.Request{Path: p}, &img); err != nil {
		t.Fatalf("inspect the test image: %v", err)
	}
	return img.ID
}

// swCreateService creates a service and removes it (and waits for its
// containers to go) when the test ends.
func swCreateService(t *testing.T, cli *docker.Client, svcs *swarm.Services, spec swarm.ServiceSpec) string {
	t.Helper()
	created, err := svcs.Create(testenv.Context(t, time0), spec)
	if err != nil {
		t.Fatalf("create service %s: %v", spec.Name, err)
	}
	if len(created.Warnings) > 0 { // none expected: the daemon does not query a registry for the image
		t.Logf("create service %s: warnings %q", spec.Name, created.Warnings)
	}
	t.Cleanup(func() { swRemoveService(t, cli, svcs, created.ID) })
	return created.ID
}

// swRemoveService removes a service if it still exists and waits (bounded)
// until its task containers are gone. The daemon removes the containers of
// completed job tasks only when its task reaper comes by (up to a minute
// later on Engine 20.10), so after a short wait (3s) the leftovers are removed
// through the container endpoint.
func swRemoveService(t *testing.T, cli *docker.Client, svcs *swarm.Services, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time0)
	defer cancel()
	if err := svcs.Remove(ctx, id); errors.Is(err, docker.ErrUnavailable) {
		return // the swarm is gone, and its services with it
	} else if err != nil && !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("remove service %s: %v", id, err)
		return
	}
	q := url.Values{"all": {"1"}, "filters": {docker.Filters{"label": {"com.docker.swarm.service.id=" + id}}.Encode()}}
	deadline := time.Now().Add(3 * time.Second)
	for {
		var ctrs []struct {
			ID string `json:"Id"`
		}
		if err := cli.DoJSON(ctx, &docker.Request{Path: "/containers/json", Query: q}, &ctrs); err != nil {
			t.Errorf("list the containers of service %s: %v", id, err)
			return
		}
		if len(ctrs) == 0 {
			return
		}
		if time.Now().After(deadline) {
			for _, c := range ctrs {
				p, err := httpx.Path("/containers/{}", "container", c.ID)
				if err != nil {
					t.Error(err)
					continue
				}
				err = cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: p, Query: url.Values{"force": {"1"}}}, nil)
				if err != nil && !errors.Is(err, docker.ErrNotFound) && !errors.Is(err, docker.ErrConflict) {
					t.Errorf("remove container %s of service %s: %v", c.ID, id, err)
				}
			}
			return
		}
		select {
		case <-ctx.Done():
			t.Errorf("the containers of service %s are still there after removal", id)
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// swLines splits output into its lines, sorted (tasks of a service log in
// no particular order between them).
func swLines(b []byte) []string {
	lines := strings.SplitAfter(string(b), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	sort.Strings(lines)
	return lines
}

// swDemux reads a logs stream to its end and returns stdout and stderr.
func swDemux(t *testing.T, r *stream.Reader) (stdout, stderr []byte) {
	t.Helper()
	defer r.Close()
	if !r.Multiplexed() {
		t.Fatal("the logs of a service without a TTY are not multiplexed")
	}
	var o, e bytes.Buffer
	if _, err := r.Demux(&o, &e); err != nil {
		t.Fatalf("demux logs: %v", err)
	}
	return o.Bytes(), e.Bytes()
}
