package network

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/google/go-cmp/cmp"
)

func TestConnectBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		version  string
		endpoint *EndpointSettings
		want     map[string]any
	}{
		{"no endpoint config", "1.41", nil, map[string]any{"Container": "c1"}},
		{"aliases, fixed address, links, driver options", "1.41", &EndpointSettings{
			IPAMConfig: &EndpointIPAMConfig{IPv4Address: "10.213.7.9", IPv6Address: "fd00::9", LinkLocalIPs: []string{"169.254.1.1"}},
			Links:      []string{"db:database"},
			Aliases:    []string{"web", "www"},
			DriverOpts: map[string]string{"k": "v"},
		}, map[string]any{"Container": "c1", "EndpointConfig": map[string]any{
			"IPAMConfig": map[string]any{"IPv4Address": "10.213.7.9", "IPv6Address": "fd00::9", "LinkLocalIPs": []any{"169.254.1.1"}},
			"Links":      []any{"db:database"},
			"Aliases":    []any{"web", "www"},
			"DriverOpts": map[string]any{"k": "v"},
		}}},
		{"gateway priority and MAC on a new daemon", "1.56", &EndpointSettings{GwPriority: 10, MacAddress: "02:42:ac:11:00:04"},
			map[string]any{"Container": "c1", "EndpointConfig": map[string]any{"GwPriority": float64(10), "MacAddress": "02:42:ac:11:00:04"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setupVersion(t, tc.version)
			f.Reply("POST /v"+tc.version+"/networks/{id}/connect", http.StatusOK, nil)
			if err := s.Connect(t.Context(), "n1", "c1", tc.endpoint); err != nil {
				t.Fatal(err)
			}
			got := f.Last(t)
			if got.Path != "/v"+tc.version+"/networks/n1/connect" {
				t.Errorf("path = %s", got.Path)
			}
			var body map[string]any
			if err := json.Unmarshal([]byte(got.Body), &body); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConnectGwPriorityNeedsAPI148(t *testing.T) {
	t.Parallel()
	s, f := setup(t)
	f.Reply("/", http.StatusOK, nil)
	err := s.Connect(t.Context(), "n1", "c1", &EndpointSettings{GwPriority: 1})
	if !errors.Is(err, docker.ErrVersion) {
		t.Fatalf("err = %v, want ErrVersion", err)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestDisconnect(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts []DisconnectOption
		want DisconnectRequest
	}{
		{"plain", nil, DisconnectRequest{Container: "c1"}},
		{"force", []DisconnectOption{Force()}, DisconnectRequest{Container: "c1", Force: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("POST /v1.41/networks/{id}/disconnect", http.StatusOK, nil)
			if err := s.Disconnect(t.Context(), "n1", "c1", tc.opts...); err != nil {
				t.Fatal(err)
			}
			var got DisconnectRequest
			if err := json.Unmarshal([]byte(f.Last(t).Body), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}
