package integration

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/volume"
	"github.com/berth-go/berth/internal/testing/testenv"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestVolumeLifecycle creates a labelled volume, writes a file into it from
// one container, reads it back through a second, and checks that a volume
// in use cannot be removed.
func TestVolumeLifecycle(t *testing.T) {
	t.Parallel()
	cli := testenv.Client(t)
	vols := volume.New(cli)
	ctx := testenv.Context(t, 2*time0)

	name := testenv.Name("vol")
	labels := nvLabels(map[string]string{"berth.test.purpose": "lifecycle"})
	created, err := vols.Create(ctx, volume.CreateRequest{Name: name, Driver: "local", Labels: labels})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time0)
		defer cancel()
		if err := vols.Remove(ctx, name, volume.Force()); err != nil && !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("removing volume %s: %v", name, err)
		}
	})
	if created.Name != name || created.Driver != "local" || created.Scope != "local" || created.Mountpoint == "" {
		t.Errorf("Create = %+v", created)
	}
	if d := time.Since(created.CreatedAt); d > 10*time.Minute || d < -time.Minute {
		t.Errorf("CreatedAt = %v, want about now", created.CreatedAt)
	}
	if diff := cmp.Diff(labels, created.Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}

	// Creating it again with the same driver returns the same volume.
	// (Podman's inspect says Options {} where create said null.)
	again, err := vols.Create(ctx, volume.CreateRequest{Name: name, Labels: labels})
	if err != nil {
		t.Fatalf("Create again: %v", err)
	}
	if diff := cmp.Diff(created, again, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Create again (-first +second):\n%s", diff)
	}

	got, err := vols.Inspect(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Inspect (-created +inspected):\n%s", diff)
	}

	// The volume is looked for in the answer: a name filter alongside
	// would not narrow it on Podman, which lists what matches any filter
	// (podman-filters-or).
	listed := func(opts ...volume.ListOption) bool {
		t.Helper()
		list, err := vols.List(ctx, opts...)
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if len(list.Warnings) > 0 {
			t.Logf("List warnings: %v", list.Warnings)
		}
		return slices.ContainsFunc(list.Volumes, func(v volume.Volume) bool { return v.Name == name })
	}
	if !listed(volume.Filter("label", testenv.RunFilter()), volume.Filter("label", "berth.test.purpose=lifecycle")) {
		t.Error("List by label misses the volume")
	}
	if !listed(volume.Filter("name", name)) || !listed(volume.Filter("driver", "local")) || !listed(volume.Filter("dangling", "true")) {
		t.Error("List by name, by driver or dangling=true misses the unused volume")
	}
	_, err = vols.List(ctx, volume.Filter("no-such-filter", "x"))
	wantRefusal(t, "List with an unknown filter", err, docker.ErrInvalidArgument, "invalid volume filter")

	// One container writes, another reads (read-only mount).
	const content = "berth volume round trip\n"
	writer := nvContainer(t, cli, []string{"writefile", "/data/dir/hello.txt", content},
		map[string]any{"Binds": []string{name + ":/data"}}, nil)
	if code, out := nvRun(t, cli, writer); code != 0 {
		t.Fatalf("writer exited %d: %s", code, out)
	}
	reader := nvContainer(t, cli, []string{"cat-file", "/data/dir/hello.txt"},
		map[string]any{"Mounts": []map[string]any{{"Type": "volume", "Source": name, "Target": "/data", "ReadOnly": true}}}, nil)
	code, out := nvRun(t, cli, reader)
	if code != 0 || out != content {
		t.Errorf("reader exited %d with %q, want 0 and %q", code, out, content)
	}
	if listed(volume.Filter("dangling", "true")) {
		t.Error("List dangling=true lists a volume in use")
	}
	if !listed(volume.Filter("dangling", "false")) {
		t.Error("List dangling=false misses a volume in use")
	}

	// In use (by stopped containers): refused, with or without Force.
	for _, opts := range [][]volume.RemoveOption{nil, {volume.Force()}} {
		if err := vols.Remove(ctx, name, opts...); !errors.Is(err, docker.ErrConflict) {
			t.Errorf("Remove in use (%d options): err = %v, want ErrConflict", len(opts), err)
		}
	}

	for _, id := range []string{writer, reader} {
		p := "/containers/" + id
		if err := cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: p, Query: url.Values{"force": {"1"}}}, nil); err != nil {
			t.Fatalf("removing container: %v", err)
		}
	}
	if err := vols.Remove(ctx, name); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, err := vols.Inspect(ctx, name); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("Inspect after Remove: err = %v, want ErrNotFound", err)
	}
	if err := vols.Remove(ctx, name); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("Remove again: err = %v, want ErrNotFound", err)
	}
}

// TestVolumeAnonymous creates a volume without a name and with driver
// options (a tmpfs).
func TestVolumeAnonymous(t *testing.T) {
	t.Parallel()
	cli := testenv.Client(t)
	vols := volume.New(cli)
	ctx := testenv.Context(t, time0)
	// No size option: Podman reads it as a quota (podman-volumes).
	opts := map[string]string{"type": "tmpfs", "device": "tmpfs", "o": "nodev,noexec"}
	v, err := vols.Create(ctx, volume.CreateRequest{DriverOpts: opts, Labels: testenv.Labels()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time0)
		defer cancel()
		_ = vols.Remove(ctx, v.Name)
	})
	if len(v.Name) != 64 {
		t.Errorf("generated name %q, want 64 hex digits", v.Name)
	}
	if diff := cmp.Diff(opts, v.Options); diff != "" {
		t.Errorf("Options (-want +got):\n%s", diff)
	}
	_, err = vols.Create(ctx, volume.CreateRequest{Driver: "berth-no-such-driver", Labels: testenv.Labels()})
	wantRefusal(t, "Create with an unknown driver", err, docker.ErrNotFound, "berth-no-such-driver")
	if _, err := vols.Inspect(ctx, "../../containers/json"); err == nil {
		t.Error("a name with .. elements was sent")
	}
}

// TestVolumePrune prunes by a label only this test uses: the unused
// volumes go, the one a container holds and the unlabelled one stay.
func TestVolumePrune(t *testing.T) {
	t.Parallel()
	cli := testenv.Client(t)
	vols := volume.New(cli)
	ctx := testenv.Context(t, 2*time0)

	mark := testenv.Name("p")
	mk := func(extra map[string]string) string {
		t.Helper()
		v, err := vols.Create(ctx, volume.CreateRequest{Name: testenv.Name("vol-prune"), Labels: nvLabels(extra)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time0)
			defer cancel()
			if err := vols.Remove(ctx, v.Name, volume.Force()); err != nil && !errors.Is(err, docker.ErrNotFound) {
				t.Errorf("removing volume %s: %v", v.Name, err)
			}
		})
		return v.Name
	}
	gone := []string{mk(map[string]string{"berth.test.prune": mark}), mk(map[string]string{"berth.test.prune": mark})}
	used := mk(map[string]string{"berth.test.prune": mark})
	kept := mk(nil)
	nvContainer(t, cli, []string{"echo"}, map[string]any{"Binds": []string{used + ":/data"}}, nil)

	// All() counts named volumes on API >= 1.42; older daemons prune them
	// anyway (and refuse the filter, which Prune therefore leaves out).
	// Two label filters must both match; Podman prunes what matches
	// either (podman-filters-or), so it gets only the one.
	filters := []volume.PruneOption{volume.Filter("label", "berth.test.prune="+mark), volume.Filter("label", testenv.RunFilter())}
	if testenv.OnPodman(t, testenv.PodmanFiltersOr) {
		filters = filters[:1]
	}
	report, err := vols.Prune(ctx, append(filters, volume.All())...)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(gone)
	slices.Sort(report.VolumesDeleted)
	if diff := cmp.Diff(gone, report.VolumesDeleted); diff != "" {
		t.Errorf("VolumesDeleted (-want +got):\n%s", diff)
	}
	for _, name := range []string{used, kept} {
		if _, err := vols.Inspect(ctx, name); err != nil {
			t.Errorf("volume %s was pruned: %v", name, err)
		}
	}

	// What the daemon itself does with the all filter.
	raw := &docker.Request{Method: http.MethodPost, Path: "/volumes/prune",
		Query: url.Values{"filters": {docker.Filters{"all": {"true"}, "label": {"berth.test.prune=" + mark + "-none"}}.Encode()}}}
	err = cli.DoJSON(ctx, raw, nil)
	if docker.CompareVersions(cli.APIVersion(), "1.42") < 0 {
		wantRefusal(t, "raw prune with all on API "+cli.APIVersion(), err, docker.ErrInvalidArgument, `"all" is an invalid volume filter`)
		t.Logf("API %s daemon on the all filter: %v", cli.APIVersion(), err)
	} else if err != nil {
		t.Errorf("raw prune with all: %v", err)
	}
}

// TestVolumeUpdateVersion checks that Update, a 1.42 endpoint, sends
// nothing to an older daemon, and that on newer ones a local volume cannot
// be updated. The client talks to the daemon the environment names, and a
// logger records each request it sends.
func TestVolumeUpdateVersion(t *testing.T) {
	t.Parallel()
	testenv.Client(t) // skip without a daemon
	rec := &nvRequestLog{}
	cli, err := docker.New(docker.FromEnv(), docker.WithLogger(slog.New(rec)))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ctx := testenv.Context(t, time0)
	err = volume.New(cli).Update(ctx, "berth-no-such-volume", 1, volume.ClusterVolumeSpec{Availability: "drain"})
	if docker.CompareVersions(cli.APIVersion(), "1.42") < 0 {
		if !errors.Is(err, docker.ErrVersion) {
			t.Fatalf("Update on API %s: err = %v, want ErrVersion", cli.APIVersion(), err)
		}
		if got := rec.paths(); slices.ContainsFunc(got, func(p string) bool { return p != "/_ping" }) || len(got) == 0 {
			t.Errorf("requests sent: %v, want only the version negotiation", got)
		}
		t.Logf("Update on API %s: %v (sent: %v)", cli.APIVersion(), err, rec.paths())
		return
	}
	var de *docker.Error
	if !errors.As(err, &de) {
		t.Errorf("Update of a missing volume: err = %v, want a *docker.Error", err)
	}
	if got := rec.paths(); !slices.Contains(got, "/volumes/berth-no-such-volume") {
		t.Errorf("requests sent: %v, want the update's", got)
	}
}

// nvRequestLog is a slog.Handler that keeps the path of every request the
// client logs (at debug level, as "docker: request" or "docker: request
// failed").
type nvRequestLog struct {
	mu   sync.Mutex
	seen []string
}

func (l *nvRequestLog) Enabled(context.Context, slog.Level) bool { return true }

func (l *nvRequestLog) Handle(_ context.Context, r slog.Record) error {
	if !strings.HasPrefix(r.Message, "docker: request") {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "path" {
			l.mu.Lock()
			l.seen = append(l.seen, a.Value.String())
			l.mu.Unlock()
		}
		return true
	})
	return nil
}

func (l *nvRequestLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *nvRequestLog) WithGroup(string) slog.Handler      { return l }

func (l *nvRequestLog) paths() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.seen)
}
