package network

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
		{"one filter", []ListOption{Filter("label", "a=b")}, url.Values{"filters": {`{"label":["a=b"]}`}}},
		{"merged", []ListOption{Filter("label", "a=b"), Filter("driver", "bridge"), Filter("label", "c")},
			url.Values{"filters": {`{"driver":["bridge"],"label":["a=b","c"]}`}}},
		{"Filters map", []ListOption{Filters(map[string][]string{"type": {"custom"}})}, url.Values{"filters": {`{"type":["custom"]}`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("GET /v1.41/networks", http.StatusOK, `[{"Name":"bridge","Id":"abc","Driver":"bridge","Scope":"local","Containers":{}}]`)
			got, err := s.List(t.Context(), tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			want := []Summary{{Name: "bridge", ID: "abc", Driver: "bridge", Scope: "local"}}
			if diff := cmp.Diff(want, got); diff != "" {
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
	f.Reply("GET /v1.41/networks", http.StatusOK, `[]`)
	got, err := s.List(t.Context())
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("List = %#v, %v; want an empty, non-nil slice", got, err)
	}
}

func TestInspectOptionsAndEscaping(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		id        string
		opts      []InspectOption
		wantPath  string
		wantQuery url.Values
	}{
		{"plain", "n1", nil, "/v1.41/networks/n1", url.Values{}},
		{"verbose and scope", "n1", []InspectOption{Verbose(), Scope("swarm")}, "/v1.41/networks/n1", url.Values{"verbose": {"1"}, "scope": {"swarm"}}},
		{"slash in the name stays one segment", "team/net", nil, "/v1.41/networks/team%2Fnet", url.Values{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("GET /v1.41/networks/{id}", http.StatusOK, `{"Name":"x"}`)
			if _, err := s.Inspect(t.Context(), tc.id, tc.opts...); err != nil {
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

// TestInspectDecodesGoldenBodies decodes a body captured from the real
// Engine 20.10 (API 1.41) and the 1.56 spec's composed example.
func TestInspectDecodesGoldenBodies(t *testing.T) {
	t.Parallel()
	created41, _ := time.Parse(time.RFC3339Nano, "2026-11-22T18:19:35.896512234Z")
	created56, _ := time.Parse(time.RFC3339Nano, "2016-10-19T04:33:30.360899459Z")
	for _, tc := range []struct {
		file string
		want Details
	}{
		{"inspect-v1.41.json", Details{
			Summary: Summary{
				Name: "berth6-probe", ID: "6c902d0b458d95b8d0a0c8a67b91c085aeb5a18cbb60fe2d0d330983e8a40a74",
				Created: created41, Scope: "local", Driver: "bridge",
				IPAM: IPAM{Driver: "default", Options: map[string]string{"foo": "bar"}, Config: []IPAMConfig{{
					Subnet: "10.213.77.0/24", IPRange: "10.213.77.128/25", Gateway: "10.213.77.1",
					AuxiliaryAddresses: map[string]string{"host1": "10.213.77.5"},
				}}},
				Internal: true,
				Options:  map[string]string{"com.docker.network.driver.mtu": "1400"},
				Labels:   map[string]string{"berth.test": "1", "probe": "x"},
			},
			Containers: map[string]EndpointResource{},
		}},
		{"inspect-v1.56-composed.json", Details{
			Summary: Summary{
				Name: "my_network", ID: "7d86d31b1478e7cca9ebed7e73aa0fdeec46c5ca29497431d3007d2d9e15ed99",
				Created: created56, Scope: "local", Driver: "overlay", EnableIPv4: true,
				IPAM: IPAM{Driver: "default", Options: map[string]string{"foo": "bar"}, Config: []IPAMConfig{{
					Subnet: "172.20.0.0/16", IPRange: "172.20.10.0/24", Gateway: "172.20.10.11",
				}}},
				ConfigFrom: ConfigReference{Network: "config_only_network_01"},
				Options: map[string]string{
					"com.docker.network.bridge.default_bridge":       "true",
					"com.docker.network.bridge.enable_icc":           "true",
					"com.docker.network.bridge.enable_ip_masquerade": "true",
					"com.docker.network.bridge.host_binding_ipv4":    "0.0.0.0",
					"com.docker.network.bridge.name":                 "docker0",
					"com.docker.network.driver.mtu":                  "1500",
				},
				Labels: map[string]string{
					"com.example.some-label":       "some-value",
					"com.example.some-other-label": "some-other-value",
				},
				Peers: []PeerInfo{{Name: "6869d7c1732b", IP: "10.133.77.91"}},
			},
			Containers: map[string]EndpointResource{
				"19a4d5d687db25203351ed79d478946f861258f018fe384f229f2efa4b23513c": {
					Name: "test", EndpointID: "628cadb8bcb92de107b2a1e516cbffe463e321f548feb37697cce00ad694f21a",
					MacAddress: "02:42:ac:13:00:02", IPv4Address: "172.19.0.2/16",
				},
			},
			Status: &Status{IPAM: IPAMStatus{Subnets: map[string]SubnetStatus{
				"172.16.0.0/16":            {IPsInUse: 3, DynamicIPsAvailable: 65533},
				"2001:db8:abcd:0012::0/96": {IPsInUse: 5, DynamicIPsAvailable: 4294967291},
			}}},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			s, f := setup(t)
			f.Reply("GET /v1.41/networks/{id}", http.StatusOK, body)
			got, err := s.Inspect(t.Context(), "x")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Inspect (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInspectNotJSON(t *testing.T) {
	t.Parallel()
	s, f := setup(t)
	f.Reply("GET /v1.41/networks/{id}", http.StatusOK, "<html>proxy</html>")
	if _, err := s.Inspect(t.Context(), "x"); err == nil {
		t.Fatal("a non-JSON body was accepted")
	}
}
