package contract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/network"
	"github.com/berth-go/berth/internal/testing/testenv"
	"github.com/google/go-cmp/cmp"
)

// networkCases never send traffic to a container address: the containers
// only sleep, on internal networks.
var networkCases = []contractCase{
	{name: "NetworkLifecycle", run: func(h *harness) {
		ctx := h.ctx()
		nets := network.New(h.tg.Client)
		since := time.Now().Add(-time.Second)
		name := testenv.Name("cnet")
		labels := h.labels(map[string]string{"berth.contract": "network"})
		n, prefix := h.network(nets, name, network.CreateRequest{Driver: "bridge", Internal: true, Labels: labels})
		got, err := nets.Inspect(ctx, n.ID)
		if err != nil {
			h.Fatal(err)
		}
		want := network.Summary{Name: name, ID: n.ID, Scope: "local", Driver: "bridge", Internal: true, EnableIPv4: got.EnableIPv4,
			IPAM:    network.IPAM{Driver: "default", Config: []network.IPAMConfig{{Subnet: prefix + "0/24", Gateway: prefix + "1"}}},
			Options: map[string]string{}, Labels: labels, Created: got.Created}
		podman := h.onPodman(testenv.PodmanNetworks)
		listOpts := []network.ListOption{network.Filter("name", name), network.Filter("type", "custom")}
		if podman {
			want.IPAM.Options = map[string]string{"driver": "host-local"}
			listOpts = listOpts[:1] // type is refused
		}
		if d := cmp.Diff(want, got.Summary); d != "" || len(got.Containers) != 0 {
			h.Errorf("inspect (-want +got)\n%s\ncontainers %v", d, got.Containers)
		}
		if time.Since(got.Created) > 10*time.Minute {
			h.Errorf("Created = %v", got.Created)
		}
		if list, err := nets.List(ctx, listOpts...); err != nil || len(list) != 1 || list[0].ID != n.ID {
			h.Errorf("list by name = %+v, %v", list, err)
		}

		// A created container lives on a second internal network; connect
		// it to the first with an alias and a fixed address.
		home, _ := h.network(nets, testenv.Name("cnet-home"), network.CreateRequest{Internal: true, Labels: h.labels(nil)})
		id := h.createOn(container.Config{Cmd: []string{"sleep", "60"}}, container.HostConfig{NetworkMode: home.ID})
		fixed := prefix + "50"
		if err := nets.Connect(ctx, n.ID, id, &network.EndpointSettings{Aliases: []string{"berth-web"}, IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: fixed}}); err != nil {
			h.Fatalf("connect: %v", err)
		}
		d, err := h.ctrs.Inspect(ctx, id)
		if err != nil {
			h.Fatal(err)
		}
		ep := d.NetworkSettings.Networks[name]
		// Podman does not read the fixed address back in IPAMConfig.
		if ep == nil || !slices.Contains(ep.Aliases, "berth-web") || !podman && (ep.IPAMConfig == nil || ep.IPAMConfig.IPv4Address != fixed) || ep.IPAddress != "" {
			h.Errorf("endpoint of a created container: %+v", ep)
		}

		// Started, it gets the address; the network lists it.
		if err := h.ctrs.Start(ctx, id); err != nil {
			h.Fatal(err)
		}
		d, _ = h.ctrs.Inspect(ctx, id)
		ep = d.NetworkSettings.Networks[name]
		// Engine 25 (API 1.44) stopped giving an endpoint on an internal
		// network a gateway (moby PR 46603: not versioned, and not in the
		// API changelog); the network's IPAM config above still lists it.
		gateway := prefix + "1"
		if h.atLeast("1.44") {
			gateway = ""
		}
		// Podman's endpoints have no ID, and name their network by name.
		networkID := n.ID
		if podman {
			networkID = name
		}
		if ep == nil || ep.IPAddress != fixed || ep.Gateway != gateway || ep.IPPrefixLen != 24 || ep.NetworkID != networkID || ep.EndpointID == "" && !podman || ep.MacAddress == "" {
			h.Errorf("endpoint of the running container (want gateway %q): %+v", gateway, ep)
		}
		got, err = nets.Inspect(ctx, name)
		if err != nil {
			h.Fatal(err)
		}
		if res, ok := got.Containers[id]; !ok || res.IPv4Address != fixed+"/24" || ep != nil && res.EndpointID != ep.EndpointID {
			h.Errorf("network's containers: %+v", got.Containers)
		}

		// Removing it under a running container, or connecting twice, is
		// refused.
		// The wording changed with Engine 28 (20.10 names the network's id,
		// 28.2 lists the endpoints instead); the status and the start
		// stay.
		if h.onPodman(testenv.PodmanNetworkRm) {
			// By ID Podman would remove it: ask by name.
			h.refused("remove with an active endpoint", nets.Remove(ctx, name), docker.ErrForbidden, "network is being used")
		} else if err := nets.Remove(ctx, n.ID); !errors.Is(err, docker.ErrForbidden) || !strings.Contains(err.Error(), "error while removing network: network "+name+" ") ||
			!strings.Contains(err.Error(), " has active endpoints") {
			h.Errorf("remove with an active endpoint: %v", err)
		}
		err = nets.Connect(ctx, n.ID, id, nil)
		h.refused("connect twice", err, docker.ErrForbidden, "is already connected to network")
		if !podman && (err == nil || !strings.Contains(err.Error(), "already exists in network "+name)) {
			h.Errorf("connect twice: %v", err)
		}
		if err := nets.Connect(ctx, n.ID, "berth-no-such-container", nil); !errors.Is(err, docker.ErrNotFound) {
			h.Errorf("connect a missing container: %v", err)
		}

		if err := nets.Disconnect(ctx, n.ID, id); err != nil {
			h.Fatal(err)
		}
		d, _ = h.ctrs.Inspect(ctx, id)
		if _, ok := d.NetworkSettings.Networks[name]; ok || len(d.NetworkSettings.Networks) != 1 {
			h.Errorf("networks after disconnect: %v", keys(d.NetworkSettings.Networks))
		}
		if err := nets.Disconnect(ctx, n.ID, id); err == nil {
			h.Error("disconnect twice succeeded")
		}
		if err := nets.Remove(ctx, n.ID); err != nil {
			h.Fatal(err)
		}
		if _, err := nets.Inspect(ctx, n.ID); !errors.Is(err, docker.ErrNotFound) {
			h.Errorf("inspect after remove: %v", err)
		}

		if h.onPodman(testenv.PodmanEventNames) {
			return // no network events
		}
		var actions []string
		for ev, err := range h.tg.Client.Events(ctx, docker.Since(since), docker.Until(time.Now()), docker.Filter("network", n.ID)) {
			if err != nil {
				h.Fatal(err)
			}
			if ev.Type == "network" && ev.Actor.ID == n.ID {
				actions = append(actions, ev.Action)
				if ev.Actor.Attributes["name"] != name || ev.Actor.Attributes["type"] != "bridge" {
					h.Errorf("event attributes %v", ev.Actor.Attributes)
				}
			}
		}
		// Engine 20.10 also logs a "disconnect" for the refused second one.
		if d := cmp.Diff([]string{"create", "connect", "disconnect", "destroy"}, slices.Compact(actions)); d != "" {
			h.Errorf("events of the network (-want +got)\n%s", d)
		}
	}},
	{name: "NetworkRefusals", run: func(h *harness) {
		ctx := h.ctx()
		nets := network.New(h.tg.Client)
		name := testenv.Name("cnet-dup")
		h.network(nets, name, network.CreateRequest{Internal: true, Labels: h.labels(nil)})
		_, err := nets.Create(ctx, name, network.CreateRequest{Internal: true, Labels: h.labels(nil)})
		h.refused("duplicate name", err, docker.ErrConflict, "network already exists")
		if !h.tg.Podman && (err == nil || !strings.Contains(err.Error(), "network with name "+name+" already exists")) {
			h.Errorf("duplicate name: %v", err)
		}
		if h.onPodman(testenv.PodmanNetworks) {
			// Its default network is podman, which bridge finds; host and
			// none are modes, not networks.
			h.refused("remove bridge", nets.Remove(ctx, "bridge"), docker.ErrForbidden, "default network podman cannot be removed")
			for _, mode := range []string{"host", "none"} {
				if err := nets.Remove(ctx, mode); !errors.Is(err, docker.ErrNotFound) {
					h.Errorf("remove %s: %v", mode, err)
				}
			}
		} else {
			for _, pre := range []string{"bridge", "host", "none"} {
				if err := nets.Remove(ctx, pre); !errors.Is(err, docker.ErrForbidden) || !strings.Contains(err.Error(), pre+" is a pre-defined network and cannot be removed") {
					h.Errorf("remove %s: %v", pre, err)
				}
			}
		}
		_, err = nets.Create(ctx, "none", network.CreateRequest{Labels: h.labels(nil)})
		h.refused("create none", err, docker.ErrForbidden, "conflicts with a valid network mode")
		missing := "network berth-no-such-network not found"
		if h.onPodman(testenv.PodmanNetworks) {
			missing = "network not found"
		}
		if err := nets.Remove(ctx, "berth-no-such-network"); !errors.Is(err, docker.ErrNotFound) || !strings.Contains(err.Error(), missing) {
			h.Errorf("remove a missing network: %v", err)
		}
		_, err = nets.List(ctx, network.Filter("no-such-filter", "x"))
		h.refused("list with an unknown filter", err, docker.ErrInvalidArgument, "invalid filter")
		id := h.create(container.Config{Cmd: []string{"sleep", "60"}}) // NetworkMode none
		err = nets.Connect(ctx, name, id, nil)
		h.refused("connect a container of network mode none", err, docker.ErrInvalidArgument, "invalid network mode")
		if !h.tg.Podman && (err == nil || !strings.Contains(err.Error(), "private (none) mode")) {
			h.Errorf("connect a container of network mode none: %v", err)
		}
	}},
	{name: "NetworkPruneByLabel", run: func(h *harness) {
		ctx := h.ctx()
		nets := network.New(h.tg.Client)
		mark := testenv.Name("mark")
		var gone []string
		for range 2 {
			name := testenv.Name("cnet-prune")
			h.network(nets, name, network.CreateRequest{Internal: true, Labels: h.labels(map[string]string{"berth.contract.prune": mark})})
			gone = append(gone, name)
		}
		keep := testenv.Name("cnet-keep")
		h.network(nets, keep, network.CreateRequest{Internal: true, Labels: h.labels(nil)})
		report, err := nets.Prune(ctx, network.Filter("label", "berth.contract.prune="+mark))
		if err != nil {
			h.Fatal(err)
		}
		slices.Sort(gone)
		slices.Sort(report.NetworksDeleted)
		if d := cmp.Diff(gone, report.NetworksDeleted); d != "" {
			h.Errorf("NetworksDeleted (-want +got)\n%s", d)
		}
		if _, err := nets.Inspect(ctx, keep); err != nil {
			h.Errorf("a network without the label went: %v", err)
		}
		_, err = nets.Prune(ctx, network.Filter("dangling", "true"))
		h.refused("prune with a filter prune does not know", err, docker.ErrInvalidArgument, "invalid filter")
	}},
}

// labels returns the target's labels plus extra.
func (h *harness) labels(extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range h.tg.Labels {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// createOn creates a container of the test image with the target's labels
// and the given host configuration as is (its NetworkMode included),
// removed when the case ends.
func (h *harness) createOn(cfg container.Config, hc container.HostConfig) string {
	h.Helper()
	cfg.Image = h.tg.Image
	cfg.Labels = h.labels(cfg.Labels)
	c, err := h.ctrs.Create(h.ctx(), cfg, container.WithHostConfig(hc))
	if err != nil {
		h.Fatalf("create: %v", err)
	}
	h.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = h.ctrs.Remove(ctx, c.ID, container.Force(), container.RemoveVolumes())
	})
	return c.ID
}

// subnetSeq spreads the subnets of one process's networks.
var subnetSeq atomic.Int64

// network creates a network on a 10.214.X.0/24 subnet (gateway X.1) that
// nothing else uses, trying other X when the Engine reports an overlap,
// and removes it when the case ends. It returns the network and the
// "10.214.X." prefix.
func (h *harness) network(nets *network.Service, name string, req network.CreateRequest) (network.CreateResponse, string) {
	h.Helper()
	start := os.Getpid()%200 + int(subnetSeq.Add(1))*41
	for try := range 20 {
		prefix := fmt.Sprintf("10.214.%d.", 20+(start+try*7)%230)
		r := req
		r.IPAM = &network.IPAM{Config: []network.IPAMConfig{{Subnet: prefix + "0/24", Gateway: prefix + "1"}}}
		created, err := nets.Create(h.ctx(), name, r)
		// Podman answers an overlap 500 (podman-status-500).
		if err != nil && (errors.Is(err, docker.ErrForbidden) && strings.Contains(err.Error(), "overlaps") ||
			h.tg.Podman && strings.Contains(err.Error(), "is already used on the host or by another config")) {
			continue
		}
		if err != nil {
			h.Fatalf("create network %s: %v", name, err)
		}
		h.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_ = nets.Remove(ctx, created.ID)
		})
		return created, prefix
	}
	h.Fatal("no free 10.214.X.0/24 subnet")
	return network.CreateResponse{}, ""
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
