package dockertest_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/volume"
	"github.com/google/go-cmp/cmp"
)

// fileTool is a process that writes ("write PATH TEXT") or prints ("read
// PATH") a file of its container.
func fileTool(_ context.Context, p *dockertest.ProcessIO) int {
	switch {
	case len(p.Args) == 4 && p.Args[1] == "write":
		if err := p.Files.WriteFile(p.Args[2], []byte(p.Args[3]), 0o644); err != nil {
			fmt.Fprintln(p.Stderr, err)
			return 1
		}
	case len(p.Args) == 3 && p.Args[1] == "read":
		b, err := p.Files.ReadFile(p.Args[2])
		if err != nil {
			fmt.Fprintln(p.Stderr, err)
			return 1
		}
		_, _ = p.Stdout.Write(b)
	default:
		return 2
	}
	return 0
}

// runOut runs a container to its end and returns its exit status, stdout
// and stderr.
func runOut(t *testing.T, ctrs *container.Service, cfg container.Config, hc container.HostConfig) (string, int64, string, string) {
	t.Helper()
	ctx := t.Context()
	c, err := ctrs.Create(ctx, cfg, container.WithHostConfig(hc))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Fatalf("start: %v", err)
	}
	exit, err := ctrs.Wait(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	logs, err := ctrs.Logs(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	var out, errb bytes.Buffer
	if _, err := logs.Demux(&out, &errb); err != nil {
		t.Fatal(err)
	}
	return c.ID, exit.StatusCode, out.String(), errb.String()
}

func TestVolumeLifecycleAndSharing(t *testing.T) {
	t.Parallel()
	srv, ctrs := newFake(t, nil)
	srv.HandleProcess("tool", fileTool)
	cli := srv.Client()
	vols := volume.New(cli)
	ctx := t.Context()
	since := time.Now()

	created, err := vols.Create(ctx, volume.CreateRequest{Name: "data", Labels: map[string]string{"app": "shop"}})
	if err != nil {
		t.Fatal(err)
	}
	want := volume.Volume{Name: "data", Driver: "local", Mountpoint: "/var/lib/docker/volumes/data/_data", CreatedAt: created.CreatedAt,
		Labels: map[string]string{"app": "shop"}, Scope: "local"}
	if d := cmp.Diff(want, created); d != "" || time.Since(created.CreatedAt) > time.Minute {
		t.Errorf("Create (-want +got)\n%s", d)
	}
	again, err := vols.Create(ctx, volume.CreateRequest{Name: "data", Labels: map[string]string{"other": "x"}})
	if d := cmp.Diff(created, again); d != "" || err != nil {
		t.Errorf("Create again returns the volume as it is (-first +again), %v\n%s", err, d)
	}
	if got, err := vols.Inspect(ctx, "data"); err != nil || !cmp.Equal(created, got) {
		t.Errorf("Inspect = %+v, %v", got, err)
	}

	cfg := container.Config{Image: "app:1", Entrypoint: []string{"tool"}}
	cfg.Cmd = []string{"write", "/data/dir/hello.txt", "shared bytes"}
	writer, code, _, stderr := runOut(t, ctrs, cfg, container.HostConfig{Binds: []string{"data:/data"}})
	if code != 0 {
		t.Fatalf("writer exited %d: %s", code, stderr)
	}
	cfg.Cmd = []string{"read", "/mnt/dir/hello.txt"}
	reader, code, out, stderr := runOut(t, ctrs, cfg, container.HostConfig{Mounts: []container.Mount{{Type: container.MountVolume, Source: "data", Target: "/mnt", ReadOnly: true}}})
	if code != 0 || out != "shared bytes" {
		t.Errorf("reader exited %d with %q (%s)", code, out, stderr)
	}
	cfg.Cmd = []string{"write", "/mnt/nope", "x"}
	_, code, _, stderr = runOut(t, ctrs, cfg, container.HostConfig{Binds: []string{"data:/mnt:ro"}})
	if code != 1 || !strings.Contains(stderr, "read-only file system") {
		t.Errorf("writing to a read-only mount: exit %d, %q", code, stderr)
	}

	d, err := ctrs.Inspect(ctx, reader)
	if err != nil {
		t.Fatal(err)
	}
	wantMounts := []container.MountPoint{{Type: "volume", Name: "data", Source: "/var/lib/docker/volumes/data/_data", Destination: "/mnt", Driver: "local", Mode: "z"}}
	if d := cmp.Diff(wantMounts, d.Mounts); d != "" {
		t.Errorf("Mounts (-want +got)\n%s", d)
	}
	// The archive endpoints see the volume too.
	st, err := ctrs.Stat(ctx, writer, "/data/dir/hello.txt")
	if err != nil || st.Size != int64(len("shared bytes")) {
		t.Errorf("stat through the volume = %+v, %v", st, err)
	}

	for _, tc := range []struct {
		name string
		opts []volume.ListOption
		want []string
	}{
		{"all", nil, []string{"data"}},
		{"label", []volume.ListOption{volume.Filter("label", "app=shop")}, []string{"data"}},
		{"name", []volume.ListOption{volume.Filter("name", "^da")}, []string{"data"}},
		{"driver", []volume.ListOption{volume.Filter("driver", "loc")}, nil},
		{"dangling", []volume.ListOption{volume.Filter("dangling", "1")}, nil},
		{"in use", []volume.ListOption{volume.Filter("dangling", "false")}, []string{"data"}},
	} {
		list, err := vols.List(ctx, tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, v := range list.Volumes {
			names = append(names, v.Name)
		}
		if d := cmp.Diff(tc.want, names); d != "" {
			t.Errorf("List %s (-want +got)\n%s", tc.name, d)
		}
	}
	if _, err := vols.List(ctx, volume.Filter("dangling", "x")); !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("List dangling=x: %v", err)
	}
	if ps, _ := ctrs.List(ctx, container.All(), container.Filter("volume", "data")); len(ps) != 3 {
		t.Errorf("containers using the volume: %d, want 3", len(ps))
	}

	for _, opts := range [][]volume.RemoveOption{nil, {volume.Force()}} {
		err := vols.Remove(ctx, "data", opts...)
		if !errors.Is(err, docker.ErrConflict) || !strings.Contains(err.Error(), "remove data: volume is in use - [") {
			t.Errorf("Remove in use: %v", err)
		}
	}
	ps, _ := ctrs.List(ctx, container.All())
	for _, p := range ps {
		if err := ctrs.Remove(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := vols.Remove(ctx, "data"); err != nil {
		t.Fatal(err)
	}
	if err := vols.Remove(ctx, "data"); !errors.Is(err, docker.ErrNotFound) || !strings.Contains(err.Error(), "get data: no such volume") {
		t.Errorf("Remove again: %v", err)
	}
	if err := vols.Remove(ctx, "data", volume.Force()); err != nil {
		t.Errorf("Remove of a missing volume with force: %v", err)
	}

	var actions []string
	for ev, err := range cli.Events(ctx, docker.Since(since), docker.Until(time.Now()), docker.Filter("type", "volume")) {
		if err != nil {
			t.Fatal(err)
		}
		actions = append(actions, ev.Action)
	}
	if !slices.Contains(actions, "mount") || !slices.Contains(actions, "unmount") || actions[len(actions)-1] != "destroy" {
		t.Errorf("volume events %v", actions)
	}
}

func TestVolumeCreateRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, nil)
	vols := volume.New(srv.Client())
	for _, tc := range []struct {
		name   string
		req    volume.CreateRequest
		status int
		msg    string
	}{
		{"short name", volume.CreateRequest{Name: "a"}, 400, "create a: volume name is too short, names should be at least two alphanumeric characters"},
		{"bad name", volume.CreateRequest{Name: "a/b"}, 400, `create a/b: "a/b" includes invalid characters for a local volume name`},
		{"unknown driver", volume.CreateRequest{Name: "v1", Driver: "nfs"}, 404, `create v1: error looking up volume plugin nfs: plugin "nfs" not found`},
		{"unknown option", volume.CreateRequest{Name: "v2", DriverOpts: map[string]string{"foo": "bar"}}, 400, `create v2: invalid option: "foo"`},
		{"option without device", volume.CreateRequest{Name: "v3", DriverOpts: map[string]string{"o": "x"}}, 400, `create v3: missing required option: "device"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := vols.Create(t.Context(), tc.req)
			var de *docker.Error
			if !errors.As(err, &de) || de.StatusCode != tc.status || !strings.Contains(de.Message, tc.msg) {
				t.Errorf("err = %v, want %d %q", err, tc.status, tc.msg)
			}
		})
	}
	v, err := vols.Create(t.Context(), volume.CreateRequest{DriverOpts: map[string]string{"type": "tmpfs", "device": "tmpfs", "o": "size=1m"}})
	if err != nil || len(v.Name) != 64 || v.Options["type"] != "tmpfs" || v.Labels != nil {
		t.Errorf("anonymous volume = %+v, %v", v, err)
	}
}

// TestVolumePruneByVersion checks the per-version rule: before API 1.42
// every unused volume goes (and the all filter is refused); from 1.42 only
// anonymous ones, unless all is set.
func TestVolumePruneByVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		version string
		all     bool
		want    []string
		err     error
	}{
		{"1.41", false, []string{"anon", "named"}, nil},
		{"1.41", true, nil, docker.ErrInvalidArgument}, // raw all filter
		{"1.42", false, []string{"anon"}, nil},
		{"1.42", true, []string{"anon", "named"}, nil},
	} {
		t.Run(fmt.Sprintf("%s all=%v", tc.version, tc.all), func(t *testing.T) {
			t.Parallel()
			srv, ctrs := newFake(t, nil, dockertest.WithAPIVersion(tc.version))
			cli := srv.Client()
			vols := volume.New(cli)
			ctx := t.Context()
			anon, _ := vols.Create(ctx, volume.CreateRequest{Labels: map[string]string{"p": "1"}})
			for _, name := range []string{"named", "used", "unlabelled"} {
				labels := map[string]string{"p": "1"}
				if name == "unlabelled" {
					labels = nil
				}
				if _, err := vols.Create(ctx, volume.CreateRequest{Name: name, Labels: labels}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.WithHostConfig(container.HostConfig{Binds: []string{"used:/u"}})); err != nil {
				t.Fatal(err)
			}
			var report volume.PruneReport
			var err error
			if tc.version == "1.41" && tc.all {
				f := docker.Filters{"all": {"true"}, "label": {"p=1"}}
				err = cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/volumes/prune", Query: map[string][]string{"filters": {f.Encode()}}}, &report)
			} else {
				opts := []volume.PruneOption{volume.Filter("label", "p=1")}
				if tc.all {
					opts = append(opts, volume.All())
				}
				report, err = vols.Prune(ctx, opts...)
			}
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Errorf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, n := range tc.want {
				if n == "anon" {
					n = anon.Name
				}
				want = append(want, n)
			}
			slices.Sort(want)
			slices.Sort(report.VolumesDeleted)
			if d := cmp.Diff(want, report.VolumesDeleted); d != "" {
				t.Errorf("VolumesDeleted (-want +got)\n%s", d)
			}
		})
	}
}

func TestVolumeUpdateNeedsASwarm(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		version string
		status  int
	}{{"1.41", 404}, {"1.56", 503}} {
		srv, _ := newFake(t, nil, dockertest.WithAPIVersion(tc.version))
		err := srv.Client().DoJSON(t.Context(), &docker.Request{Method: http.MethodPut, Path: "/volumes/x", Query: map[string][]string{"version": {"1"}},
			JSON: map[string]any{"Spec": map[string]any{"Availability": "drain"}}}, nil)
		var de *docker.Error
		if !errors.As(err, &de) || de.StatusCode != tc.status {
			t.Errorf("API %s: err = %v, want %d", tc.version, err, tc.status)
		}
	}
	srv, _ := newFake(t, nil)
	err := volume.New(srv.Client()).Update(t.Context(), "x", 1, volume.ClusterVolumeSpec{Availability: "drain"})
	if !errors.Is(err, docker.ErrUnavailable) || !strings.Contains(err.Error(), "volume update only valid for cluster volumes, but swarm is unavailable") {
		t.Errorf("Update: %v", err)
	}
}

// TestVolumeMountsAtCreate covers anonymous volumes (Mounts without a
// source, the image's VOLUME paths), copying the image's files into a new
// volume, tmpfs, removal with v=1, and bad mount specifications.
func TestVolumeMountsAtCreate(t *testing.T) {
	t.Parallel()
	srv := dockertest.NewServer(t)
	srv.HandleProcess("tool", fileTool)
	if _, err := srv.AddImage("withvol:1", image.Config{Entrypoint: []string{"tool"}, Volumes: map[string]struct{}{"/var/db": {}}},
		map[string][]byte{"/var/db/seed.txt": []byte("seeded"), "/etc/conf": []byte("c")}); err != nil {
		t.Fatal(err)
	}
	ctrs, vols := container.New(srv.Client()), volume.New(srv.Client())
	ctx := t.Context()
	id, code, out, stderr := runOut(t, ctrs, container.Config{Image: "withvol:1", Cmd: []string{"read", "/var/db/seed.txt"}},
		container.HostConfig{Mounts: []container.Mount{{Type: container.MountVolume, Target: "/scratch"}, {Type: container.MountTmpfs, Target: "/tmp/t"}}})
	if code != 0 || out != "seeded" {
		t.Errorf("the image's files in its volume: exit %d %q %s", code, out, stderr)
	}
	d, _ := ctrs.Inspect(ctx, id)
	var types []string
	for _, m := range d.Mounts {
		types = append(types, string(m.Type)+":"+m.Destination)
		if m.Type == container.MountVolume && len(m.Name) != 64 {
			t.Errorf("anonymous volume name %q", m.Name)
		}
	}
	slices.Sort(types)
	if d := cmp.Diff([]string{"tmpfs:/tmp/t", "volume:/scratch", "volume:/var/db"}, types); d != "" {
		t.Errorf("mounts (-want +got)\n%s", d)
	}
	list, _ := vols.List(ctx)
	if len(list.Volumes) != 2 {
		t.Errorf("%d volumes, want the 2 anonymous ones", len(list.Volumes))
	}
	if err := ctrs.Remove(ctx, id, container.RemoveVolumes()); err != nil {
		t.Fatal(err)
	}
	if list, _ := vols.List(ctx); len(list.Volumes) != 0 {
		t.Errorf("anonymous volumes left after remove with v: %+v", list.Volumes)
	}
	// A file put into a volume through the archive endpoint lands in it.
	c, err := ctrs.Create(ctx, container.Config{Image: "withvol:1"}, container.WithHostConfig(container.HostConfig{Binds: []string{"arch:/in"}}))
	if err != nil {
		t.Fatal(err)
	}
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	_ = tw.WriteHeader(&tar.Header{Name: "f.txt", Mode: 0o644, Size: 2})
	_, _ = tw.Write([]byte("hi"))
	_ = tw.Close()
	if err := ctrs.CopyTo(ctx, c.ID, "/in", &tb); err != nil {
		t.Fatal(err)
	}
	_, code, out, _ = runOut(t, ctrs, container.Config{Image: "withvol:1", Cmd: []string{"read", "/x/f.txt"}}, container.HostConfig{Binds: []string{"arch:/x"}})
	if code != 0 || out != "hi" {
		t.Errorf("file copied into the volume: exit %d %q", code, out)
	}
	rc, _, err := ctrs.CopyFrom(ctx, c.ID, "/in")
	if err != nil {
		t.Fatal(err)
	}
	names := tarNames(t, rc)
	if d := cmp.Diff([]string{"in/", "in/f.txt"}, names); d != "" {
		t.Errorf("archive of the mount point (-want +got)\n%s", d)
	}

	for _, tc := range []struct {
		name string
		hc   container.HostConfig
		msg  string
	}{
		{"duplicate", container.HostConfig{Binds: []string{"a1:/d", "a2:/d"}}, "Duplicate mount point: /d"},
		{"relative", container.HostConfig{Binds: []string{"a1:rel"}}, "mount path must be absolute"},
		{"bad spec", container.HostConfig{Binds: []string{"justone"}}, "invalid volume specification: 'justone'"},
		{"no target", container.HostConfig{Mounts: []container.Mount{{Type: container.MountVolume, Source: "a3"}}}, "field Target must not be empty"},
	} {
		_, err := ctrs.Create(ctx, container.Config{Image: "withvol:1"}, container.WithHostConfig(tc.hc))
		if !errors.Is(err, docker.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func tarNames(t *testing.T, rc io.ReadCloser) []string {
	t.Helper()
	defer rc.Close()
	var names []string
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
}
