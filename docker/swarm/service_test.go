package swarm

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

// fullSpec sets a field of every kind the 1.41 API takes.
func fullSpec() ServiceSpec {
	return ServiceSpec{
		Name:   "web",
		Labels: map[string]string{"app": "web"},
		TaskTemplate: TaskSpec{
			ContainerSpec: &ContainerSpec{
				Image: "nginx:alpine", Labels: map[string]string{"c": "1"},
				Command: []string{"nginx"}, Args: []string{"-g", "daemon off;"},
				Hostname: "web", Env: []string{"A=1"}, Dir: "/srv", User: "33", Groups: []string{"adm"},
				Privileges: &Privileges{
					CredentialSpec: &CredentialSpec{File: "spec.json"},
					SELinuxContext: &SELinuxContext{User: "u", Role: "r", Type: "t", Level: "s0"},
				},
				Init: ptr(false), TTY: true, OpenStdin: true, ReadOnly: true,
				Mounts: []Mount{
					{Type: MountVolume, Source: "data", Target: "/data", VolumeOptions: &VolumeOptions{NoCopy: true, Labels: map[string]string{"v": "1"}, DriverConfig: &Driver{Name: "local"}}},
					{Type: MountBind, Source: "/etc/ssl", Target: "/ssl", ReadOnly: true, BindOptions: &BindOptions{Propagation: "rprivate", NonRecursive: true}},
					{Type: MountTmpfs, Target: "/tmp", TmpfsOptions: &TmpfsOptions{SizeBytes: 1 << 20, Mode: 0o700}},
				},
				StopSignal: "SIGQUIT", StopGracePeriod: ptr(2 * time.Second),
				Healthcheck: &HealthConfig{Test: []string{"CMD", "true"}, Interval: time.Second, Timeout: 2 * time.Second, StartPeriod: 3 * time.Second, Retries: 4},
				Hosts:       []string{"10.0.0.1 db"},
				DNSConfig:   &DNSConfig{Nameservers: []string{"10.0.0.53"}, Search: []string{"example.org"}, Options: []string{"ndots:2"}},
				Secrets:     []SecretReference{{File: &FileTarget{Name: "key", UID: "33", GID: "33", Mode: 0o400}, SecretID: "sid", SecretName: "key"}},
				Configs:     []ConfigReference{{File: &FileTarget{Name: "/etc/app.conf", Mode: 0o444}, ConfigID: "cid", ConfigName: "conf"}},
				Isolation:   "default", Sysctls: map[string]string{"net.core.somaxconn": "1024"},
				CapabilityAdd: []string{"CAP_NET_ADMIN"}, CapabilityDrop: []string{"CAP_CHOWN"},
				Ulimits: []Ulimit{{Name: "nofile", Soft: 1024, Hard: 2048}},
			},
			Resources: &ResourceRequirements{
				Limits:       &Limit{NanoCPUs: 5e8, MemoryBytes: 64 << 20, Pids: 100},
				Reservations: &Resources{NanoCPUs: 1e8, MemoryBytes: 8 << 20, GenericResources: []GenericResource{{DiscreteResourceSpec: &docker.DiscreteGenericResource{Kind: "SSD", Value: 1}}}},
			},
			RestartPolicy: &RestartPolicy{Condition: RestartOnFailure, Delay: ptr(time.Duration(0)), MaxAttempts: ptr(uint64(3)), Window: ptr(time.Minute)},
			Placement: &Placement{
				Constraints: []string{"node.role==worker"},
				Preferences: []PlacementPreference{{Spread: &SpreadOver{SpreadDescriptor: "node.labels.zone"}}},
				MaxReplicas: 2, Platforms: []Platform{{Architecture: "amd64", OS: "linux"}},
			},
			ForceUpdate: 1, Runtime: "container",
			Networks:  []NetworkAttachmentConfig{{Target: "backend", Aliases: []string{"web"}, DriverOpts: map[string]string{"k": "v"}}},
			LogDriver: &LogDriver{Name: "json-file", Options: map[string]string{"max-size": "1m"}},
		},
		Mode:           ReplicatedMode(0),
		UpdateConfig:   &UpdateConfig{Parallelism: 2, Delay: time.Second, FailureAction: "rollback", Monitor: 5 * time.Second, MaxFailureRatio: 0.25, Order: "start-first"},
		RollbackConfig: &UpdateConfig{Parallelism: 0, FailureAction: "pause", Order: "stop-first"},
		EndpointSpec:   &EndpointSpec{Mode: "vip", Ports: []PortConfig{{Name: "http", Protocol: "tcp", TargetPort: 80, PublishedPort: 8080, PublishMode: "ingress"}}},
	}
}

const fullSpecJSON = `{
	"Name": "web", "Labels": {"app": "web"},
	"TaskTemplate": {
		"ContainerSpec": {
			"Image": "nginx:alpine", "Labels": {"c": "1"}, "Command": ["nginx"], "Args": ["-g", "daemon off;"],
			"Hostname": "web", "Env": ["A=1"], "Dir": "/srv", "User": "33", "Groups": ["adm"],
			"Privileges": {"CredentialSpec": {"File": "spec.json"}, "SELinuxContext": {"User": "u", "Role": "r", "Type": "t", "Level": "s0"}},
			"Init": false, "TTY": true, "OpenStdin": true, "ReadOnly": true,
			"Mounts": [
				{"Type": "volume", "Source": "data", "Target": "/data", "VolumeOptions": {"NoCopy": true, "Labels": {"v": "1"}, "DriverConfig": {"Name": "local"}}},
				{"Type": "bind", "Source": "/etc/ssl", "Target": "/ssl", "ReadOnly": true, "BindOptions": {"Propagation": "rprivate", "NonRecursive": true}},
				{"Type": "tmpfs", "Target": "/tmp", "TmpfsOptions": {"SizeBytes": 1048576, "Mode": 448}}
			],
			"StopSignal": "SIGQUIT", "StopGracePeriod": 2000000000,
			"Healthcheck": {"Test": ["CMD", "true"], "Interval": 1000000000, "Timeout": 2000000000, "StartPeriod": 3000000000, "Retries": 4},
			"Hosts": ["10.0.0.1 db"],
			"DNSConfig": {"Nameservers": ["10.0.0.53"], "Search": ["example.org"], "Options": ["ndots:2"]},
			"Secrets": [{"File": {"Name": "key", "UID": "33", "GID": "33", "Mode": 256}, "SecretID": "sid", "SecretName": "key"}],
			"Configs": [{"File": {"Name": "/etc/app.conf", "UID": "", "GID": "", "Mode": 292}, "ConfigID": "cid", "ConfigName": "conf"}],
			"Isolation": "default", "Sysctls": {"net.core.somaxconn": "1024"},
			"CapabilityAdd": ["CAP_NET_ADMIN"], "CapabilityDrop": ["CAP_CHOWN"],
			"Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}]
		},
		"Resources": {
			"Limits": {"NanoCPUs": 500000000, "MemoryBytes": 67108864, "Pids": 100},
			"Reservations": {"NanoCPUs": 100000000, "MemoryBytes": 8388608, "GenericResources": [{"DiscreteResourceSpec": {"Kind": "SSD", "Value": 1}}]}
		},
		"RestartPolicy": {"Condition": "on-failure", "Delay": 0, "MaxAttempts": 3, "Window": 60000000000},
		"Placement": {"Constraints": ["node.role==worker"], "Preferences": [{"Spread": {"SpreadDescriptor": "node.labels.zone"}}],
			"MaxReplicas": 2, "Platforms": [{"Architecture": "amd64", "OS": "linux"}]},
		"ForceUpdate": 1, "Runtime": "container",
		"Networks": [{"Target": "backend", "Aliases": ["web"], "DriverOpts": {"k": "v"}}],
		"LogDriver": {"Name": "json-file", "Options": {"max-size": "1m"}}
	},
	"Mode": {"Replicated": {"Replicas": 0}},
	"UpdateConfig": {"Parallelism": 2, "Delay": 1000000000, "FailureAction": "rollback", "Monitor": 5000000000, "MaxFailureRatio": 0.25, "Order": "start-first"},
	"RollbackConfig": {"Parallelism": 0, "FailureAction": "pause", "MaxFailureRatio": 0, "Order": "stop-first"},
	"EndpointSpec": {"Mode": "vip", "Ports": [{"Name": "http", "Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"}]}
}`

func TestServiceCreate(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("POST /v1.41/services/create", http.StatusCreated, `{"ID":"svc1","Warnings":["unable to pin image"]}`)
	auth := registry.AuthConfig{Username: "u", Password: "p", ServerAddress: "registry.local:5000"}
	res, err := c.Services().Create(t.Context(), fullSpec(), RegistryAuth(auth))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(CreateResult{ID: "svc1", Warnings: []string{"unable to pin image"}}, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	req := f.Last(t)
	jsonEqual(t, fullSpecJSON, req.Body)
	got, err := registry.DecodeAuth(req.Header.Get("X-Registry-Auth"))
	if err != nil || got.Username != "u" || got.Password != "p" || got.ServerAddress != "registry.local:5000" {
		t.Errorf("X-Registry-Auth decodes to %v, %v", got, err)
	}
}

func TestServiceCreateWithoutAuthSendsNoHeader(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("POST /v1.41/services/create", http.StatusCreated, `{"ID":"svc1"}`)
	if _, err := c.Services().Create(t.Context(), ServiceSpec{Mode: GlobalMode()}); err != nil {
		t.Fatal(err)
	}
	req := f.Last(t)
	if h := req.Header.Get("X-Registry-Auth"); h != "" {
		t.Errorf("X-Registry-Auth %q sent without RegistryAuth", h)
	}
	jsonEqual(t, `{"TaskTemplate": {}, "Mode": {"Global": {}}}`, req.Body)
}

func TestServiceModes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode ServiceMode
		want string
	}{
		{ReplicatedMode(3), `{"Replicated": {"Replicas": 3}}`},
		{ReplicatedMode(0), `{"Replicated": {"Replicas": 0}}`},
		{GlobalMode(), `{"Global": {}}`},
		{ReplicatedJobMode(2, 5), `{"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 5}}`},
		{GlobalJobMode(), `{"GlobalJob": {}}`},
		{ServiceMode{}, `{}`},
	} {
		b, err := json.Marshal(tc.mode)
		if err != nil {
			t.Fatal(err)
		}
		jsonEqual(t, tc.want, string(b))
	}
}

func TestServiceNewerFieldsNeedNewerAPI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		need    string
		edit    func(*ServiceSpec)
		newWire string // a fragment the body must contain on a new enough daemon
	}{
		{"seccomp", "1.44", func(s *ServiceSpec) {
			s.TaskTemplate.ContainerSpec.Privileges = &Privileges{Seccomp: &SeccompOpts{Mode: "custom", Profile: []byte(`{"a":1}`)}}
		}, `"Profile":"` + base64.StdEncoding.EncodeToString([]byte(`{"a":1}`)) + `"`},
		{"apparmor", "1.44", func(s *ServiceSpec) {
			s.TaskTemplate.ContainerSpec.Privileges = &Privileges{AppArmor: &AppArmorOpts{Mode: "disabled"}}
		}, `"AppArmor":{"Mode":"disabled"}`},
		{"start interval", "1.44", func(s *ServiceSpec) {
			s.TaskTemplate.ContainerSpec.Healthcheck = &HealthConfig{StartInterval: time.Second}
		}, `"StartInterval":1000000000`},
		{"oom score", "1.46", func(s *ServiceSpec) { s.TaskTemplate.ContainerSpec.OomScoreAdj = 100 }, `"OomScoreAdj":100`},
		{"swap", "1.52", func(s *ServiceSpec) {
			s.TaskTemplate.Resources = &ResourceRequirements{SwapBytes: ptr(int64(-1)), MemorySwappiness: ptr(int64(0))}
		}, `"SwapBytes":-1,"MemorySwappiness":0`},
		{"image mount", "1.48", func(s *ServiceSpec) {
			s.TaskTemplate.ContainerSpec.Mounts = []Mount{{Type: MountImage, Source: "img", Target: "/i"}}
		}, `"Type":"image"`},
		{"tmpfs options", "1.46", func(s *ServiceSpec) {
			s.TaskTemplate.ContainerSpec.Mounts = []Mount{{Type: MountTmpfs, Target: "/t", TmpfsOptions: &TmpfsOptions{Options: [][]string{{"noexec"}}}}}
		}, `"Options":[["noexec"]]`},
		{"volume subpath", "1.45", func(s *ServiceSpec) {
			s.TaskTemplate.ContainerSpec.Mounts = []Mount{{Type: MountVolume, Source: "v", Target: "/v", VolumeOptions: &VolumeOptions{Subpath: "a"}}}
		}, `"Subpath":"a"`},
		{"create mountpoint", "1.42", func(s *ServiceSpec) {
			s.TaskTemplate.ContainerSpec.Mounts = []Mount{{Type: MountBind, Source: "/a", Target: "/a", BindOptions: &BindOptions{CreateMountpoint: true}}}
		}, `"CreateMountpoint":true`},
		{"recursive read-only", "1.44", func(s *ServiceSpec) {
			s.TaskTemplate.ContainerSpec.Mounts = []Mount{{Type: MountBind, Source: "/a", Target: "/a", BindOptions: &BindOptions{ReadOnlyForceRecursive: true}}}
		}, `"ReadOnlyForceRecursive":true`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spec := ServiceSpec{TaskTemplate: TaskSpec{ContainerSpec: &ContainerSpec{Image: "a"}}}
			tc.edit(&spec)

			old, f := setup(t)
			f.Reply("/", http.StatusCreated, `{"ID":"x"}`)
			_, err := old.Services().Create(t.Context(), spec)
			if !errors.Is(err, docker.ErrVersion) || !strings.Contains(err.Error(), tc.need) {
				t.Errorf("create on 1.41: err = %v, want docker.ErrVersion naming %s", err, tc.need)
			}
			_, err = old.Services().Update(t.Context(), "x", v1, spec)
			if !errors.Is(err, docker.ErrVersion) {
				t.Errorf("update on 1.41: err = %v, want docker.ErrVersion", err)
			}
			if n := len(f.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}

			fresh, f := setupVersion(t, "1.56")
			f.Reply("/", http.StatusCreated, `{"ID":"x"}`)
			if _, err := fresh.Services().Create(t.Context(), spec); err != nil {
				t.Fatalf("create on 1.56: %v", err)
			}
			if body := f.Last(t).Body; !strings.Contains(body, tc.newWire) {
				t.Errorf("body %s lacks %s", body, tc.newWire)
			}
		})
	}
}

func TestServiceUpdate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts []ServiceUpdateOption
		want url.Values
	}{
		{"plain", nil, url.Values{"version": {"7"}}},
		{"rollback", []ServiceUpdateOption{Rollback()}, url.Values{"version": {"7"}, "rollback": {"previous"}}},
		{"auth from", []ServiceUpdateOption{RegistryAuthFrom("previous-spec")}, url.Values{"version": {"7"}, "registryAuthFrom": {"previous-spec"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, f := setup(t)
			f.Reply("POST /v1.41/services/svc1/update", http.StatusOK, `{"Warnings":["w"]}`)
			res, err := c.Services().Update(t.Context(), "svc1", Version{Index: 7}, ServiceSpec{Name: "n"}, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"w"}, res.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			req := f.Last(t)
			if diff := cmp.Diff(tc.want, req.Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			jsonEqual(t, `{"Name": "n", "TaskTemplate": {}, "Mode": {}}`, req.Body)
		})
	}
}

func TestServiceUpdateRegistryAuth(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("/", http.StatusOK, `{}`)
	if _, err := c.Services().Update(t.Context(), "s", v1, ServiceSpec{}, RegistryAuth(registry.AuthConfig{IdentityToken: "tok"})); err != nil {
		t.Fatal(err)
	}
	got, err := registry.DecodeAuth(f.Last(t).Header.Get("X-Registry-Auth"))
	if err != nil || got.IdentityToken != "tok" {
		t.Errorf("X-Registry-Auth decodes to %v, %v", got, err)
	}
}

func TestServiceListInspectRemove(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	svc := fixture(t, "service-v1.41.json")
	f.Reply("GET /v1.41/services", http.StatusOK, "["+string(svc)+"]")
	f.Reply("GET /v1.41/services/{id}", http.StatusOK, svc)
	f.Reply("DELETE /v1.41/services/{id}", http.StatusOK, nil)
	svcs := c.Services()

	list, err := svcs.List(t.Context(), Filter("label", "app=fx"), Filter("mode", "replicated"), Status())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Spec.Name != "fx-web" {
		t.Fatalf("list: %+v", list)
	}
	req := f.Last(t)
	want := url.Values{"status": {"1"}, "filters": {`{"label":["app=fx"],"mode":["replicated"]}`}}
	if diff := cmp.Diff(want, req.Query); diff != "" {
		t.Errorf("list query (-want +got):\n%s", diff)
	}

	got, err := svcs.Inspect(t.Context(), "fx web/x", InsertDefaults())
	if err != nil {
		t.Fatal(err)
	}
	req = f.Last(t)
	if req.Path != "/services/fx%20web%2Fx" || req.Query.Get("insertDefaults") != "1" {
		t.Errorf("inspect sent %s ?%s", req.Path, req.Query.Encode())
	}
	cs := got.Spec.TaskTemplate.ContainerSpec
	if cs == nil || len(cs.Secrets) != 1 || cs.Secrets[0].File.Mode != 0o400 || got.PreviousSpec == nil ||
		*got.Spec.Mode.Replicated.Replicas != 1 || *got.PreviousSpec.Mode.Replicated.Replicas != 2 ||
		got.Spec.EndpointSpec.Ports[0].PublishMode != "host" || *cs.StopGracePeriod != 2*time.Second {
		t.Errorf("inspect decoded: %+v", got)
	}
	if err := svcs.Remove(t.Context(), got.ID); err != nil {
		t.Fatal(err)
	}
	if req := f.Last(t); req.Method != http.MethodDelete || req.Path != "/services/"+got.ID {
		t.Errorf("remove sent %s %s", req.Method, req.Path)
	}
}

func TestRegistryAuthOptionSetsHeader(t *testing.T) {
	t.Parallel()
	var cfg callConfig
	RegistryAuth(registry.AuthConfig{Username: "u"}).applyServiceCreate(&cfg)
	if cfg.err != nil || cfg.header.Get("X-Registry-Auth") == "" {
		t.Errorf("cfg = %+v", cfg)
	}
}
