package dockertest_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/network"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// sleeper is a process that runs until it is stopped.
func sleeper(ctx context.Context, _ *dockertest.ProcessIO) int {
	<-ctx.Done()
	sig, _ := dockertest.SignalOf(ctx)
	return dockertest.ExitCodeFor(sig)
}

func TestNetworkCreateInspectList(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, nil)
	nets := network.New(srv.Client())
	ctx := t.Context()

	created, err := nets.Create(ctx, "backend", network.CreateRequest{
		Internal: true, Attachable: true,
		IPAM:    &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.214.7.0/24", IPRange: "10.214.7.128/25", Gateway: "10.214.7.1"}}},
		Options: map[string]string{"com.docker.network.driver.mtu": "1400"},
		Labels:  map[string]string{"team": "a"},
	})
	if err != nil || created.ID == "" || created.Warning != "" {
		t.Fatalf("Create = %+v, %v", created, err)
	}
	want := network.Details{
		Summary: network.Summary{Name: "backend", ID: created.ID, Scope: "local", Driver: "bridge", EnableIPv4: true,
			Internal: true, Attachable: true,
			IPAM:    network.IPAM{Driver: "default", Config: []network.IPAMConfig{{Subnet: "10.214.7.0/24", IPRange: "10.214.7.128/25", Gateway: "10.214.7.1"}}},
			Options: map[string]string{"com.docker.network.driver.mtu": "1400"}, Labels: map[string]string{"team": "a"}},
		Containers: map[string]network.EndpointResource{},
	}
	for _, ref := range []string{created.ID, "backend", created.ID[:12]} {
		got, err := nets.Inspect(ctx, ref, network.Verbose())
		if err != nil {
			t.Fatal(err)
		}
		if time.Since(got.Created) > time.Minute {
			t.Errorf("Created = %v", got.Created)
		}
		if d := cmp.Diff(want, got, cmpopts.IgnoreFields(network.Summary{}, "Created"), cmpopts.IgnoreFields(network.Details{}, "Status")); d != "" {
			t.Errorf("Inspect(%s) (-want +got)\n%s", ref, d)
		}
	}
	if _, err := nets.Inspect(ctx, "backend", network.Scope("swarm")); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("Inspect with another scope: %v, want ErrNotFound", err)
	}
	auto, err := nets.Create(ctx, "auto", network.CreateRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := nets.Inspect(ctx, auto.ID)
	if d := cmp.Diff([]network.IPAMConfig{{Subnet: "172.18.0.0/16", Gateway: "172.18.0.1"}}, got.IPAM.Config); d != "" {
		t.Errorf("picked subnet (-want +got)\n%s", d)
	}

	for _, tc := range []struct {
		name string
		opts []network.ListOption
		want []string
	}{
		{"all", nil, []string{"auto", "backend", "bridge", "host", "none"}},
		{"label", []network.ListOption{network.Filter("label", "team=a")}, []string{"backend"}},
		{"name regexp", []network.ListOption{network.Filter("name", "^back")}, []string{"backend"}},
		{"id prefix", []network.ListOption{network.Filter("id", created.ID[:10])}, []string{"backend"}},
		{"builtin", []network.ListOption{network.Filter("type", "builtin")}, []string{"bridge", "host", "none"}},
		{"custom bridge", []network.ListOption{network.Filter("type", "custom"), network.Filter("driver", "bridge")}, []string{"auto", "backend"}},
		{"null driver", []network.ListOption{network.Filter("driver", "null")}, []string{"none"}},
		{"dangling", []network.ListOption{network.Filter("dangling", "true")}, []string{"auto", "backend"}},
		{"not dangling", []network.ListOption{network.Filter("dangling", "false")}, []string{"bridge", "host", "none"}},
		{"scope", []network.ListOption{network.Filter("scope", "swarm")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, err := nets.List(ctx, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, n := range list {
				names = append(names, n.Name)
			}
			slices.Sort(names)
			if d := cmp.Diff(tc.want, names); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
	for _, tc := range []struct {
		filter, value string
		want          error
	}{
		{"nope", "x", docker.ErrInvalidArgument},
		{"dangling", "maybe", docker.ErrInvalidArgument},
		{"type", "odd", nil}, // Engine 20.10 answers 500
	} {
		_, err := nets.List(ctx, network.Filter(tc.filter, tc.value))
		var de *docker.Error
		if !errors.As(err, &de) || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("List %s=%s: err = %v", tc.filter, tc.value, err)
		}
	}
}

func TestNetworkCreateRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, nil)
	nets := network.New(srv.Client())
	ctx := t.Context()
	if _, err := nets.Create(ctx, "one", network.CreateRequest{IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.214.8.0/24"}}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, net string
		req       network.CreateRequest
		status    int
		msg       string
	}{
		{"duplicate", "one", network.CreateRequest{}, 409, "network with name one already exists"},
		{"predefined", "host", network.CreateRequest{}, 403, "operation is not permitted on predefined host network "},
		{"second host", "h2", network.CreateRequest{Driver: "host"}, 403, `only one instance of "host" network is allowed`},
		{"unknown driver", "d", network.CreateRequest{Driver: "weird"}, 404, `plugin "weird" not found`},
		{"overlay without swarm", "o", network.CreateRequest{Driver: "overlay"}, 500, "This node is not a swarm manager"},
		{"overlap", "two", network.CreateRequest{IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.214.8.0/25"}}}}, 403, "Pool overlaps with other one on this address space"},
		{"bad subnet", "three", network.CreateRequest{IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.214.300.0/24"}}}}, 400, "Invalid subnet 10.214.300.0/24 : invalid CIDR address: 10.214.300.0/24"},
		{"gateway outside", "four", network.CreateRequest{IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.214.9.0/24", Gateway: "10.214.10.1"}}}}, 400, "failed to allocate gateway (10.214.10.1): Requested address is out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := nets.Create(ctx, tc.net, tc.req)
			var de *docker.Error
			if !errors.As(err, &de) || de.StatusCode != tc.status || !strings.Contains(de.Message, tc.msg) {
				t.Errorf("err = %v, want %d %q", err, tc.status, tc.msg)
			}
		})
	}
	for _, name := range []string{"bridge", "host", "none"} {
		err := nets.Remove(ctx, name)
		if !errors.Is(err, docker.ErrForbidden) || !strings.Contains(err.Error(), name+" is a pre-defined network and cannot be removed") {
			t.Errorf("Remove(%s): %v", name, err)
		}
	}
	if err := nets.Remove(ctx, "nope"); !errors.Is(err, docker.ErrNotFound) || !strings.Contains(err.Error(), "network nope not found") {
		t.Errorf("Remove(nope): %v", err)
	}
}

// TestNetworkCheckDuplicateBefore144 checks that a fake advertising an API
// older than 1.44 creates a second network of the same name when
// CheckDuplicate is false, with a warning, as Engine 20.10 does; names
// then become ambiguous.
func TestNetworkCheckDuplicateBefore144(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, nil, dockertest.WithAPIVersion("1.41"))
	cli := srv.Client()
	ctx := t.Context()
	create := func(check bool) (network.CreateResponse, error) {
		var out network.CreateResponse
		err := cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/networks/create",
			JSON: map[string]any{"Name": "twin", "CheckDuplicate": check}}, &out)
		return out, err
	}
	first, err := create(true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := create(true); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("CheckDuplicate true: %v, want ErrConflict", err)
	}
	second, err := create(false)
	if err != nil || second.Warning != "Network with name twin (id : "+first.ID+") already exists" {
		t.Fatalf("CheckDuplicate false = %+v, %v", second, err)
	}
	nets := network.New(cli)
	if _, err := nets.Inspect(ctx, "twin"); err == nil || !strings.Contains(err.Error(), "2 matches found based on name: network twin is ambiguous") {
		t.Errorf("Inspect ambiguous: %v", err)
	}
	if err := nets.Remove(ctx, "twin"); err == nil || !strings.Contains(err.Error(), "network twin is ambiguous (2 matches found based on name)") {
		t.Errorf("Remove ambiguous: %v", err)
	}
	for _, id := range []string{first.ID, second.ID} {
		if err := nets.Remove(ctx, id); err != nil {
			t.Error(err)
		}
	}
}

func TestNetworkEndpointsFollowTheContainer(t *testing.T) {
	t.Parallel()
	srv, ctrs := newFake(t, sleeper)
	cli := srv.Client()
	nets := network.New(cli)
	ctx := t.Context()
	since := time.Now()
	n, err := nets.Create(ctx, "web", network.CreateRequest{Internal: true, IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.214.11.0/24"}}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.Name("api"), container.WithHostConfig(container.HostConfig{NetworkMode: "web"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := nets.Connect(ctx, "bridge", c.ID, nil); err != nil {
		t.Fatalf("connect a created container to bridge: %v", err)
	}
	if err := nets.Connect(ctx, "web", c.ID, &network.EndpointSettings{Aliases: []string{"db"}, IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: "10.214.11.50"}}); err != nil {
		t.Fatalf("connect again while created: %v", err)
	}
	d, err := ctrs.Inspect(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ep := d.NetworkSettings.Networks["web"]; ep == nil || ep.IPAddress != "" || ep.NetworkID != "" || !slices.Contains(ep.Aliases, "db") {
		t.Errorf("created container's endpoint: %+v", ep)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	d, _ = ctrs.Inspect(ctx, c.ID)
	ep := d.NetworkSettings.Networks["web"]
	want := &container.EndpointSettings{IPAMConfig: &container.EndpointIPAMConfig{IPv4Address: "10.214.11.50"},
		Aliases: []string{"db"}, NetworkID: n.ID, IPAddress: "10.214.11.50", IPPrefixLen: 24, // no Gateway: an internal network (API >= 1.44)
		MacAddress: "02:42:0a:d6:0b:32", DNSNames: []string{"api", "db", c.ID[:12]}}
	if d := cmp.Diff(want, ep, cmpopts.IgnoreFields(container.EndpointSettings{}, "EndpointID")); d != "" || ep.EndpointID == "" {
		t.Errorf("running endpoint (-want +got)\n%s", d)
	}
	if br := d.NetworkSettings.Networks["bridge"]; br == nil || br.IPAddress != "172.17.0.2" {
		t.Errorf("bridge endpoint: %+v", br)
	}
	details, err := nets.Inspect(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	if res := details.Containers[c.ID]; res.Name != "api" || res.IPv4Address != "10.214.11.50/24" || res.EndpointID != ep.EndpointID {
		t.Errorf("network's view: %+v", details.Containers)
	}
	err = nets.Remove(ctx, "web")
	if !errors.Is(err, docker.ErrForbidden) || !strings.Contains(err.Error(), `error while removing network: network web has active endpoints (name:"api" id:"`+ep.EndpointID[:12]+`")`) {
		t.Errorf("remove with endpoints: %v", err)
	}
	if err := nets.Connect(ctx, "web", c.ID, nil); !errors.Is(err, docker.ErrForbidden) || !strings.Contains(err.Error(), "endpoint with name api already exists in network web") {
		t.Errorf("connect twice: %v", err)
	}
	// Engine 20.10 does not count containers for dangling: every network
	// but the predefined ones is dangling.
	if list, _ := nets.List(ctx, network.Filter("dangling", "true")); len(list) != 1 || list[0].Name != "web" {
		t.Errorf("dangling networks: %+v", list)
	}
	if ps, _ := ctrs.List(ctx, container.Filter("network", "web")); len(ps) != 1 || ps[0].NetworkSettings.Networks["web"].IPAddress != "10.214.11.50" {
		t.Errorf("list by network: %+v", ps)
	}

	// A second container cannot take the fixed address; it gets the next.
	other, _ := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.WithHostConfig(container.HostConfig{NetworkMode: "web"}),
		container.WithNetworkingConfig(container.NetworkingConfig{EndpointsConfig: map[string]*container.EndpointSettings{"web": {IPAMConfig: &container.EndpointIPAMConfig{IPv4Address: "10.214.11.50"}}}}))
	if err := ctrs.Start(ctx, other.ID); !errors.Is(err, docker.ErrForbidden) || !strings.Contains(err.Error(), "Address already in use") {
		t.Errorf("start with a taken address: %v", err)
	}
	if od, _ := ctrs.Inspect(ctx, other.ID); od.State.Status != "created" || od.State.ExitCode != 128 || od.State.Error != "Address already in use" {
		t.Errorf("state after a failed start: %+v", od.State)
	}

	if err := nets.Disconnect(ctx, "web", c.ID); err != nil {
		t.Fatal(err)
	}
	if err := nets.Disconnect(ctx, "web", c.ID); err == nil || !strings.Contains(err.Error(), "is not connected to network web") {
		t.Errorf("disconnect twice: %v", err)
	}
	if err := nets.Connect(ctx, "web", "nope", nil); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("connect a missing container: %v", err)
	}
	if err := nets.Connect(ctx, "nope", c.ID, nil); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("connect a running container to a missing network: %v", err)
	}
	if err := ctrs.Stop(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	d, _ = ctrs.Inspect(ctx, c.ID)
	if br := d.NetworkSettings.Networks["bridge"]; br == nil || br.IPAddress != "" || br.EndpointID != "" || br.NetworkID == "" {
		t.Errorf("stopped container's endpoint: %+v", br)
	}
	if err := nets.Remove(ctx, "web"); err != nil {
		t.Fatalf("remove after the container stopped: %v", err)
	}

	var actions []string
	for ev, err := range cli.Events(ctx, docker.Since(since), docker.Until(time.Now()), docker.Filter("type", "network")) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Actor.Attributes["name"] == "web" {
			actions = append(actions, ev.Action)
		}
	}
	if d := cmp.Diff([]string{"create", "connect", "disconnect", "destroy"}, actions); d != "" {
		t.Errorf("events of web (-want +got)\n%s", d)
	}
}

func TestNetworkModesRefuseOtherNetworks(t *testing.T) {
	t.Parallel()
	srv, ctrs := newFake(t, sleeper)
	nets := network.New(srv.Client())
	ctx := t.Context()
	if _, err := nets.Create(ctx, "n", network.CreateRequest{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ mode, msg string }{
		{"none", "container cannot be connected to multiple networks with one of the networks in private (none) mode"},
		{"host", "container sharing network namespace with another container or host cannot be connected to any other network"},
	} {
		c, err := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.WithHostConfig(container.HostConfig{NetworkMode: tc.mode}))
		if err != nil {
			t.Fatal(err)
		}
		if err := nets.Connect(ctx, "n", c.ID, nil); !errors.Is(err, docker.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v", tc.mode, err)
		}
	}
	c, _ := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.WithHostConfig(container.HostConfig{NetworkMode: "missing-net"}))
	if err := ctrs.Start(ctx, c.ID); !errors.Is(err, docker.ErrNotFound) || !strings.Contains(err.Error(), "network missing-net not found") {
		t.Errorf("start on a missing network: %v", err)
	}
}

// TestNetworkValidationMovedToCreate checks where a fixed address on the
// default bridge is refused: at start by an API 1.41 Engine, already at
// create from API 1.44.
func TestNetworkValidationMovedToCreate(t *testing.T) {
	t.Parallel()
	const msg = "user specified IP address is supported on user defined networks only"
	nc := container.WithNetworkingConfig(container.NetworkingConfig{
		EndpointsConfig: map[string]*container.EndpointSettings{"bridge": {IPAMConfig: &container.EndpointIPAMConfig{IPv4Address: "172.17.0.99"}}}})
	for _, v := range []string{"1.41", "1.44"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			_, ctrs := newFake(t, sleeper, dockertest.WithAPIVersion(v))
			c, err := ctrs.Create(t.Context(), container.Config{Image: "app:1"}, nc)
			if v == "1.44" {
				if !errors.Is(err, docker.ErrInvalidArgument) || !strings.Contains(err.Error(), msg) {
					t.Errorf("create: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := ctrs.Start(t.Context(), c.ID); !errors.Is(err, docker.ErrInvalidArgument) || !strings.Contains(err.Error(), msg) {
				t.Errorf("start: %v", err)
			}
		})
	}
}

func TestNetworkPrune(t *testing.T) {
	t.Parallel()
	srv, ctrs := newFake(t, sleeper)
	nets := network.New(srv.Client())
	ctx := t.Context()
	for _, name := range []string{"p1", "p2", "keep", "busy"} {
		if _, err := nets.Create(ctx, name, network.CreateRequest{Labels: map[string]string{"prune": strings.TrimPrefix(name, "keep")}}); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.WithHostConfig(container.HostConfig{NetworkMode: "busy"}))
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	report, err := nets.Prune(ctx, network.Filter("label", "prune"), network.Filter("label!", "prune="))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(report.NetworksDeleted)
	if d := cmp.Diff([]string{"p1", "p2"}, report.NetworksDeleted); d != "" {
		t.Errorf("pruned (-want +got)\n%s", d)
	}
	report, err = nets.Prune(ctx, network.Filter("until", "1h"))
	if err != nil || len(report.NetworksDeleted) != 0 {
		t.Errorf("prune until an hour ago = %+v, %v", report, err)
	}
	if _, err := nets.Prune(ctx, network.Filter("dangling", "true")); !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("prune with an unknown filter: %v", err)
	}
}

// TestNetworkConcurrentStarts starts containers on one network from many
// goroutines: every one gets its own address.
func TestNetworkConcurrentStarts(t *testing.T) {
	t.Parallel()
	srv, ctrs := newFake(t, sleeper)
	nets := network.New(srv.Client())
	ctx := t.Context()
	if _, err := nets.Create(ctx, "busy", network.CreateRequest{IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.214.12.0/28"}}}}); err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() {
			c, err := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.WithHostConfig(container.HostConfig{NetworkMode: "busy", Binds: []string{"shared:/s"}}))
			if err == nil {
				err = ctrs.Start(ctx, c.ID)
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	d, err := nets.Inspect(ctx, "busy")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ep := range d.Containers {
		seen[ep.IPv4Address] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct addresses for %d containers: %v", len(seen), n, d.Containers)
	}
	// A /28 has 13 addresses for endpoints (not the network, broadcast or
	// gateway address): the 14th container cannot start.
	for i := n; i < 14; i++ {
		c, _ := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.WithHostConfig(container.HostConfig{NetworkMode: "busy"}))
		err := ctrs.Start(ctx, c.ID)
		if i < 13 && err != nil || i == 13 && err == nil {
			t.Errorf("container %d: start err = %v", i+1, err)
		}
	}
}

// TestNetworkEras checks what changed with the Engine the fake plays: the
// gateway of an endpoint on an internal network (gone from Engine 25, API
// 1.44) and the refusal to remove a network with endpoints (worded anew
// by Engines 28.1 and 28.2, APIs 1.49 and 1.50).
func TestNetworkEras(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		version string
		gateway string // of the endpoint on the internal network
		remove  string // the refusal, with NETID and EPID for the ids
	}{
		{"1.41", "10.214.12.1", "error while removing network: network inner id NETID has active endpoints"},
		{"1.43", "10.214.12.1", "error while removing network: network inner id NETID has active endpoints"},
		{"1.44", "", "error while removing network: network inner id NETID has active endpoints"},
		{"1.49", "", "error while removing network: network inner has active endpoints (a-box, b-box)"},
		{"1.50", "", `error while removing network: network inner has active endpoints (name:"a-box" id:"EPID", name:"b-box" id:"EPID")`},
		{"1.57", "", `error while removing network: network inner has active endpoints (name:"a-box" id:"EPID", name:"b-box" id:"EPID")`},
	} {
		t.Run(tc.version, func(t *testing.T) {
			t.Parallel()
			srv, ctrs := newFake(t, sleeper, dockertest.WithAPIVersion(tc.version))
			nets := network.New(srv.Client())
			ctx := t.Context()
			n, err := nets.Create(ctx, "inner", network.CreateRequest{Internal: true, IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.214.12.0/24"}}}})
			if err != nil {
				t.Fatal(err)
			}
			eps := map[string]string{}
			for _, name := range []string{"b-box", "a-box"} {
				c, err := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.Name(name), container.WithHostConfig(container.HostConfig{NetworkMode: "inner"}))
				if err != nil {
					t.Fatal(err)
				}
				if err := ctrs.Start(ctx, c.ID); err != nil {
					t.Fatal(err)
				}
				d, err := ctrs.Inspect(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				ep := d.NetworkSettings.Networks["inner"]
				if ep == nil || ep.Gateway != tc.gateway || ep.IPAddress == "" {
					t.Errorf("%s's endpoint: %+v, want gateway %q", name, ep, tc.gateway)
				}
				if ep != nil {
					eps[name] = ep.EndpointID
				}
			}
			want := strings.ReplaceAll(tc.remove, "NETID", n.ID)
			want = strings.Replace(want, "EPID", eps["a-box"][:12], 1)
			want = strings.Replace(want, "EPID", eps["b-box"][:12], 1)
			err = nets.Remove(ctx, n.ID)
			var de *docker.Error
			if !errors.As(err, &de) || de.StatusCode != 403 || de.Message != want {
				t.Errorf("remove: %v\nwant 403 %s", err, want)
			}
		})
	}
}
