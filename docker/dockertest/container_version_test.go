package dockertest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/network"
	"github.com/google/go-cmp/cmp"
)

// signalled is a process that runs until stopped and exits 128+signal.
func signalled(ctx context.Context, _ *dockertest.ProcessIO) int {
	<-ctx.Done()
	sig, _ := dockertest.SignalOf(ctx)
	return dockertest.ExitCodeFor(sig)
}

// pinned is a client of srv that speaks API version v without negotiating.
func pinned(t *testing.T, srv *dockertest.Server, v string) *docker.Client {
	t.Helper()
	cli, err := docker.New(docker.WithHost(srv.Host()), docker.WithAPIVersion(v))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// TestContainerRequestEras sends the same container requests at API
// versions before and after the changelog entries that changed what the
// Engine does with them.
func TestContainerRequestEras(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, signalled)
	ctx := t.Context()
	umask := uint32(0o27)
	create := func(cli *docker.Client) container.Details {
		t.Helper()
		ctrs := container.New(cli)
		c, err := ctrs.Create(ctx, container.Config{Image: "app:1", Healthcheck: &container.HealthConfig{Test: []string{"NONE"}, StartInterval: 5e9}},
			container.WithHostConfig(container.HostConfig{
				Annotations: map[string]string{"a": "1"}, Umask: &umask,
				Resources: container.Resources{KernelMemory: 1 << 20, KernelMemoryTCP: 1 << 20},
				Mounts:    []container.Mount{{Type: container.MountVolume, Target: "/v", VolumeOptions: container.VolumeOptions{Subpath: "sub"}}},
			}))
		if err != nil {
			t.Fatal(err)
		}
		d, err := ctrs.Inspect(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	type kept struct {
		StartInterval              bool
		Annotations, Umask         bool
		KernelMemory, KernelMemTCP bool
		Subpath                    bool
	}
	for _, tc := range []struct {
		version string
		want    kept
	}{
		{"1.41", kept{KernelMemory: true, KernelMemTCP: true}},
		{"1.43", kept{Annotations: true, KernelMemTCP: true}},
		{"1.45", kept{StartInterval: true, Annotations: true, KernelMemTCP: true, Subpath: true}},
		{"1.52", kept{StartInterval: true, Annotations: true, Subpath: true}},
		{"1.56", kept{StartInterval: true, Annotations: true, Umask: true, Subpath: true}},
	} {
		d := create(pinned(t, srv, tc.version))
		got := kept{StartInterval: d.Config.Healthcheck != nil && d.Config.Healthcheck.StartInterval != 0,
			Annotations: d.HostConfig.Annotations != nil, Umask: d.HostConfig.Umask != nil,
			KernelMemory: d.HostConfig.KernelMemory != 0, KernelMemTCP: d.HostConfig.KernelMemoryTCP != 0,
			Subpath: len(d.HostConfig.Mounts) == 1 && d.HostConfig.Mounts[0].VolumeOptions.Subpath != ""}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: fields kept (-want +got)\n%s", tc.version, diff)
		}
	}

	// Options of another type of mount are refused from Engine 23 on.
	_, err := container.New(srv.Client()).Create(ctx, container.Config{Image: "app:1"}, container.WithHostConfig(container.HostConfig{
		Mounts: []container.Mount{{Type: container.MountTmpfs, Target: "/t", BindOptions: container.BindOptions{Propagation: "shared"}}}}))
	if !errors.Is(err, docker.ErrInvalidArgument) || !errors.As(err, new(*docker.Error)) {
		t.Errorf("tmpfs with bind options: %v", err)
	}

	// stop's signal parameter came with 1.42; an older request's is
	// ignored, and the stop signal is sent.
	for version, want := range map[string]int{"1.41": 143, "1.42": 138} {
		cli := pinned(t, srv, version)
		ctrs := container.New(cli)
		c, err := ctrs.Create(ctx, container.Config{Image: "app:1"})
		if err != nil {
			t.Fatal(err)
		}
		if err := ctrs.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := cli.Do(ctx, &docker.Request{Method: http.MethodPost, Path: "/containers/" + c.ID + "/stop", Query: url.Values{"signal": {"SIGUSR1"}}}); err != nil {
			t.Fatal(err)
		}
		if d, err := ctrs.Inspect(ctx, c.ID); err != nil || d.State.ExitCode != want {
			t.Errorf("%s: stop with signal SIGUSR1 exited %d (%v), want %d", version, d.State.ExitCode, err, want)
		}
	}
}

// TestWaitConditionEras: an unknown wait condition is refused by Engines
// from 23 (API 1.42) for requests of 1.30 and later; 20.10 waits as for
// not-running.
func TestWaitConditionEras(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		advertise, request string
		status             int
	}{{"1.41", "1.41", 200}, {"1.57", "1.29", 200}, {"1.57", "1.30", 400}, {"1.57", "1.57", 400}} {
		srv, ctrs := newFake(t, signalled, dockertest.WithAPIVersion(tc.advertise))
		c, err := ctrs.Create(t.Context(), container.Config{Image: "app:1"})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := pinned(t, srv, tc.request).Do(t.Context(), &docker.Request{Method: http.MethodPost, Path: "/containers/" + c.ID + "/wait",
			Query: url.Values{"condition": {"bogus"}}})
		var de *docker.Error
		switch {
		case tc.status == 200 && err == nil:
			resp.Body.Close()
		case tc.status == 400 && errors.As(err, &de) && de.StatusCode == 400 && de.Message == `invalid condition: "bogus"`:
		default:
			t.Errorf("%s/%s: %v, want %d", tc.advertise, tc.request, err, tc.status)
		}
	}
}

// TestContainerListAnnotations: the list shows annotations from 1.46 and
// filters on them from 1.56.
func TestContainerListAnnotations(t *testing.T) {
	t.Parallel()
	srv, ctrs := newFake(t, signalled)
	ctx := t.Context()
	for _, a := range []string{"x", "y"} {
		if _, err := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.Name("ann-"+a),
			container.WithHostConfig(container.HostConfig{Annotations: map[string]string{"team": a}})); err != nil {
			t.Fatal(err)
		}
	}
	list, err := ctrs.List(ctx, container.All(), container.Filter("annotation", "team=y"))
	if err != nil || len(list) != 1 || list[0].Names[0] != "/ann-y" || list[0].HostConfig.Annotations["team"] != "y" {
		t.Errorf("annotation filter: %+v, %v", list, err)
	}
	old := container.New(pinned(t, srv, "1.55"))
	if _, err := old.List(ctx, container.All(), container.Filter("annotation", "team")); !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("annotation filter on 1.55: %v", err)
	}
	list, err = container.New(pinned(t, srv, "1.45")).List(ctx, container.All())
	if err != nil || len(list) != 2 || list[0].HostConfig.Annotations != nil {
		t.Errorf("list on 1.45 shows annotations: %+v, %v", list, err)
	}
}

// TestStatsOSType: os_type is part of a stats sample from 1.52.
func TestStatsOSType(t *testing.T) {
	t.Parallel()
	srv, ctrs := newFake(t, signalled)
	c, err := ctrs.Create(t.Context(), container.Config{Image: "app:1"})
	if err != nil {
		t.Fatal(err)
	}
	for version, want := range map[string]string{"1.51": "", "1.52": "linux"} {
		resp, err := pinned(t, srv, version).Do(t.Context(), &docker.Request{Path: "/containers/" + c.ID + "/stats", Query: url.Values{"stream": {"0"}, "one-shot": {"1"}}})
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			OSType *string `json:"os_type"`
		}
		err = json.NewDecoder(resp.Body).Decode(&s)
		resp.Body.Close()
		got := ""
		if s.OSType != nil {
			got = *s.OSType
		}
		if err != nil || got != want {
			t.Errorf("%s: os_type %q (%v), want %q", version, got, err, want)
		}
	}
}

// TestConnectMACEras: Engines before API 1.54 kept a connect's MacAddress
// without applying it.
func TestConnectMACEras(t *testing.T) {
	t.Parallel()
	for version, applied := range map[string]bool{"1.53": false, "1.54": true} {
		srv, ctrs := newFake(t, signalled, dockertest.WithAPIVersion(version))
		ctx := t.Context()
		nets := network.New(srv.Client())
		if _, err := nets.Create(ctx, "lan", network.CreateRequest{IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.214.13.0/24"}}}}); err != nil {
			t.Fatal(err)
		}
		c2, err := ctrs.Create(ctx, container.Config{Image: "app:1"})
		if err != nil {
			t.Fatal(err)
		}
		const mac = "02:42:0a:d6:0d:99"
		if err := nets.Connect(ctx, "lan", c2.ID, &network.EndpointSettings{MacAddress: mac}); err != nil {
			t.Fatal(err)
		}
		if err := ctrs.Start(ctx, c2.ID); err != nil {
			t.Fatal(err)
		}
		d, err := ctrs.Inspect(ctx, c2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ep := d.NetworkSettings.Networks["lan"]; ep == nil || (ep.MacAddress == mac) != applied {
			t.Errorf("%s: endpoint %+v, MAC applied want %v", version, ep, applied)
		}
	}
}
