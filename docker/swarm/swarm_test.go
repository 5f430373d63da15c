package swarm

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/google/go-cmp/cmp"
)

// jsonEqual compares two JSON texts by value.
func jsonEqual(t *testing.T, want, got string) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want: %v", err)
	}
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("got %q: %v", got, err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

func TestInit(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("POST /v1.41/swarm/init", http.StatusOK, `"node-1"`)
	limit := int64(3)
	id, err := c.Init(t.Context(), InitRequest{
		ListenAddr:       "0.0.0.0:2377",
		AdvertiseAddr:    "192.0.2.10:2377",
		DataPathAddr:     "eth1",
		DataPathPort:     4790,
		DefaultAddrPool:  []string{"10.20.0.0/16"},
		SubnetSize:       26,
		ForceNewCluster:  true,
		AutoLockManagers: true,
		Availability:     AvailabilityDrain,
		Spec: Spec{
			Name:          "default",
			Labels:        map[string]string{"a": "b"},
			Orchestration: &docker.OrchestrationConfig{TaskHistoryRetentionLimit: &limit},
		},
	})
	if err != nil || id != "node-1" {
		t.Fatalf("Init = %q, %v", id, err)
	}
	req := f.Last(t)
	if req.Method != http.MethodPost || req.Path != "/swarm/init" {
		t.Errorf("sent %s %s", req.Method, req.Path)
	}
	jsonEqual(t, `{
		"ListenAddr": "0.0.0.0:2377", "AdvertiseAddr": "192.0.2.10:2377", "DataPathAddr": "eth1",
		"DataPathPort": 4790, "DefaultAddrPool": ["10.20.0.0/16"], "SubnetSize": 26,
		"ForceNewCluster": true, "AutoLockManagers": true, "Availability": "drain",
		"Spec": {"Name": "default", "Labels": {"a": "b"}, "Orchestration": {"TaskHistoryRetentionLimit": 3},
			"Raft": {}, "EncryptionConfig": {"AutoLockManagers": true}, "TaskDefaults": {}}
	}`, req.Body)
}

func TestJoin(t *testing.T) {
	t.Parallel()
	// Join needs a second Engine, so it is tested against the fake only.
	c, f := setup(t)
	f.Reply("POST /v1.41/swarm/join", http.StatusOK, nil)
	req := JoinRequest{
		ListenAddr:    "0.0.0.0:2377",
		AdvertiseAddr: "192.0.2.11",
		DataPathAddr:  "192.0.2.11",
		RemoteAddrs:   []string{"192.0.2.10:2377"},
		JoinToken:     "SWMTKN-1-secret-token",
		Availability:  AvailabilityPause,
	}
	if err := c.Join(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, `{"ListenAddr": "0.0.0.0:2377", "AdvertiseAddr": "192.0.2.11", "DataPathAddr": "192.0.2.11",
		"RemoteAddrs": ["192.0.2.10:2377"], "JoinToken": "SWMTKN-1-secret-token", "Availability": "pause"}`, f.Last(t).Body)

	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("join", "req", req)
	for _, s := range []string{req.String(), fmt.Sprintf("%v %+v %#v %s", req, req, req, req), logged.String()} {
		if strings.Contains(s, "secret-token") {
			t.Errorf("the join token is shown: %s", s)
		}
	}

	for name, bad := range map[string]JoinRequest{
		"no remote": {ListenAddr: "0.0.0.0:2377", JoinToken: "t"},
		"no token":  {ListenAddr: "0.0.0.0:2377", RemoteAddrs: []string{"m:2377"}},
	} {
		c, f := setup(t)
		f.Reply("/", http.StatusOK, nil)
		if err := c.Join(t.Context(), bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if n := len(f.Requests()); n != 0 {
			t.Errorf("%s: %d requests sent", name, n)
		}
	}
}

func TestJoinAlreadyInSwarm(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("POST /v1.41/swarm/join", http.StatusServiceUnavailable,
		map[string]string{"message": "This node is already part of a swarm."})
	err := c.Join(t.Context(), JoinRequest{ListenAddr: "0.0.0.0", RemoteAddrs: []string{"m"}, JoinToken: "t"})
	if !errors.Is(err, docker.ErrUnavailable) {
		t.Errorf("err = %v, want docker.ErrUnavailable", err)
	}
}

func TestLeaveUnlock(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("/", http.StatusOK, nil)
	if err := c.Leave(t.Context()); err != nil {
		t.Fatal(err)
	}
	if q := f.Last(t).Query; len(q) != 0 {
		t.Errorf("leave without options sent %v", q)
	}
	if err := c.Leave(t.Context(), Force()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(url.Values{"force": {"1"}}, f.Last(t).Query); diff != "" {
		t.Errorf("leave query (-want +got):\n%s", diff)
	}
	if err := c.Unlock(t.Context(), "SWMKEY-1-abc"); err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, `{"UnlockKey": "SWMKEY-1-abc"}`, f.Last(t).Body)
	n := len(f.Requests())
	if err := c.Unlock(t.Context(), ""); err == nil || len(f.Requests()) != n {
		t.Errorf("empty unlock key: err %v, sent %d", err, len(f.Requests())-n)
	}
}

func TestInspectAndUnlockKey(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("GET /v1.41/swarm", http.StatusOK, fixture(t, "swarm-v1.41.json"))
	f.Reply("GET /v1.41/swarm/unlockkey", http.StatusOK, `{"UnlockKey":"SWMKEY-1-k"}`)
	info, err := c.Inspect(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.ID == "" || info.Version.Index == 0 || info.Spec.Raft.SnapshotInterval != 10000 ||
		info.Spec.Dispatcher == nil || info.Spec.Dispatcher.HeartbeatPeriod.Seconds() != 5 ||
		!strings.HasPrefix(info.TLSInfo.TrustRoot, "-----BEGIN CERTIFICATE-----") ||
		info.DataPathPort != 4789 || info.SubnetSize != 24 {
		t.Errorf("decoded swarm: %+v", info)
	}
	if !strings.HasPrefix(info.JoinTokens.Worker, "SWMTKN-1-") || !strings.HasPrefix(info.JoinTokens.Manager, "SWMTKN-1-") {
		t.Errorf("join tokens not decoded")
	}
	if s := fmt.Sprintf("%v %+v", info, info.JoinTokens); strings.Contains(s, "SWMTKN") {
		t.Errorf("join tokens printed: %s", s)
	}
	key, err := c.UnlockKey(t.Context())
	if err != nil || key != "SWMKEY-1-k" {
		t.Errorf("UnlockKey = %q, %v", key, err)
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts []UpdateOption
		want url.Values
	}{
		{"plain", nil, url.Values{"version": {"42"}}},
		{"rotate all", []UpdateOption{RotateWorkerToken(), RotateManagerToken(), RotateManagerUnlockKey()},
			url.Values{"version": {"42"}, "rotateWorkerToken": {"1"}, "rotateManagerToken": {"1"}, "rotateManagerUnlockKey": {"1"}}},
		{"worker", []UpdateOption{RotateWorkerToken()}, url.Values{"version": {"42"}, "rotateWorkerToken": {"1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, f := setup(t)
			f.Reply("POST /v1.41/swarm/update", http.StatusOK, nil)
			spec := Spec{EncryptionConfig: docker.EncryptionConfig{AutoLockManagers: true}}
			if err := c.Update(t.Context(), Version{Index: 42}, spec, tc.opts...); err != nil {
				t.Fatal(err)
			}
			req := f.Last(t)
			if diff := cmp.Diff(tc.want, req.Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			jsonEqual(t, `{"Raft": {}, "EncryptionConfig": {"AutoLockManagers": true}, "TaskDefaults": {}}`, req.Body)
		})
	}
}

func TestStaleVersion(t *testing.T) {
	t.Parallel()
	const msg = "rpc error: code = Unknown desc = update out of sequence"
	updates := map[string]func(c *Cluster) error{
		"swarm": func(c *Cluster) error { return c.Update(t.Context(), v1, Spec{}) },
		"node":  func(c *Cluster) error { return c.Nodes().Update(t.Context(), "n", v1, NodeSpec{}) },
		"service": func(c *Cluster) error {
			_, err := c.Services().Update(t.Context(), "s", v1, ServiceSpec{})
			return err
		},
		"secret": func(c *Cluster) error { return c.Secrets().Update(t.Context(), "s", v1, SecretSpec{}) },
		"config": func(c *Cluster) error { return c.Configs().Update(t.Context(), "c", v1, ConfigSpec{}) },
	}
	for name, update := range updates {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, f := setup(t)
			f.Reply("/", http.StatusInternalServerError, map[string]string{"message": msg})
			err := update(c)
			var stale *StaleVersionError
			var de *docker.Error
			if !errors.Is(err, docker.ErrConflict) || !errors.As(err, &stale) || !errors.As(err, &de) {
				t.Fatalf("err = %v (%T), want a StaleVersionError matching docker.ErrConflict", err, err)
			}
			if de.StatusCode != http.StatusInternalServerError || !strings.Contains(err.Error(), msg) {
				t.Errorf("the daemon's error is not kept: %v", err)
			}
		})
	}
}
