package dockertest_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/volume"
	"github.com/google/go-cmp/cmp"
)

// TestDiskUsageEras asks GET /system/df at the versions that changed its
// answer: the object lists until 1.52, the per-type summaries from 1.52
// (both in 1.52), verbose (1.52) and the type parameter (1.42).
func TestDiskUsageEras(t *testing.T) {
	t.Parallel()
	srv := dockertest.NewServer(t)
	srv.HandleProcess("app", func(ctx context.Context, p *dockertest.ProcessIO) int { return 0 })
	if _, err := srv.AddImage("app:1", image.Config{Entrypoint: []string{"app"}}, map[string][]byte{"/app": make([]byte, 100)}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddImage("unused:1", image.Config{}, map[string][]byte{"/x": make([]byte, 40)}); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := volume.New(srv.Client()).Create(ctx, volume.CreateRequest{Name: "data"}); err != nil {
		t.Fatal(err)
	}
	if _, err := container.New(srv.Client()).Create(ctx, container.Config{Image: "app:1"},
		container.WithHostConfig(container.HostConfig{Binds: []string{"data:/data"}})); err != nil {
		t.Fatal(err)
	}
	type shape struct {
		LayersSize                   int64
		Images, Containers, Volumes  int // items in the legacy lists
		Summaries                    []string
		ImageItems                   int
		ImageTotal, ImageReclaimable int64
	}
	look := func(du docker.DiskUsage) shape {
		sh := shape{LayersSize: du.LayersSize, Images: len(du.Images), Containers: len(du.Containers), Volumes: len(du.Volumes)}
		for name, u := range map[string]*docker.UsageSummary{"build-cache": du.BuildCacheUsage, "container": du.ContainerUsage, "image": du.ImageUsage, "volume": du.VolumeUsage} {
			if u != nil {
				sh.Summaries = append(sh.Summaries, name)
			}
		}
		slices.Sort(sh.Summaries)
		if du.ImageUsage != nil {
			sh.ImageItems, sh.ImageTotal, sh.ImageReclaimable = len(du.ImageUsage.Items), du.ImageUsage.TotalSize, du.ImageUsage.Reclaimable
		}
		return sh
	}
	all := []string{"build-cache", "container", "image", "volume"}
	for _, tc := range []struct {
		version string
		opts    []docker.DiskUsageOption
		want    shape
	}{
		{"1.41", nil, shape{LayersSize: 140, Images: 2, Containers: 1, Volumes: 1}},
		{"1.42", []docker.DiskUsageOption{docker.DiskUsageTypes("image")}, shape{LayersSize: 140, Images: 2}},
		{"1.52", nil, shape{LayersSize: 140, Images: 2, Containers: 1, Volumes: 1, Summaries: all, ImageTotal: 140, ImageReclaimable: 40}},
		{"1.52", []docker.DiskUsageOption{docker.Verbose()}, shape{Summaries: all, ImageItems: 2, ImageTotal: 140, ImageReclaimable: 40}},
		{"1.57", nil, shape{Summaries: all, ImageTotal: 140, ImageReclaimable: 40}},
		{"1.57", []docker.DiskUsageOption{docker.DiskUsageTypes("volume", "container")}, shape{Summaries: []string{"container", "volume"}}},
	} {
		cli, err := docker.New(docker.WithHost(srv.Host()), docker.WithAPIVersion(tc.version))
		if err != nil {
			t.Fatal(err)
		}
		du, err := cli.DiskUsage(ctx, tc.opts...)
		cli.Close()
		if err != nil {
			t.Fatalf("%s: %v", tc.version, err)
		}
		if d := cmp.Diff(tc.want, look(du)); d != "" {
			t.Errorf("%s %d options (-want +got)\n%s", tc.version, len(tc.opts), d)
		}
		if len(du.Volumes) == 1 {
			var v volume.Volume
			if err := json.Unmarshal(du.Volumes[0], &v); err != nil || v.Name != "data" || v.UsageData == nil || v.UsageData.RefCount != 1 {
				t.Errorf("%s: volume item %s (%v)", tc.version, du.Volumes[0], err)
			}
		}
	}
}
