package plugin

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

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
		{"filters", []ListOption{Filter("capability", "volumedriver"), Filter("enabled", "true")},
			url.Values{"filters": {`{"capability":["volumedriver"],"enabled":["true"]}`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("GET /v1.41/plugins", http.StatusOK, `[{"Id":"abc","Name":"p:latest","Enabled":true}]`)
			got, err := s.List(t.Context(), tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]Plugin{{ID: "abc", Name: "p:latest", Enabled: true}}, got); diff != "" {
				t.Errorf("List (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantQuery, f.Last(t).Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListEmptyIsNotNil(t *testing.T) {
	t.Parallel()
	s, f := setup(t)
	f.Reply("GET /v1.41/plugins", http.StatusOK, `[]`)
	got, err := s.List(t.Context())
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("List = %#v, %v; want an empty, non-nil slice", got, err)
	}
}

// TestInspectGolden decodes a plugin created on the real Engine 20.10 and
// checks the name travels as one escaped segment.
func TestInspectGolden(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile(filepath.Join("testdata", "inspect-v1.41.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, f := setup(t)
	f.Reply("GET /v1.41/plugins/{name}/json", http.StatusOK, body)
	got, err := s.Inspect(t.Context(), "127.0.0.1:5013/b6probe:latest")
	if err != nil {
		t.Fatal(err)
	}
	if p := f.Last(t).Path; p != "/v1.41/plugins/127.0.0.1:5013%2Fb6probe:latest/json" {
		t.Errorf("path = %s", p)
	}
	want := Plugin{
		ID: "df261856d0a0eeb06ba0cbaf940423ddd9febdf9100b96dc55e1a99012e409b8", Name: "127.0.0.1:5013/b6probe:latest",
		PluginReference: "127.0.0.1:5013/b6probe:latest",
		Settings:        Settings{Mounts: []Mount{}, Env: []string{"DEBUG=0"}, Args: []string{}, Devices: []Device{}},
		Config: Config{
			DockerVersion: "20.10.24+dfsg1",
			Description:   "berth probe plugin", Documentation: "https://example.invalid",
			Interface:  Interface{Types: []string{"docker.volumedriver/1.0"}, Socket: "berth.sock"},
			Entrypoint: []string{"/berth-test", "sleep", "3600"},
			WorkDir:    "/",
			Network:    NetworkConfig{Type: "none"},
			Env:        []Env{{Name: "DEBUG", Description: "debug", Settable: []string{"value"}, Value: "0"}},
			Args:       Args{Name: "args", Settable: []string{"value"}, Value: []string{}},
			RootFS:     &RootFS{Type: "layers", DiffIDs: []string{"sha256:9684babfaa3c7eb2cc7e405514c50e0141b01996d7530194d32ff27712662f31"}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Inspect (-want +got):\n%s", diff)
	}
}

func TestQueryOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		do         func(s *Service) error
		wantMethod string
		wantPath   string
		wantQuery  url.Values
		wantBody   string
	}{
		{"enable sends the default timeout", func(s *Service) error { return s.Enable(t.Context(), "p") }, "POST", "/v1.41/plugins/p/enable", url.Values{"timeout": {"0"}}, ""},
		{"enable with timeout rounds up", func(s *Service) error { return s.Enable(t.Context(), "p", Timeout(1500*time.Millisecond)) },
			"POST", "/v1.41/plugins/p/enable", url.Values{"timeout": {"2"}}, ""},
		{"disable", func(s *Service) error { return s.Disable(t.Context(), "p") }, "POST", "/v1.41/plugins/p/disable", url.Values{}, ""},
		{"disable force", func(s *Service) error { return s.Disable(t.Context(), "p", Force()) },
			"POST", "/v1.41/plugins/p/disable", url.Values{"force": {"1"}}, ""},
		{"remove", func(s *Service) error { return s.Remove(t.Context(), "reg:5000/team/p:1") }, "DELETE", "/v1.41/plugins/reg:5000%2Fteam%2Fp:1", url.Values{}, ""},
		{"remove force", func(s *Service) error { return s.Remove(t.Context(), "p", Force()) },
			"DELETE", "/v1.41/plugins/p", url.Values{"force": {"1"}}, ""},
		{"set", func(s *Service) error { return s.Set(t.Context(), "p", "DEBUG=1", "args=-v") },
			"POST", "/v1.41/plugins/p/set", url.Values{}, `["DEBUG=1","args=-v"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("/", http.StatusOK, nil)
			if err := tc.do(s); err != nil {
				t.Fatal(err)
			}
			got := f.Last(t)
			if got.Method != tc.wantMethod || got.Path != tc.wantPath {
				t.Errorf("sent %s %s, want %s %s", got.Method, got.Path, tc.wantMethod, tc.wantPath)
			}
			if diff := cmp.Diff(tc.wantQuery, got.Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			if got.Body != tc.wantBody {
				t.Errorf("body = %q, want %q", got.Body, tc.wantBody)
			}
		})
	}
}

func TestSetWithoutSettings(t *testing.T) {
	t.Parallel()
	s, f := setup(t)
	f.Reply("/", http.StatusOK, nil)
	err := s.Set(t.Context(), "p")
	if err == nil {
		t.Fatal("Set without settings was accepted")
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
