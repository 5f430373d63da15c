package integration

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/network"
	"github.com/berth-go/berth/internal/testing/testenv"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestNetworkLifecycle creates an internal bridge network with its own
// subnet, reads it back field by field, lists it, connects a created (never
// started) container with aliases and a fixed address, disconnects it and
// removes the network. No traffic is ever sent to a container address.
func TestNetworkLifecycle(t *testing.T) {
	t.Parallel()
	cli := testenv.Client(t)
	nets := network.New(cli)
	ctx := testenv.Context(t, 2*time0)

	name := testenv.Name("net")
	labels := nvLabels(map[string]string{"berth.test.purpose": "lifecycle"})
	created, prefix := nvSubnet(t, nets, name, network.CreateRequest{
		Driver:   "bridge",
		Internal: true,
		IPAM:     &network.IPAM{Options: map[string]string{"berth.ipam.opt": "1"}},
		Options:  map[string]string{"com.docker.network.driver.mtu": "1400"},
		Labels:   labels,
	})
	if created.ID == "" {
		t.Fatal("Create returned no id")
	}

	// Inspect, by id and by name, field by field.
	want := network.Details{
		Summary: network.Summary{
			Name: name, ID: created.ID, Scope: "local", Driver: "bridge", Internal: true,
			IPAM: network.IPAM{Driver: "default", Options: map[string]string{"berth.ipam.opt": "1"}, Config: []network.IPAMConfig{{
				Subnet: prefix + "0/24", IPRange: prefix + "128/25", Gateway: prefix + "1",
				AuxiliaryAddresses: map[string]string{"reserved": prefix + "2"},
			}}},
			Options: map[string]string{"com.docker.network.driver.mtu": "1400"},
			Labels:  labels,
		},
		Containers: map[string]network.EndpointResource{},
	}
	// EnableIPv4 came with API 1.48 (version-history.md, v1.48: GET
	// /networks/{id} returns EnableIPv4).
	if docker.CompareVersions(cli.APIVersion(), "1.48") >= 0 {
		want.EnableIPv4 = true
	}
	podman := testenv.OnPodman(t, testenv.PodmanNetworks)
	if podman {
		// netavark's terms: its own IPAM options, the MTU option by its
		// short name, no IP range or auxiliary addresses.
		want.IPAM.Options = map[string]string{"driver": "host-local"}
		want.IPAM.Config[0].IPRange, want.IPAM.Config[0].AuxiliaryAddresses = "", nil
		want.Options = map[string]string{"mtu": "1400"}
	}
	ignoreNewer := cmpopts.IgnoreFields(network.Details{}, "Status") // API >= 1.52 only
	for _, ref := range []string{created.ID, name, created.ID[:12]} {
		got, err := nets.Inspect(ctx, ref)
		if err != nil {
			t.Fatalf("Inspect(%s): %v", ref, err)
		}
		if time.Since(got.Created) > 10*time.Minute || got.Created.After(time.Now().Add(time.Minute)) {
			t.Errorf("Created = %v, want about now", got.Created)
		}
		got.Created = time.Time{}
		if diff := cmp.Diff(want, got, ignoreNewer); diff != "" {
			t.Errorf("Inspect(%s) (-want +got):\n%s", ref, diff)
		}
	}
	if _, err := nets.Inspect(ctx, name, network.Verbose(), network.Scope("local")); err != nil {
		t.Errorf("Inspect verbose, scope local: %v", err)
	}
	if _, err := nets.Inspect(ctx, name, network.Scope("swarm")); !podman && !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("Inspect scope swarm: err = %v, want ErrNotFound", err)
	}

	// List with filters.
	for _, tc := range []struct {
		name string
		opts []network.ListOption
		want bool
		typ  bool // uses the type filter, which Podman refuses
	}{
		{"label", []network.ListOption{network.Filter("label", testenv.RunFilter()), network.Filter("label", "berth.test.purpose=lifecycle")}, true, false},
		{"name", []network.ListOption{network.Filter("name", name)}, true, false},
		{"id", []network.ListOption{network.Filter("id", created.ID)}, true, false},
		{"driver and type", []network.ListOption{network.Filter("driver", "bridge"), network.Filter("type", "custom"), network.Filter("name", name)}, true, true},
		{"builtin", []network.ListOption{network.Filter("type", "builtin"), network.Filter("name", name)}, false, true},
		{"other label", []network.ListOption{network.Filter("label", "berth.test.purpose=nothing")}, false, false},
	} {
		if tc.typ && podman {
			_, err := nets.List(ctx, tc.opts...)
			wantRefusal(t, "List "+tc.name, err, nil, `invalid filter "type"`)
			continue
		}
		list, err := nets.List(ctx, tc.opts...)
		if err != nil {
			t.Fatalf("List %s: %v", tc.name, err)
		}
		found := slices.ContainsFunc(list, func(s network.Summary) bool { return s.ID == created.ID })
		if found != tc.want {
			t.Errorf("List %s: found = %v, want %v (%d networks)", tc.name, found, tc.want, len(list))
		}
	}
	_, err := nets.List(ctx, network.Filter("no-such-filter", "x"))
	wantRefusal(t, "List with an unknown filter", err, docker.ErrInvalidArgument, "invalid filter")

	// A created, never started container lives on a second internal
	// network; connect it to the first with aliases and a fixed address.
	other := nvNetwork(t, nets, testenv.Name("net-b"), network.CreateRequest{Internal: true, Labels: testenv.Labels()})
	ctr := nvContainer(t, cli, []string{"sleep", "60"}, map[string]any{"NetworkMode": other.ID}, nil)
	fixed := prefix + "50"
	err = nets.Connect(ctx, created.ID, ctr, &network.EndpointSettings{
		Aliases:    []string{"berth-web", "berth-www"},
		IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: fixed},
		DriverOpts: map[string]string{"berth.endpoint.opt": "1"},
	})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	eps := nvEndpoints(t, cli, ctr)
	ep, ok := eps[name]
	if !ok {
		t.Fatalf("container not on %s after Connect: %s", name, nvJSON(eps))
	}
	// Podman reads neither the fixed address nor the driver options back
	// (podman-networks).
	if (ep.IPAMConfig == nil || ep.IPAMConfig.IPv4Address != fixed) && !podman {
		t.Errorf("endpoint IPAMConfig = %+v, want IPv4Address %s", ep.IPAMConfig, fixed)
	}
	if !slices.Contains(ep.Aliases, "berth-web") || !slices.Contains(ep.Aliases, "berth-www") {
		t.Errorf("endpoint aliases = %v, want berth-web and berth-www", ep.Aliases)
	}
	if ep.DriverOpts["berth.endpoint.opt"] != "1" && !podman {
		t.Errorf("endpoint DriverOpts = %v", ep.DriverOpts)
	}

	// Connecting to a missing network or with a missing container.
	switch err := nets.Connect(ctx, "berth-no-such-network", ctr, nil); {
	case errors.Is(err, docker.ErrNotFound):
	case err == nil:
		// Engine 20.10 records the network for a container that is not
		// running and only resolves it at start.
		t.Logf("the Engine accepted connecting a created container to a missing network")
		if err := nets.Disconnect(ctx, "berth-no-such-network", ctr, network.Force()); err != nil {
			t.Logf("disconnecting it again: %v", err)
		}
	default:
		t.Errorf("Connect to a missing network: err = %v, want ErrNotFound (or success)", err)
	}
	if err := nets.Connect(ctx, created.ID, "berth-no-such-container", nil); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("Connect a missing container: err = %v, want ErrNotFound", err)
	}

	if err := nets.Disconnect(ctx, created.ID, ctr); err != nil {
		t.Fatalf("Disconnect: %v", err)
	}
	if eps := nvEndpoints(t, cli, ctr); len(eps) != 1 {
		t.Errorf("after Disconnect the container is on %s", nvJSON(eps))
	}
	err = nets.Disconnect(ctx, created.ID, ctr)
	var de *docker.Error
	if !errors.As(err, &de) {
		t.Errorf("Disconnect again: err = %v, want a *docker.Error", err)
	}
	if err := nets.Disconnect(ctx, created.ID, "berth-no-such-container", network.Force()); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("Disconnect a missing container: err = %v, want ErrNotFound", err)
	}

	if err := nets.Remove(ctx, created.ID); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, err := nets.Inspect(ctx, created.ID); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("Inspect after Remove: err = %v, want ErrNotFound", err)
	}
	if err := nets.Remove(ctx, created.ID); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("Remove again: err = %v, want ErrNotFound", err)
	}
}

// TestNetworkEndpoints runs a container on an internal network (it only
// sleeps; nothing talks to it) to see its endpoint in Inspect and the
// daemon refuse to remove the network under it.
func TestNetworkEndpoints(t *testing.T) {
	t.Parallel()
	cli := testenv.Client(t)
	nets := network.New(cli)
	ctx := testenv.Context(t, 2*time0)

	name := testenv.Name("net-ep")
	created, prefix := nvSubnet(t, nets, name, network.CreateRequest{Internal: true, Labels: testenv.Labels()})
	ctr := nvContainer(t, cli, []string{"sleep", "120"}, map[string]any{"NetworkMode": name},
		map[string]any{"EndpointsConfig": map[string]any{name: map[string]any{"Aliases": []string{"berth-db"}}}})
	nvStart(t, cli, ctr)

	got, err := nets.Inspect(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	ep, ok := got.Containers[ctr]
	if !ok {
		t.Fatalf("running container missing from Containers: %s", nvJSON(got.Containers))
	}
	// Podman's endpoints have no ID (podman-networks).
	if ep.EndpointID == "" && !testenv.OnPodman(t, testenv.PodmanNetworks) || ep.MacAddress == "" || !strings.HasPrefix(ep.IPv4Address, prefix) || !strings.HasSuffix(ep.IPv4Address, "/24") {
		t.Errorf("endpoint = %+v, want an id, a MAC and an address in %s0/24", ep, prefix)
	}
	// Engine 25 (API 1.44) stopped giving an endpoint on an internal
	// network a gateway (moby PR 46603: not versioned, and not in the API
	// changelog of version-history.md); the network's IPAM config still
	// lists it.
	gateway := prefix + "1"
	if docker.CompareVersions(cli.APIVersion(), "1.44") >= 0 {
		gateway = ""
	}
	// Podman names the network by name there (podman-networks).
	networkID := created.ID
	if testenv.ServerOf(t).Podman {
		networkID = name
	}
	eps := nvEndpoints(t, cli, ctr)
	if e := eps[name]; e.NetworkID != networkID || e.EndpointID != ep.EndpointID || e.Gateway != gateway || e.IPPrefixLen != 24 {
		t.Errorf("container's endpoint settings (want gateway %q) = %s", gateway, nvJSON(e))
	}

	// A running container's network cannot be removed. The Engine's
	// message changed with Engine 28 (20.10: "network NAME id ID has active
	// endpoints"; 28: "network NAME has active endpoints (name:... id:...)");
	// the status stays 403. Podman removes it when asked by ID, so there it
	// is asked by name.
	var de *docker.Error
	if testenv.OnPodman(t, testenv.PodmanNetworkRm) {
		wantRefusal(t, "Remove with an active endpoint", nets.Remove(ctx, name), docker.ErrForbidden, "network is being used")
	} else {
		err = nets.Remove(ctx, created.ID)
		if !errors.Is(err, docker.ErrForbidden) || !strings.Contains(err.Error(), " has active endpoints") {
			t.Errorf("Remove with an active endpoint: err = %v, want ErrForbidden saying it has active endpoints", err)
		}
		t.Logf("remove with endpoints: %v", err)
	}

	// Connecting it again under the same name is refused too.
	err = nets.Connect(ctx, created.ID, ctr, &network.EndpointSettings{Aliases: []string{"again"}})
	if !errors.As(err, &de) {
		t.Errorf("Connect twice: err = %v, want a *docker.Error", err)
	}
	t.Logf("connect twice: %v", err)
}

// TestNetworkPrune prunes by a label only this test uses.
func TestNetworkPrune(t *testing.T) {
	t.Parallel()
	cli := testenv.Client(t)
	nets := network.New(cli)
	ctx := testenv.Context(t, time0)

	mark := "berth.test.prune=" + testenv.Name("p")
	var names []string
	for i := 0; i < 2; i++ {
		name := testenv.Name("net-prune")
		nvNetwork(t, nets, name, network.CreateRequest{Internal: true, Labels: nvLabels(map[string]string{"berth.test.prune": strings.TrimPrefix(mark, "berth.test.prune=")})})
		names = append(names, name)
	}
	keep := testenv.Name("net-keep")
	nvNetwork(t, nets, keep, network.CreateRequest{Internal: true, Labels: testenv.Labels()})

	report, err := nets.Prune(ctx, network.Filter("label", mark), network.Filter("label", testenv.RunFilter()))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(report.NetworksDeleted)
	slices.Sort(names)
	if diff := cmp.Diff(names, report.NetworksDeleted); diff != "" {
		t.Errorf("NetworksDeleted (-want +got):\n%s", diff)
	}
	if _, err := nets.Inspect(ctx, keep); err != nil {
		t.Errorf("a network without the label was pruned: %v", err)
	}
	_, err = nets.Prune(ctx, network.Filter("no-such-filter", "1"))
	wantRefusal(t, "Prune with an unknown filter", err, docker.ErrInvalidArgument, "invalid filter")
}

// TestNetworkBadInput checks that the daemon's refusals arrive as the
// matching sentinels, and that odd names are escaped, never routed
// elsewhere.
func TestNetworkBadInput(t *testing.T) {
	t.Parallel()
	cli := testenv.Client(t)
	nets := network.New(cli)
	ctx := testenv.Context(t, time0)

	name := testenv.Name("net-bad")
	_, prefix := nvSubnet(t, nets, name, network.CreateRequest{Internal: true, Labels: testenv.Labels()})

	t.Run("duplicate name", func(t *testing.T) {
		_, err := nets.Create(ctx, name, network.CreateRequest{Internal: true, Labels: testenv.Labels()})
		wantRefusal(t, "create", err, docker.ErrConflict, "network already exists")
	})
	t.Run("overlapping subnet", func(t *testing.T) {
		created, err := nets.Create(ctx, testenv.Name("net-overlap"), network.CreateRequest{
			Internal: true, Labels: testenv.Labels(),
			IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: prefix + "0/25"}}},
		})
		if err == nil {
			nvRemoveNetwork(t, nets, created.ID)
			t.Fatal("an overlapping subnet was accepted")
		}
		// 20.10 answers 403; later Engines may answer 400.
		if testenv.ServerOf(t).Podman {
			wantRefusal(t, "create", err, nil, "is already used")
		} else if !errors.Is(err, docker.ErrForbidden) && !errors.Is(err, docker.ErrInvalidArgument) {
			t.Errorf("err = %v, want ErrForbidden or ErrInvalidArgument", err)
		}
		t.Logf("overlap: %v", err)
	})
	t.Run("invalid subnet", func(t *testing.T) {
		created, err := nets.Create(ctx, testenv.Name("net-invalid"), network.CreateRequest{
			Labels: testenv.Labels(), IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.213.300.0/24"}}},
		})
		if err == nil {
			nvRemoveNetwork(t, nets, created.ID)
			t.Fatal("an invalid subnet was accepted")
		}
		var de *docker.Error
		if !errors.As(err, &de) || !strings.Contains(de.Message, "10.213.300.0/24") {
			t.Errorf("err = %v, want a *docker.Error naming the subnet", err)
		}
		// API >= 1.44 says 400; 20.10 says 500.
		if docker.CompareVersions(cli.APIVersion(), "1.44") >= 0 && !errors.Is(err, docker.ErrInvalidArgument) {
			t.Errorf("err = %v, want ErrInvalidArgument", err)
		}
	})
	t.Run("unknown driver", func(t *testing.T) {
		_, err := nets.Create(ctx, testenv.Name("net-driver"), network.CreateRequest{Driver: "berth-no-such-driver", Labels: testenv.Labels()})
		wantRefusal(t, "create", err, docker.ErrNotFound, "unsupported driver")
	})
	t.Run("predefined network", func(t *testing.T) {
		// On Podman host and none are network modes, not networks
		// (podman-networks).
		if err := nets.Remove(ctx, "none"); testenv.OnPodman(t, testenv.PodmanNetworks) {
			if !errors.Is(err, docker.ErrNotFound) {
				t.Errorf("Remove(none): err = %v, want ErrNotFound", err)
			}
		} else if !errors.Is(err, docker.ErrForbidden) {
			t.Errorf("Remove(none): err = %v, want ErrForbidden", err)
		}
		_, err := nets.Create(ctx, "host", network.CreateRequest{Labels: testenv.Labels()})
		if testenv.ServerOf(t).Podman {
			wantRefusal(t, "Create(host)", err, nil, "conflicts with a valid network mode")
		} else if !errors.Is(err, docker.ErrForbidden) && !errors.Is(err, docker.ErrConflict) {
			t.Errorf("Create(host): err = %v, want ErrForbidden or ErrConflict", err)
		}
	})
	t.Run("name with a slash", func(t *testing.T) {
		slashed := "berth/" + testenv.Name("net-slash")
		created, err := nets.Create(ctx, slashed, network.CreateRequest{Internal: true, Labels: testenv.Labels()})
		if err != nil {
			// Some Engines, and Podman, refuse such names: then as a
			// daemon error.
			wantRefusal(t, "create", err, docker.ErrInvalidArgument, "names must match")
			return
		}
		t.Cleanup(func() { nvRemoveNetwork(t, nets, created.ID) })
		// The name travels as one escaped segment and finds this network.
		got, err := nets.Inspect(ctx, slashed)
		if err != nil || got.ID != created.ID {
			t.Fatalf("Inspect(%q) = %s, %v; want %s", slashed, got.ID, err, created.ID)
		}
		if err := nets.Remove(ctx, slashed); err != nil {
			t.Fatalf("Remove(%q): %v", slashed, err)
		}
	})
	t.Run("dot-dot id is refused locally", func(t *testing.T) {
		for _, id := range []string{"..", "../containers/json", "x/../../info"} {
			_, err := nets.Inspect(ctx, id)
			var de *docker.Error
			if err == nil || errors.As(err, &de) {
				t.Errorf("Inspect(%q): err = %v, want a local error", id, err)
			}
		}
	})
	t.Run("empty name", func(t *testing.T) {
		if _, err := nets.Create(ctx, "", network.CreateRequest{}); err == nil {
			t.Error("an empty name was accepted")
		}
	})
}
