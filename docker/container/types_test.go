package container

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// decodeStrict decodes a testdata file into v, failing on any field the
// types do not know: the fixtures and captures must be fully described.
func decodeStrict(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	// The 1.41 spec's inspect example has a stray quote in one key and two
	// keys that no schema (nor any daemon) has: see testdata/README.md.
	b = bytes.ReplaceAll(b, []byte(`"DeviceIDs\""`), []byte(`"DeviceIDs"`))
	b = bytes.ReplaceAll(b, []byte(`"MaximumIOps": 0,`), nil)
	b = bytes.ReplaceAll(b, []byte(`"MaximumIOBps": 0,`), nil)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func TestDecodeStrict(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		v    any
	}{
		{"engine-20.10/inspect.json", &Details{}},
		{"engine-20.10/list.json", &[]Summary{}},
		{"engine-20.10/stats.json", &Stats{}},
		{"engine-20.10/stats-oneshot.json", &Stats{}},
		{"engine-20.10/top.json", &TopResponse{}},
		{"engine-20.10/changes.json", &[]Change{}},
		{"engine-20.10/exec-inspect.json", &ExecDetails{}},
		{"engine-20.10/wait.json", &Exit{}},
		{"spec/v1.41-ContainerInspect.json", &Details{}},
		{"spec/v1.41-ContainerList.json", &[]Summary{}},
		{"spec/v1.56-composed-ContainerInspect.json", &Details{}},
		{"spec/v1.56-composed-ContainerList.json", &[]Summary{}},
		{"stats-cgroup2.json", &Stats{}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			decodeStrict(t, tc.file, tc.v)
		})
	}
}

func TestDecodeInspect20(t *testing.T) {
	t.Parallel()
	var d Details
	decodeStrict(t, "engine-20.10/inspect.json", &d)
	if d.Name != "/berth-golden" || !d.State.Running || d.State.Health == nil || d.State.Health.Status != "healthy" {
		t.Errorf("name/state: %q %+v", d.Name, d.State)
	}
	if d.State.StartedAt.IsZero() || !d.State.FinishedAt.IsZero() || d.Created.IsZero() {
		t.Errorf("times: created %v started %v finished %v", d.Created, d.State.StartedAt, d.State.FinishedAt)
	}
	if d.SizeRw == nil || d.SizeRootFs == nil || *d.SizeRootFs == 0 {
		t.Errorf("sizes: %v %v", d.SizeRw, d.SizeRootFs)
	}
	wantHC := struct {
		Memory, MemorySwap int64
		CPUShares          int64
		PidsLimit          int64
		Restart            RestartPolicy
		Ulimits            []Ulimit
		Mounts             []Mount
		NetworkMode        string
	}{
		Memory: 64 << 20, MemorySwap: 128 << 20, CPUShares: 512, PidsLimit: 64,
		Restart:     RestartPolicy{Name: "on-failure", MaximumRetryCount: 2},
		Ulimits:     []Ulimit{{Name: "nofile", Soft: 1024, Hard: 2048}},
		Mounts:      []Mount{{Type: MountTmpfs, Target: "/scratch", TmpfsOptions: TmpfsOptions{SizeBytes: 1 << 20}}},
		NetworkMode: "none",
	}
	hc := d.HostConfig
	gotHC := wantHC
	gotHC.Memory, gotHC.MemorySwap, gotHC.CPUShares = hc.Memory, hc.MemorySwap, hc.CPUShares
	gotHC.PidsLimit = -1
	if hc.PidsLimit != nil {
		gotHC.PidsLimit = *hc.PidsLimit
	}
	gotHC.Restart, gotHC.Ulimits, gotHC.Mounts, gotHC.NetworkMode = hc.RestartPolicy, hc.Ulimits, hc.Mounts, hc.NetworkMode
	if diff := cmp.Diff(wantHC, gotHC); diff != "" {
		t.Errorf("host config (-want +got):\n%s", diff)
	}
	if d.Config.Healthcheck == nil || d.Config.Healthcheck.Interval != time.Second || d.Config.Healthcheck.Retries != 3 {
		t.Errorf("healthcheck: %+v", d.Config.Healthcheck)
	}
	if d.Config.StopTimeout == nil || *d.Config.StopTimeout != 5 || d.Config.Labels["app"] != "golden" {
		t.Errorf("config: %+v", d.Config)
	}
	if _, ok := d.Config.Volumes["/data"]; !ok {
		t.Errorf("volumes: %v", d.Config.Volumes)
	}
	if len(d.Mounts) != 2 || d.NetworkSettings.Networks["none"] == nil {
		t.Errorf("mounts %+v networks %+v", d.Mounts, d.NetworkSettings.Networks)
	}
}

func TestDecodeSpecExamples(t *testing.T) {
	t.Parallel()
	var d Details
	decodeStrict(t, "spec/v1.56-composed-ContainerInspect.json", &d)
	if d.ImageManifestDescriptor == nil || d.ImageManifestDescriptor.Platform == nil ||
		d.ImageManifestDescriptor.Platform.OSVersion != "10.0.19041.1165" {
		t.Errorf("descriptor: %+v", d.ImageManifestDescriptor)
	}
	if got := d.NetworkSettings.Ports["80/tcp"]; len(got) != 2 || got[1].HostPort != "8080" {
		t.Errorf("ports: %+v", d.NetworkSettings.Ports)
	}
	if got := d.HostConfig.DeviceRequests; len(got) != 1 || got[0].Count != -1 || len(got[0].DeviceIDs) != 3 {
		t.Errorf("device requests: %+v", got)
	}
	if d.HostConfig.ConsoleSize != [2]uint{80, 64} {
		t.Errorf("console size: %v", d.HostConfig.ConsoleSize)
	}

	var old Details
	decodeStrict(t, "spec/v1.41-ContainerInspect.json", &old)
	if br := old.NetworkSettings.Networks["bridge"]; br == nil || br.MacAddress != "02:42:ac:12:00:02" || br.IPPrefixLen != 16 {
		t.Errorf("1.41 networks: %+v", old.NetworkSettings.Networks)
	}

	var list []Summary
	decodeStrict(t, "spec/v1.41-ContainerList.json", &list)
	if len(list) == 0 || list[0].Ports[0].PublicPort != 3333 || list[0].NetworkSettings.Networks["bridge"].IPAddress != "172.17.0.2" {
		t.Errorf("list: %+v", list)
	}
}

// TestEncodeOmitsZero checks that a zero request body sends nothing but
// the fields that must always be sent.
func TestEncodeOmitsZero(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"Config", Config{}, `{"Entrypoint":null}`},
		{"HostConfig", HostConfig{}, `{"MaskedPaths":null,"ReadonlyPaths":null}`},
		{"UpdateConfig", UpdateConfig{}, `{}`},
		{"ExecConfig", ExecConfig{}, `{"Cmd":null}`},
		{"Mount", Mount{}, `{}`},
		{"EndpointSettings", EndpointSettings{}, `{}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(string(b)); got != tc.want {
				t.Errorf("json = %s, want %s", got, tc.want)
			}
		})
	}
}
