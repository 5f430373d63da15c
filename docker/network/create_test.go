package network

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

func TestCreateBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		version string
		req     CreateRequest
		want    map[string]any
	}{
		{"defaults", "1.41", CreateRequest{}, map[string]any{"Name": "n", "CheckDuplicate": true}},
		{"everything", "1.56", CreateRequest{
			Driver: "bridge", Scope: "local", Internal: true, Attachable: true, Ingress: true,
			ConfigOnly: true, ConfigFrom: &ConfigReference{Network: "base"},
			IPAM: &IPAM{Driver: "default", Options: map[string]string{"o": "1"}, Config: []IPAMConfig{{
				Subnet: "10.213.7.0/24", IPRange: "10.213.7.128/25", Gateway: "10.213.7.1",
				AuxiliaryAddresses: map[string]string{"r": "10.213.7.2"},
			}}},
			EnableIPv4: ptr(false), EnableIPv6: ptr(true),
			Options: map[string]string{"com.docker.network.driver.mtu": "1400"},
			Labels:  map[string]string{"a": "b"},
		}, map[string]any{
			"Name": "n", "CheckDuplicate": true, "Driver": "bridge", "Scope": "local",
			"Internal": true, "Attachable": true, "Ingress": true, "ConfigOnly": true,
			"ConfigFrom": map[string]any{"Network": "base"},
			"IPAM": map[string]any{"Driver": "default", "Options": map[string]any{"o": "1"}, "Config": []any{map[string]any{
				"Subnet": "10.213.7.0/24", "IPRange": "10.213.7.128/25", "Gateway": "10.213.7.1",
				"AuxiliaryAddresses": map[string]any{"r": "10.213.7.2"},
			}}},
			"EnableIPv4": false, "EnableIPv6": true,
			"Options": map[string]any{"com.docker.network.driver.mtu": "1400"},
			"Labels":  map[string]any{"a": "b"},
		}},
		{"IPv6 off explicitly", "1.41", CreateRequest{EnableIPv6: ptr(false)},
			map[string]any{"Name": "n", "CheckDuplicate": true, "EnableIPv6": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setupVersion(t, tc.version)
			f.Reply("POST /v"+tc.version+"/networks/create", http.StatusCreated, `{"Id":"abc","Warning":"careful"}`)
			got, err := s.Create(t.Context(), "n", tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(CreateResponse{ID: "abc", Warning: "careful"}, got); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
			var body map[string]any
			if err := json.Unmarshal([]byte(f.Last(t).Body), &body); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCreateEnableIPv4NeedsAPI148: the changelog adds EnableIPv4 to
// POST /networks/create in API 1.48.
func TestCreateEnableIPv4NeedsAPI148(t *testing.T) {
	t.Parallel()
	s, f := setupVersion(t, "1.47")
	f.Reply("/", http.StatusCreated, `{"Id":"abc"}`)
	_, err := s.Create(t.Context(), "n", CreateRequest{EnableIPv4: ptr(false)})
	if !errors.Is(err, docker.ErrVersion) {
		t.Fatalf("err = %v, want ErrVersion", err)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestRemove(t *testing.T) {
	t.Parallel()
	s, f := setup(t)
	f.Reply("DELETE /v1.41/networks/{id}", http.StatusNoContent, nil)
	if err := s.Remove(t.Context(), "team/net"); err != nil {
		t.Fatal(err)
	}
	if got := f.Last(t); got.Method != http.MethodDelete || got.Path != "/v1.41/networks/team%2Fnet" {
		t.Errorf("sent %s %s", got.Method, got.Path)
	}
}

func TestPrune(t *testing.T) {
	t.Parallel()
	s, f := setup(t)
	f.Reply("POST /v1.41/networks/prune", http.StatusOK, `{"NetworksDeleted":["a","b"]}`)
	got, err := s.Prune(t.Context(), Filter("label", "x=y"), Filter("until", "10m"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(PruneReport{NetworksDeleted: []string{"a", "b"}}, got); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	want := url.Values{"filters": {`{"label":["x=y"],"until":["10m"]}`}}
	if diff := cmp.Diff(want, f.Last(t).Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}
