package dockertest_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
	"github.com/google/go-cmp/cmp"
)

// TestImageListEras lists the same images at the API versions whose
// changelog entries change the list: the placeholders of untagged images
// (gone in 1.43), VirtualSize (gone in 1.44), shared-size (1.42) and the
// container count (always made from 1.51).
func TestImageListEras(t *testing.T) {
	t.Parallel()
	srv := dockertest.NewServer(t)
	base, err := srv.AddImage("base:1", image.Config{Entrypoint: []string{"app"}}, map[string][]byte{"/bin/app": make([]byte, 1000)})
	if err != nil {
		t.Fatal(err)
	}
	imgs := image.New(srv.Client())
	build := func(tag, dockerfile string) string {
		id, err := imgs.BuildAndWait(t.Context(), buildContext(t, "Dockerfile", dockerfile, "data.txt", "0123456789"), nil, image.Tags(tag))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	old := build("app:1", "FROM base:1\nCOPY data.txt /old.txt\n")
	app := build("app:1", "FROM base:1\nCOPY data.txt /data.txt\n") // leaves the first one untagged
	if _, err := container.New(srv.Client()).Create(t.Context(), container.Config{Image: "app:1"}); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Tags, Digests                []string
		Size, Virtual, Shared, Count int64
	}
	for _, tc := range []struct {
		version string
		shared  bool
		want    map[string]row
	}{
		{"1.41", false, map[string]row{
			base: {[]string{"base:1"}, []string{}, 1000, 1000, -1, -1},
			old:  {[]string{"<none>:<none>"}, []string{"<none>@<none>"}, 1010, 1010, -1, -1},
			app:  {[]string{"app:1"}, []string{}, 1010, 1010, -1, -1},
		}},
		{"1.42", true, map[string]row{
			base: {[]string{"base:1"}, []string{}, 1000, 1000, 1000, -1},
			old:  {[]string{"<none>:<none>"}, []string{"<none>@<none>"}, 1010, 1010, 1000, -1},
			app:  {[]string{"app:1"}, []string{}, 1010, 1010, 1000, -1},
		}},
		{"1.43", false, map[string]row{
			base: {[]string{"base:1"}, []string{}, 1000, 1000, -1, -1},
			old:  {[]string{}, []string{}, 1010, 1010, -1, -1},
			app:  {[]string{"app:1"}, []string{}, 1010, 1010, -1, -1},
		}},
		{"1.44", false, map[string]row{
			base: {[]string{"base:1"}, []string{}, 1000, 0, -1, -1},
			old:  {[]string{}, []string{}, 1010, 0, -1, -1},
			app:  {[]string{"app:1"}, []string{}, 1010, 0, -1, -1},
		}},
		{"1.51", true, map[string]row{
			base: {[]string{"base:1"}, []string{}, 1000, 0, 1000, 0},
			old:  {[]string{}, []string{}, 1010, 0, 1000, 0},
			app:  {[]string{"app:1"}, []string{}, 1010, 0, 1000, 1},
		}},
	} {
		t.Run(tc.version, func(t *testing.T) {
			cli, err := docker.New(docker.WithHost(srv.Host()), docker.WithAPIVersion(tc.version))
			if err != nil {
				t.Fatal(err)
			}
			defer cli.Close()
			var opts []image.ListOption
			if tc.shared {
				opts = append(opts, image.SharedSize())
			}
			list, err := image.New(cli).List(t.Context(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]row{}
			for _, s := range list {
				got[s.ID] = row{s.RepoTags, s.RepoDigests, s.Size, s.VirtualSize, s.SharedSize, s.Containers}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

// TestImageAttestations answers as an Engine with the classic image store.
func TestImageAttestations(t *testing.T) {
	t.Parallel()
	for version, status := range map[string]int{"1.54": 404, "1.55": 501, "1.57": 501} {
		srv := dockertest.NewServer(t, dockertest.WithAPIVersion(version))
		if _, err := srv.AddImage("app:1", image.Config{}, nil); err != nil {
			t.Fatal(err)
		}
		_, err := srv.Client().Do(t.Context(), &docker.Request{Path: "/images/app:1/attestations"})
		var de *docker.Error
		if !errors.As(err, &de) || de.StatusCode != status {
			t.Errorf("%s: %v, want %d", version, err, status)
		}
		if status != 501 {
			continue
		}
		_, err = image.New(srv.Client()).Attestations(t.Context(), "app:1")
		if !errors.Is(err, docker.ErrNotImplemented) || !errors.As(err, &de) || de.Message != "the legacy image store does not support attestations" {
			t.Errorf("%s: Attestations = %v", version, err)
		}
	}
}

// TestImageListFilters: before and since name an image; until (Engines
// from 25, API 1.44) takes a time; other filters are refused.
func TestImageListFilters(t *testing.T) {
	t.Parallel()
	srv := dockertest.NewServer(t)
	var ids []string
	for _, ref := range []string{"a:1", "b:1", "c:1"} {
		id, err := srv.AddImage(ref, image.Config{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		time.Sleep(2 * time.Millisecond) // distinct creation times
	}
	mid := time.Now()
	time.Sleep(2 * time.Millisecond)
	if _, err := srv.AddImage("d:1", image.Config{}, nil); err != nil {
		t.Fatal(err)
	}
	imgs := image.New(srv.Client())
	names := func(opts ...image.ListOption) []string {
		t.Helper()
		list, err := imgs.List(t.Context(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range list {
			out = append(out, s.RepoTags...)
		}
		slices.Sort(out)
		return out
	}
	for name, tc := range map[string]struct {
		opts []image.ListOption
		want []string
	}{
		"before": {[]image.ListOption{image.Filter("before", "b:1")}, []string{"a:1"}},
		"since":  {[]image.ListOption{image.Filter("since", "b:1")}, []string{"c:1", "d:1"}},
		"until":  {[]image.ListOption{image.Filter("until", docker.FormatTime(mid))}, []string{"a:1", "b:1", "c:1"}},
		"both":   {[]image.ListOption{image.Filter("since", "a:1"), image.Filter("before", "c:1")}, []string{"b:1"}},
	} {
		if got := names(tc.opts...); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
	if _, err := imgs.List(t.Context(), image.Filter("bogus", "x")); !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("unknown filter: %v", err)
	}
	if _, err := imgs.List(t.Context(), image.Filter("before", "nope:1")); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("before a missing image: %v", err)
	}
	old := dockertest.NewServer(t, dockertest.WithAPIVersion("1.43"))
	if _, err := image.New(old.Client()).List(t.Context(), image.Filter("until", "1h")); !errors.Is(err, docker.ErrInvalidArgument) {
		t.Errorf("until on an Engine of API 1.43: %v", err)
	}
}
