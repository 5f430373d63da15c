package image

import (
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker"
)

func TestTag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		source, target string
		path           string
		want           url.Values
	}{
		{"sha256:" + hex64, "app", "/images/sha256:" + hex64 + "/tag", url.Values{"repo": {"docker.io/library/app"}, "tag": {"latest"}}},
		{"app:1", "127.0.0.1:5000/team/app:2", "/images/app:1/tag", url.Values{"repo": {"127.0.0.1:5000/team/app"}, "tag": {"2"}}},
		{"registry.local/x:1", "user/x:v1", "/images/registry.local%2Fx:1/tag", url.Values{"repo": {"docker.io/user/x"}, "tag": {"v1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			f := setup(t, "1.41", nil)
			if err := f.svc.Tag(t.Context(), tt.source, tt.target); err != nil {
				t.Fatal(err)
			}
			r := f.last(t)
			if r.Method != "POST" || r.Path != tt.path {
				t.Errorf("request = %s %s, want POST %s", r.Method, r.Path, tt.path)
			}
			if diff := cmp.Diff(tt.want, r.Query); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
		})
	}
	f := setup(t, "1.41", nil)
	for _, target := range []string{"", "Bad", "a@" + dgst, "a::b"} {
		if err := f.svc.Tag(t.Context(), "x", target); err == nil {
			t.Errorf("Tag to %q succeeded", target)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	g := setup(t, "1.41", status(409, "conflict"))
	if err := g.svc.Tag(t.Context(), "x", "y"); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("error = %v, want ErrConflict", err)
	}
}

func TestRemove(t *testing.T) {
	t.Parallel()
	body := `[{"Untagged":"app:1"},{"Untagged":"app@sha256:` + hex64 + `"},{"Deleted":"sha256:` + hex64 + `"}]`
	tests := []struct {
		name    string
		version string
		opts    []RemoveOption
		want    url.Values
	}{
		{"plain", "1.41", nil, url.Values{}},
		{"force noprune", "1.41", []RemoveOption{Force(), NoPrune()}, url.Values{"force": {"1"}, "noprune": {"1"}}},
		{"platforms", "1.50", []RemoveOption{Platform("linux/amd64"), Platform("linux/arm64/v8")},
			url.Values{"platforms": {`{"architecture":"amd64","os":"linux"}`, `{"architecture":"arm64","os":"linux","variant":"v8"}`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.version, jsonBody(body))
			got, err := f.svc.Remove(t.Context(), "app:1", tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			want := []DeleteResponse{{Untagged: "app:1"}, {Untagged: "app@sha256:" + hex64}, {Deleted: "sha256:" + hex64}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("result mismatch (-want +got):\n%s", diff)
			}
			r := f.last(t)
			if r.Method != "DELETE" || r.Path != "/images/app:1" {
				t.Errorf("request = %s %s", r.Method, r.Path)
			}
			if diff := cmp.Diff(tt.want, r.Query); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
		})
	}
	f := setup(t, "1.41", status(409, "image is being used by running container"))
	if _, err := f.svc.Remove(t.Context(), "app"); !errors.Is(err, docker.ErrConflict) {
		t.Errorf("error = %v, want ErrConflict", err)
	}
	// Podman leaves sha256: out of the deleted IDs; they come back with it.
	f = setup(t, "1.41", jsonBody(`[{"Deleted":"`+hex64+`"},{"Untagged":"docker.io/library/app:1"},{"Deleted":"not-an-id"}]`))
	got, err := f.svc.Remove(t.Context(), "app:1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]DeleteResponse{{Deleted: "sha256:" + hex64}, {Untagged: "docker.io/library/app:1"}, {Deleted: "not-an-id"}}, got); diff != "" {
		t.Errorf("Podman's answer (-want +got):\n%s", diff)
	}
}

func TestPrune(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", jsonBody(`{"ImagesDeleted":[{"Untagged":"a:1"},{"Deleted":"sha256:1"},{"Deleted":"`+hex64+`"}],"SpaceReclaimed":1234}`))
	got, err := f.svc.Prune(t.Context(), Filter("dangling", "false"), Filter("label", "berth.test.run=1"), Filter("until", "10m"))
	if err != nil {
		t.Fatal(err)
	}
	want := PruneReport{ImagesDeleted: []DeleteResponse{{Untagged: "a:1"}, {Deleted: "sha256:1"}, {Deleted: "sha256:" + hex64}}, SpaceReclaimed: 1234}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
	r := f.last(t)
	if r.Method != "POST" || r.Path != "/images/prune" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	if f := r.Query.Get("filters"); f != `{"dangling":["false"],"label":["berth.test.run=1"],"until":["10m"]}` {
		t.Errorf("filters = %s", f)
	}
}
