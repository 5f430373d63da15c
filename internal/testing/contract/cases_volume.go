package contract

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/volume"
	"github.com/berth-go/berth/internal/testing/testenv"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var volumeCases = []contractCase{
	{name: "AnonymousVolumesRemoveAndRun", run: func(h *harness) {
		// Remove keeps a container's anonymous volumes unless RemoveVolumes
		// is given; Run with RemoveWhenDone removes them with the container.
		ctx := h.ctx()
		vols := volume.New(h.tg.Client)
		anon := map[string]struct{}{"/data": {}}
		id := h.create(container.Config{Cmd: []string{"exit", "0"}, Volumes: anon})
		d, err := h.ctrs.Inspect(ctx, id)
		if err != nil || len(d.Mounts) != 1 || d.Mounts[0].Name == "" {
			h.Fatalf("inspect = %+v, %v; want one anonymous volume", d.Mounts, err)
		}
		kept := d.Mounts[0].Name
		h.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_ = vols.Remove(ctx, kept, volume.Force())
		})
		if err := h.ctrs.Remove(ctx, id); err != nil {
			h.Fatal(err)
		}
		if _, err := vols.Inspect(ctx, kept); err != nil {
			h.Errorf("after Remove without RemoveVolumes: %v, want the anonymous volume kept", err)
		}

		// Podman's volume events have no mount and name no container: the
		// run's volume cannot be told from another test's there.
		if h.onPodman(testenv.PodmanEventNames) {
			return
		}
		since := time.Now()
		res, err := h.ctrs.Run(ctx, container.Config{Image: h.tg.Image, Cmd: []string{"exit", "0"}, Volumes: anon, Labels: h.tg.Labels},
			container.WithHostConfig(container.HostConfig{NetworkMode: "none"}), container.RemoveWhenDone())
		if err != nil {
			h.Fatal(err)
		}
		var mounted []string // the volume the run mounted, from its event
		for ev, err := range h.tg.Client.Events(ctx, docker.Since(since), docker.Until(time.Now()),
			docker.Filter("type", "volume"), docker.Filter("event", "mount")) {
			if err != nil {
				h.Fatal(err)
			}
			if ev.Actor.Attributes["container"] == res.ID {
				mounted = append(mounted, ev.Actor.ID)
			}
		}
		if len(mounted) != 1 {
			h.Fatalf("volumes mounted by the run: %v, want one", mounted)
		}
		if _, err := vols.Inspect(ctx, mounted[0]); !errors.Is(err, docker.ErrNotFound) {
			_ = vols.Remove(ctx, mounted[0], volume.Force())
			h.Errorf("after Run with RemoveWhenDone: %v, want the anonymous volume removed (ErrNotFound)", err)
		}
	}},
	{name: "VolumeSharedBetweenContainers", run: func(h *harness) {
		ctx := h.ctx()
		vols := volume.New(h.tg.Client)
		name := testenv.Name("cvol")
		labels := h.labels(map[string]string{"berth.contract": "volume"})
		v := h.volume(vols, volume.CreateRequest{Name: name, Labels: labels})
		if v.Name != name || v.Driver != "local" || v.Scope != "local" || v.Mountpoint == "" || !cmp.Equal(labels, v.Labels) {
			h.Errorf("created = %+v", v)
		}
		if d := time.Since(v.CreatedAt); d > 10*time.Minute || d < -time.Minute {
			h.Errorf("CreatedAt = %v", v.CreatedAt)
		}
		// Podman's inspect says Options {} where create said null.
		if again, err := vols.Create(ctx, volume.CreateRequest{Name: name, Labels: labels}); err != nil || !cmp.Equal(v, again, cmpopts.EquateEmpty()) {
			h.Errorf("create again = %+v, %v", again, err)
		}
		if got, err := vols.Inspect(ctx, name); err != nil || !cmp.Equal(v, got, cmpopts.EquateEmpty()) {
			h.Errorf("inspect = %+v, %v", got, err)
		}

		const content = "shared through a volume\n"
		writer := h.createWith(container.Config{Cmd: []string{"writefile", "/data/dir/hello.txt", content}}, container.HostConfig{Binds: []string{name + ":/data"}})
		if code := h.startWait(writer); code != 0 {
			h.Fatalf("writer exited %d", code)
		}
		reader := h.createWith(container.Config{Cmd: []string{"cat-file", "/shared/dir/hello.txt"}},
			container.HostConfig{Mounts: []container.Mount{{Type: container.MountVolume, Source: name, Target: "/shared", ReadOnly: true}}})
		if code := h.startWait(reader); code != 0 {
			h.Errorf("reader exited %d", code)
		}
		if out := h.stdout(reader); out != content {
			h.Errorf("reader printed %q, want %q", out, content)
		}
		d, err := h.ctrs.Inspect(ctx, reader)
		if err != nil {
			h.Fatal(err)
		}
		if len(d.Mounts) != 1 || d.Mounts[0].Type != container.MountVolume || d.Mounts[0].Name != name || d.Mounts[0].Destination != "/shared" ||
			d.Mounts[0].RW || d.Mounts[0].Driver != "local" {
			h.Errorf("mounts = %+v", d.Mounts)
		}

		// The name is looked for in the answer, not filtered on: Podman
		// lists what matches any filter (podman-filters-or).
		listed := func(opts ...volume.ListOption) bool {
			list, err := vols.List(ctx, opts...)
			if err != nil {
				h.Fatal(err)
			}
			return slices.ContainsFunc(list.Volumes, func(x volume.Volume) bool { return x.Name == name })
		}
		if !listed(volume.Filter("dangling", "false"), volume.Filter("driver", "local"), volume.Filter("label", "berth.contract=volume")) {
			h.Error("list misses the volume in use")
		}
		if listed(volume.Filter("dangling", "true")) {
			h.Error("a volume in use is listed as dangling")
		}
		inUse := "volume is in use"
		if h.onPodman(testenv.PodmanVolumes) {
			inUse = "volume is being used"
		}
		for _, opts := range [][]volume.RemoveOption{nil, {volume.Force()}} {
			err := vols.Remove(ctx, name, opts...)
			if !errors.Is(err, docker.ErrConflict) || !strings.Contains(err.Error(), inUse) {
				h.Errorf("remove in use (%d options): %v", len(opts), err)
			}
		}
		for _, id := range []string{writer, reader} {
			if err := h.ctrs.Remove(ctx, id); err != nil {
				h.Fatal(err)
			}
		}
		if err := vols.Remove(ctx, name); err != nil {
			h.Fatal(err)
		}
		if _, err := vols.Inspect(ctx, name); !errors.Is(err, docker.ErrNotFound) {
			h.Errorf("inspect after remove: %v", err)
		}
		if err := vols.Remove(ctx, name); !errors.Is(err, docker.ErrNotFound) {
			h.Errorf("remove again: %v", err)
		}
	}},
	{name: "VolumeBindCreatesIt", run: func(h *harness) {
		ctx := h.ctx()
		vols := volume.New(h.tg.Client)
		name := testenv.Name("cvol-auto")
		h.Cleanup(func() { // after the container's removal, which runs first
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_ = vols.Remove(ctx, name, volume.Force())
		})
		h.createWith(container.Config{Cmd: []string{"exit", "0"}}, container.HostConfig{Binds: []string{name + ":/auto"}})
		v, err := vols.Inspect(ctx, name)
		if err != nil || v.Driver != "local" || len(v.Labels) != 0 {
			h.Errorf("volume made by a bind = %+v, %v", v, err)
		}
		if !h.onPodman(testenv.PodmanValidation) {
			_, err = vols.Create(ctx, volume.CreateRequest{Name: "x", Labels: h.labels(nil)})
			if !errors.Is(err, docker.ErrInvalidArgument) || !strings.Contains(err.Error(), "volume name is too short") {
				h.Errorf("a one-letter name: %v", err)
			}
		}
		_, err = vols.List(ctx, volume.Filter("no-such-filter", "x"))
		h.refused("list with an unknown filter", err, docker.ErrInvalidArgument, "invalid volume filter")
	}},
	{name: "VolumePruneByLabel", run: func(h *harness) {
		ctx := h.ctx()
		vols := volume.New(h.tg.Client)
		mark := testenv.Name("mark")
		var gone []string
		for range 2 {
			gone = append(gone, h.volume(vols, volume.CreateRequest{Name: testenv.Name("cvol-prune"), Labels: h.labels(map[string]string{"berth.contract.prune": mark})}).Name)
		}
		held := h.volume(vols, volume.CreateRequest{Name: testenv.Name("cvol-held"), Labels: h.labels(map[string]string{"berth.contract.prune": mark})}).Name
		h.createWith(container.Config{Cmd: []string{"exit", "0"}}, container.HostConfig{Binds: []string{held + ":/held"}})
		// All() counts named volumes from API 1.42; older Engines prune them
		// anyway.
		report, err := vols.Prune(ctx, volume.Filter("label", "berth.contract.prune="+mark), volume.All())
		if err != nil {
			h.Fatal(err)
		}
		slices.Sort(gone)
		slices.Sort(report.VolumesDeleted)
		if d := cmp.Diff(gone, report.VolumesDeleted); d != "" {
			h.Errorf("VolumesDeleted (-want +got)\n%s", d)
		}
		if _, err := vols.Inspect(ctx, held); err != nil {
			h.Errorf("the volume in use was pruned: %v", err)
		}
	}},
}

// volume creates a volume and removes it when the case ends.
func (h *harness) volume(vols *volume.Service, req volume.CreateRequest) volume.Volume {
	h.Helper()
	v, err := vols.Create(h.ctx(), req)
	if err != nil {
		h.Fatalf("create volume: %v", err)
	}
	h.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = vols.Remove(ctx, v.Name, volume.Force())
	})
	return v
}

// startWait starts a container and returns its exit status.
func (h *harness) startWait(id string) int64 {
	h.Helper()
	ctx := h.ctx()
	if err := h.ctrs.Start(ctx, id); err != nil {
		h.Fatalf("start: %v", err)
	}
	exit, err := h.ctrs.Wait(ctx, id)
	if err != nil {
		h.Fatalf("wait: %v", err)
	}
	return exit.StatusCode
}

// stdout returns what a container wrote to its standard output.
func (h *harness) stdout(id string) string {
	h.Helper()
	logs, err := h.ctrs.Logs(h.ctx(), id)
	if err != nil {
		h.Fatal(err)
	}
	defer logs.Close()
	var out bytes.Buffer
	if _, err := logs.Demux(&out, nil); err != nil {
		h.Fatal(err)
	}
	return out.String()
}
