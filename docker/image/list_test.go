package image

import (
	"errors"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker"
)

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestList(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", jsonBody(readFile(t, "list.json")))
	got, err := f.svc.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []Summary{{
		ID:          "sha256:6619fc4e6dc1c5d1d27b815632688941871a300775a100fdbd6dfedc8eaa299d",
		ParentID:    "sha256:0c7137507c5908c18ec2d4a7419c0305f78fc2f49d86d9a9bd5679de448a772b",
		RepoTags:    []string{"berth-golden:1"},
		Created:     1795372231,
		Size:        3,
		SharedSize:  -1,
		VirtualSize: 3,
		Labels:      map[string]string{"berth.golden": "1", "berth.test": "1"},
		Containers:  -1,
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List mismatch (-want +got):\n%s", diff)
	}
	if got[0].CreatedTime() != time.Unix(1795372231, 0) {
		t.Errorf("CreatedTime = %v", got[0].CreatedTime())
	}
	if r := f.last(t); r.Method != "GET" || r.Path != "/images/json" || len(r.Query) != 0 {
		t.Errorf("request = %s %s ?%s", r.Method, r.Path, r.Query.Encode())
	}
}

func TestListV156(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.56", jsonBody(readFile(t, "list-v1.56.json")))
	got, err := f.svc.List(t.Context(), Manifests(), IncludeIdentity(), SharedSize())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Descriptor == nil || len(got[0].Manifests) == 0 {
		t.Fatalf("1.56 fields missing: %+v", got)
	}
	m := got[0].Manifests[0]
	if m.Kind == "" || m.Descriptor.Digest == "" || m.Size.Total == 0 {
		t.Errorf("manifest summary not decoded: %+v", m)
	}
}

func TestListOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		version string
		opts    []ListOption
		want    url.Values
	}{
		{"none", "1.41", nil, url.Values{}},
		{"all", "1.41", []ListOption{All()}, url.Values{"all": {"1"}}},
		{"digests", "1.41", []ListOption{Digests()}, url.Values{"digests": {"1"}}},
		{"filters", "1.41", []ListOption{Filter("label", "a=1", "b"), Filter("dangling", "true"), Filter("label", "c")},
			url.Values{"filters": {`{"dangling":["true"],"label":["a=1","b","c"]}`}}},
		{"shared size", "1.42", []ListOption{SharedSize()}, url.Values{"shared-size": {"1"}}},
		{"manifests", "1.47", []ListOption{Manifests()}, url.Values{"manifests": {"1"}}},
		{"identity", "1.54", []ListOption{IncludeIdentity()}, url.Values{"identity": {"1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.version, jsonBody("[]"))
			if _, err := f.svc.List(t.Context(), tt.opts...); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, f.last(t).Query); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVersionGates checks that parameters newer than the negotiated API
// fail with ErrVersion, naming the parameter, before anything is sent.
func TestVersionGates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		version string
		call    func(*Service) error
		what    string
	}{
		{"list shared-size", "1.41", func(s *Service) error { _, err := s.List(t.Context(), SharedSize()); return err }, "shared-size"},
		{"list manifests", "1.46", func(s *Service) error { _, err := s.List(t.Context(), Manifests()); return err }, "manifests"},
		{"list identity", "1.53", func(s *Service) error { _, err := s.List(t.Context(), IncludeIdentity()); return err }, "identity"},
		{"inspect manifests", "1.47", func(s *Service) error { _, err := s.Inspect(t.Context(), "x", Manifests()); return err }, "manifests"},
		{"inspect platform", "1.48", func(s *Service) error { _, err := s.Inspect(t.Context(), "x", Platform("linux/amd64")); return err }, "platform"},
		{"history platform", "1.47", func(s *Service) error { _, err := s.History(t.Context(), "x", Platform("linux")); return err }, "platform"},
		{"push platform", "1.45", func(s *Service) error { return first(s.Push(t.Context(), "x", Platform("linux/arm64"))) }, "platform"},
		{"remove platforms", "1.49", func(s *Service) error { _, err := s.Remove(t.Context(), "x", Platform("linux")); return err }, "platforms"},
		{"save platform", "1.47", func(s *Service) error { _, err := s.Save(t.Context(), "x", Platform("linux")); return err }, "platform"},
		{"save platforms", "1.51", func(s *Service) error {
			_, err := s.SaveMany(t.Context(), []string{"x"}, Platform("linux/amd64"), Platform("linux/arm64"))
			return err
		}, "several platforms"},
		{"load platforms", "1.51", func(s *Service) error {
			return first(s.Load(t.Context(), emptyReader{}, Platform("linux/amd64"), Platform("linux/arm64")))
		}, "several platforms"},
		{"build prune max-used-space", "1.47", func(s *Service) error { _, err := s.BuildPrune(t.Context(), MaxUsedSpace(1)); return err }, "max-used-space"},
		{"build prune min-free-space", "1.41", func(s *Service) error { _, err := s.BuildPrune(t.Context(), MinFreeSpace(1)); return err }, "min-free-space"},
		{"attestations", "1.54", func(s *Service) error { _, err := s.Attestations(t.Context(), "x"); return err }, "ImageAttestations"},
		{"build outputs", "1.39", func(s *Service) error {
			return first(s.Build(t.Context(), emptyReader{}, Outputs(BuildOutput{Type: "moby"})))
		}, "outputs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.version, nil)
			err := tt.call(f.svc)
			if !errors.Is(err, docker.ErrVersion) {
				t.Fatalf("error = %v, want ErrVersion", err)
			}
			if !contains(err.Error(), tt.what) {
				t.Errorf("error %q does not name %q", err, tt.what)
			}
			if n := len(f.requests()); n != 0 {
				t.Errorf("%d requests reached the fake Engine", n)
			}
		})
	}
}

func TestInspect(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", jsonBody(readFile(t, "inspect.json")))
	got, err := f.svc.Inspect(t.Context(), "berth-golden:1")
	if err != nil {
		t.Fatal(err)
	}
	if r := f.last(t); r.Path != "/images/berth-golden:1/json" || len(r.Query) != 0 {
		t.Errorf("request = %s ?%s", r.Path, r.Query.Encode())
	}
	created, _ := time.Parse(time.RFC3339Nano, "2026-11-22T18:30:31.067254348Z")
	tagged, _ := time.Parse(time.RFC3339Nano, "2026-11-22T18:30:32.014099786Z")
	env := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=1"}
	labels := map[string]string{"berth.golden": "1", "berth.test": "1"}
	want := Details{
		ID:          "sha256:6619fc4e6dc1c5d1d27b815632688941871a300775a100fdbd6dfedc8eaa299d",
		RepoTags:    []string{"berth-golden:1"},
		RepoDigests: []string{},
		Parent:      "sha256:0c7137507c5908c18ec2d4a7419c0305f78fc2f49d86d9a9bd5679de448a772b",
		Created:     created,
		Container:   "5ccb9b1cf87218d3ec063b5bc34d31969d7695305885d4981d429b02bad931a9",
		ContainerConfig: &Config{
			Hostname: "5ccb9b1cf872",
			Env:      env,
			Cmd:      []string{"/bin/sh", "-c", "#(nop) ", `CMD ["/f"]`},
			Image:    "sha256:0c7137507c5908c18ec2d4a7419c0305f78fc2f49d86d9a9bd5679de448a772b",
			Labels:   labels,
		},
		DockerVersion: "20.10.24+dfsg1",
		Config: &Config{
			Env:    env,
			Cmd:    []string{"/f"},
			Image:  "sha256:0c7137507c5908c18ec2d4a7419c0305f78fc2f49d86d9a9bd5679de448a772b",
			Labels: labels,
		},
		Architecture: "amd64",
		OS:           "linux",
		Size:         3,
		VirtualSize:  3,
		GraphDriver:  DriverData{Name: "vfs"},
		RootFS:       RootFS{Type: "layers", Layers: []string{"sha256:686247b0dd9f9699db9109529d581d08015884d2d5b9a1dc094c0fd961540f00"}},
		Metadata:     Metadata{LastTagTime: tagged},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Inspect mismatch (-want +got):\n%s", diff)
	}
}

func TestInspectV156(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.56", jsonBody(readFile(t, "inspect-v1.56.json")))
	got, err := f.svc.Inspect(t.Context(), "sha256:abc", Platform("linux/arm64/v8"))
	if err != nil {
		t.Fatal(err)
	}
	if r := f.last(t); r.Query.Get("platform") != `{"architecture":"arm64","os":"linux","variant":"v8"}` {
		t.Errorf("platform = %q", r.Query.Get("platform"))
	}
	if got.Descriptor == nil || got.Descriptor.Platform == nil || got.Descriptor.Platform.OSVersion == "" {
		t.Errorf("descriptor not decoded: %+v", got.Descriptor)
	}
	if len(got.Manifests) == 0 || got.Config == nil || got.RootFS.Type == "" {
		t.Errorf("1.56 fields missing: %+v", got)
	}
	if _, err := f.svc.Inspect(t.Context(), "x", Manifests()); err != nil {
		t.Fatal(err)
	}
	if r := f.last(t); r.Query.Get("manifests") != "1" {
		t.Errorf("manifests = %q", r.Query.Get("manifests"))
	}
	if _, err := f.svc.Inspect(t.Context(), "x", Manifests(), Platform("linux")); err == nil {
		t.Error("Manifests with Platform accepted")
	}
}

func TestHistory(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.48", jsonBody(readFile(t, "history.json")))
	got, err := f.svc.History(t.Context(), "registry.local:5000/app:1", Platform("Linux/AMD64"))
	if err != nil {
		t.Fatal(err)
	}
	r := f.last(t)
	if r.Path != "/images/registry.local:5000%2Fapp:1/history" {
		t.Errorf("path = %s", r.Path)
	}
	if p := r.Query.Get("platform"); p != `{"architecture":"amd64","os":"linux"}` {
		t.Errorf("platform = %s", p)
	}
	if len(got) != 4 || got[0].Tags[0] != "berth-golden:1" || got[3].Size != 3 || got[0].CreatedTime().Unix() != 1795372231 {
		t.Errorf("history = %+v", got)
	}
	// Podman leaves sha256: out; "<missing>" stays as it is.
	f = setup(t, "1.41", jsonBody(`[{"Id":"`+hex64+`","Created":1},{"Id":"<missing>","Created":1}]`))
	got, err = f.svc.History(t.Context(), "app")
	if err != nil || len(got) != 2 || got[0].ID != "sha256:"+hex64 || got[1].ID != "<missing>" {
		t.Errorf("Podman's history = %+v, %v", got, err)
	}
}

func TestPlatformErrors(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.56", nil)
	for _, p := range []string{"", "/", "linux//v7", "a/b/c/d", "linux/"} {
		if _, err := f.svc.History(t.Context(), "x", Platform(p)); err == nil {
			t.Errorf("Platform(%q) accepted", p)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
