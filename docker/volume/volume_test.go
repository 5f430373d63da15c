package volume

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/google/go-cmp/cmp"
)

func TestList(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		opts      []ListOption
		wantQuery url.Values
	}{
		{"no filters", nil, url.Values{}},
		{"filters merged", []ListOption{Filter("label", "a=b"), Filter("dangling", "true"), Filters(docker.Filters{"label": {"c"}})},
			url.Values{"filters": {`{"dangling":["true"],"label":["a=b","c"]}`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("GET /v1.41/volumes", http.StatusOK, `{"Volumes":[{"Name":"v1","Driver":"local","Scope":"local"}],"Warnings":["driver x is down"]}`)
			got, err := s.List(t.Context(), tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			want := ListResponse{Volumes: []Volume{{Name: "v1", Driver: "local", Scope: "local"}}, Warnings: []string{"driver x is down"}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("List (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantQuery, f.Last(t).Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodesGoldenBodies decodes a body captured from the real Engine 20.10
// and the 1.56 spec's composed list example.
func TestDecodesGoldenBodies(t *testing.T) {
	t.Parallel()
	t.Run("inspect-v1.41.json", func(t *testing.T) {
		t.Parallel()
		body, err := os.ReadFile(filepath.Join("testdata", "inspect-v1.41.json"))
		if err != nil {
			t.Fatal(err)
		}
		s, f := setup(t)
		f.Reply("GET /v1.41/volumes/{name}", http.StatusOK, body)
		got, err := s.Inspect(t.Context(), "berth6-probevol")
		if err != nil {
			t.Fatal(err)
		}
		want := Volume{
			Name: "berth6-probevol", Driver: "local", Mountpoint: "/var/lib/docker/volumes/berth6-probevol/_data",
			CreatedAt: time.Date(2026, 11, 22, 18, 20, 0, 0, time.UTC),
			Labels:    map[string]string{"berth.test": "1", "probe": "v"},
			Scope:     "local", Options: map[string]string{},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Inspect (-want +got):\n%s", diff)
		}
	})
	t.Run("list-v1.56-composed.json", func(t *testing.T) {
		t.Parallel()
		body, err := os.ReadFile(filepath.Join("testdata", "list-v1.56-composed.json"))
		if err != nil {
			t.Fatal(err)
		}
		s, f := setup(t)
		f.Reply("GET /v1.41/volumes", http.StatusOK, body)
		got, err := s.List(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := ListResponse{Volumes: []Volume{{
			Name: "tardis", Driver: "custom", Mountpoint: "/var/lib/docker/volumes/tardis",
			CreatedAt: time.Date(2016, 6, 7, 20, 31, 11, 853781916, time.UTC),
			Status:    map[string]any{"hello": "world"},
			Labels: map[string]string{
				"com.example.some-label":       "some-value",
				"com.example.some-other-label": "some-other-value",
			},
			Scope:         "local",
			ClusterVolume: &ClusterVolume{Version: docker.ObjectVersion{Index: 373531}},
			Options:       map[string]string{"device": "tmpfs", "o": "size=100m,uid=1000", "type": "tmpfs"},
		}}, Warnings: []string{}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("List (-want +got):\n%s", diff)
		}
	})
}

// TestClusterVolumeRoundTrip checks every cluster volume field survives
// encoding and decoding with the API's field names.
func TestClusterVolumeRoundTrip(t *testing.T) {
	t.Parallel()
	const body = `{
	"Name": "cv", "Driver": "csi", "Mountpoint": "", "Scope": "global", "Labels": {}, "Options": null,
	"UsageData": {"Size": -1, "RefCount": 2},
	"ClusterVolume": {
		"ID": "swarm-id", "Version": {"Index": 7},
		"CreatedAt": "2024-01-02T03:04:05Z", "UpdatedAt": "2024-01-02T03:04:06Z",
		"Spec": {
			"Group": "g",
			"AccessMode": {"Scope": "multi", "Sharing": "readonly", "MountVolume": {"FsType": "ext4", "MountFlags": ["ro"]}},
			"Secrets": [{"Key": "k", "Secret": "s"}],
			"AccessibilityRequirements": {"Requisite": [{"Segments": {"zone": "a"}}], "Preferred": [{"Segments": {"zone": "b"}}]},
			"CapacityRange": {"RequiredBytes": 10, "LimitBytes": 20},
			"Availability": "drain"
		},
		"Info": {"CapacityBytes": 30, "VolumeContext": {"c": "d"}, "VolumeID": "plugin-id", "AccessibleTopology": [{"Segments": {"zone": "a"}}]},
		"PublishStatus": [{"NodeID": "n1", "State": "published", "PublishContext": {"p": "q"}}]
	}}`
	var got Volume
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	want := Volume{
		Name: "cv", Driver: "csi", Scope: "global", Labels: map[string]string{},
		UsageData: &UsageData{Size: -1, RefCount: 2},
		ClusterVolume: &ClusterVolume{
			ID: "swarm-id", Version: docker.ObjectVersion{Index: 7},
			CreatedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), UpdatedAt: time.Date(2024, 1, 2, 3, 4, 6, 0, time.UTC),
			Spec: ClusterVolumeSpec{
				Group:                     "g",
				AccessMode:                &AccessMode{Scope: "multi", Sharing: "readonly", MountVolume: &MountVolume{FsType: "ext4", MountFlags: []string{"ro"}}},
				Secrets:                   []Secret{{Key: "k", Secret: "s"}},
				AccessibilityRequirements: &TopologyRequirement{Requisite: []Topology{{Segments: map[string]string{"zone": "a"}}}, Preferred: []Topology{{Segments: map[string]string{"zone": "b"}}}},
				CapacityRange:             &CapacityRange{RequiredBytes: 10, LimitBytes: 20},
				Availability:              "drain",
			},
			Info:          &ClusterVolumeInfo{CapacityBytes: 30, VolumeContext: map[string]string{"c": "d"}, VolumeID: "plugin-id", AccessibleTopology: []Topology{{Segments: map[string]string{"zone": "a"}}}},
			PublishStatus: []PublishStatus{{NodeID: "n1", State: "published", PublishContext: map[string]string{"p": "q"}}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("decode (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var again Volume
	if err := json.Unmarshal(b, &again); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestCreateBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		version string
		req     CreateRequest
		want    string
	}{
		{"anonymous", "1.41", CreateRequest{}, `{}`},
		{"named with options", "1.41", CreateRequest{Name: "data", Driver: "local",
			DriverOpts: map[string]string{"type": "tmpfs", "device": "tmpfs"}, Labels: map[string]string{"a": "b"}},
			`{"Name":"data","Driver":"local","DriverOpts":{"device":"tmpfs","type":"tmpfs"},"Labels":{"a":"b"}}`},
		{"cluster volume", "1.42", CreateRequest{Name: "cv", Driver: "csi",
			ClusterVolumeSpec: &ClusterVolumeSpec{Group: "g", AccessMode: &AccessMode{Scope: "single", Sharing: "none", BlockVolume: &BlockVolume{}}}},
			`{"Name":"cv","Driver":"csi","ClusterVolumeSpec":{"Group":"g","AccessMode":{"Scope":"single","Sharing":"none","BlockVolume":{}}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setupVersion(t, tc.version)
			f.Reply("POST /v"+tc.version+"/volumes/create", http.StatusCreated, `{"Name":"x","Driver":"local"}`)
			got, err := s.Create(t.Context(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "x" {
				t.Errorf("Create returned %+v", got)
			}
			if body := f.Last(t).Body; body != tc.want {
				t.Errorf("body = %s\nwant   %s", body, tc.want)
			}
		})
	}
}

func TestCreateClusterVolumeNeedsAPI142(t *testing.T) {
	t.Parallel()
	s, f := setup(t)
	f.Reply("/", http.StatusCreated, `{}`)
	_, err := s.Create(t.Context(), CreateRequest{ClusterVolumeSpec: &ClusterVolumeSpec{}})
	if !errors.Is(err, docker.ErrVersion) {
		t.Fatalf("err = %v, want ErrVersion", err)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestRemove(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		volume    string
		opts      []RemoveOption
		wantPath  string
		wantQuery url.Values
	}{
		{"plain", "v1", nil, "/v1.41/volumes/v1", url.Values{}},
		{"force", "v1", []RemoveOption{Force()}, "/v1.41/volumes/v1", url.Values{"force": {"1"}}},
		{"escaped", "a/b c", nil, "/v1.41/volumes/a%2Fb%20c", url.Values{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("DELETE /v1.41/volumes/{name}", http.StatusNoContent, nil)
			if err := s.Remove(t.Context(), tc.volume, tc.opts...); err != nil {
				t.Fatal(err)
			}
			got := f.Last(t)
			if got.Path != tc.wantPath {
				t.Errorf("path = %s, want %s", got.Path, tc.wantPath)
			}
			if diff := cmp.Diff(tc.wantQuery, got.Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}
