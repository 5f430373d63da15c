package volume

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/google/go-cmp/cmp"
)

func TestPrune(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		version   string
		opts      []PruneOption
		wantQuery url.Values
	}{
		{"no filters", "1.41", nil, url.Values{}},
		{"label", "1.41", []PruneOption{Filter("label", "a=b"), Filter("label!", "keep")},
			url.Values{"filters": {`{"label":["a=b"],"label!":["keep"]}`}}},
		{"all on 1.42 is sent", "1.42", []PruneOption{All(), Filter("label", "a")},
			url.Values{"filters": {`{"all":["true"],"label":["a"]}`}}},
		{"all alone on 1.56", "1.56", []PruneOption{All()}, url.Values{"filters": {`{"all":["true"]}`}}},
		// 1.41 daemons refuse the filter and prune named volumes anyway.
		{"all on 1.41 is not sent", "1.41", []PruneOption{All(), Filter("label", "a")},
			url.Values{"filters": {`{"label":["a"]}`}}},
		{"all alone on 1.41", "1.41", []PruneOption{All()}, url.Values{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setupVersion(t, tc.version)
			f.Reply("POST /v"+tc.version+"/volumes/prune", http.StatusOK, `{"VolumesDeleted":["a","b"],"SpaceReclaimed":4096}`)
			got, err := s.Prune(t.Context(), tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(PruneReport{VolumesDeleted: []string{"a", "b"}, SpaceReclaimed: 4096}, got); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantQuery, f.Last(t).Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPruneFilterOptionIsNotShared(t *testing.T) {
	t.Parallel()
	// One FilterOption value used twice must not accumulate "all".
	s, f := setupVersion(t, "1.56")
	f.Reply("POST /v1.56/volumes/prune", http.StatusOK, `{}`)
	label := Filter("label", "x")
	for i := 0; i < 2; i++ {
		if _, err := s.Prune(t.Context(), label, All()); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.Last(t).Query.Get("filters"); got != `{"all":["true"],"label":["x"]}` {
		t.Errorf("filters = %s", got)
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	s, f := setupVersion(t, "1.42")
	f.Reply("PUT /v1.42/volumes/{name}", http.StatusOK, nil)
	spec := ClusterVolumeSpec{Group: "g", Availability: "pause", AccessMode: &AccessMode{Scope: "single", Sharing: "none", MountVolume: &MountVolume{}}}
	if err := s.Update(t.Context(), "cv", 42, spec); err != nil {
		t.Fatal(err)
	}
	got := f.Last(t)
	if got.Method != http.MethodPut || got.Path != "/v1.42/volumes/cv" {
		t.Errorf("sent %s %s", got.Method, got.Path)
	}
	if diff := cmp.Diff(url.Values{"version": {"42"}}, got.Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	var body updateBody
	if err := json.Unmarshal([]byte(got.Body), &body); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(updateBody{Spec: spec}, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

func TestUpdateNeedsAPI142(t *testing.T) {
	t.Parallel()
	s, f := setup(t) // 1.41
	f.Reply("/", http.StatusOK, nil)
	err := s.Update(t.Context(), "cv", 1, ClusterVolumeSpec{Availability: "drain"})
	if !errors.Is(err, docker.ErrVersion) {
		t.Fatalf("err = %v, want ErrVersion", err)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
