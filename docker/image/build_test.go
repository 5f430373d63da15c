package image

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/stream"
)

func TestBuildRequest(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(`{"aux":{"ID":"sha256:`+hex64+`"}}`))
	ctxTar, err := ContextFromFiles(ContextFile{Name: "Dockerfile", Data: []byte("FROM scratch\n")})
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.svc.BuildAndWait(t.Context(), ctxTar, nil,
		Dockerfile("build/Dockerfile"),
		Tags("app:1", "registry.local:5000/app"),
		Tags("app:2"),
		ExtraHosts("db:10.0.0.2", "cache:10.0.0.3"),
		NoCache(),
		CacheFrom("app:0", "app:base"),
		AlwaysPull(),
		NoRm(),
		ForceRm(),
		Memory(1<<30),
		MemorySwap(-1),
		CPUShares(512),
		CPUSetCPUs("0-1"),
		CPUPeriod(100000),
		CPUQuota(50000),
		BuildArgs(map[string]string{"A": "1"}),
		BuildArgs(map[string]string{"B": "2"}),
		ShmSize(64<<20),
		Squash(),
		Labels(map[string]string{"team": "x"}),
		NetworkMode("none"),
		Platform("linux/amd64"),
		Target("final"),
		Outputs(BuildOutput{Type: "moby", Attrs: map[string]string{"k": "v"}}),
		BuilderVersion("1"),
		Quiet(),
	)
	if err != nil {
		t.Fatal(err)
	}
	if id != "sha256:"+hex64 {
		t.Errorf("id = %q", id)
	}
	r := f.last(t)
	if r.Method != "POST" || r.Path != "/build" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	want := url.Values{
		"dockerfile":  {"build/Dockerfile"},
		"t":           {"app:1", "registry.local:5000/app", "app:2"},
		"extrahosts":  {"db:10.0.0.2", "cache:10.0.0.3"},
		"nocache":     {"1"},
		"cachefrom":   {`["app:0","app:base"]`},
		"pull":        {"1"},
		"rm":          {"0"},
		"forcerm":     {"1"},
		"memory":      {"1073741824"},
		"memswap":     {"-1"},
		"cpushares":   {"512"},
		"cpusetcpus":  {"0-1"},
		"cpuperiod":   {"100000"},
		"cpuquota":    {"50000"},
		"buildargs":   {`{"A":"1","B":"2"}`},
		"shmsize":     {"67108864"},
		"squash":      {"1"},
		"labels":      {`{"team":"x"}`},
		"networkmode": {"none"},
		"platform":    {"linux/amd64"},
		"target":      {"final"},
		"outputs":     {`[{"Type":"moby","Attrs":{"k":"v"}}]`},
		"version":     {"1"},
		"q":           {"1"},
	}
	if diff := cmp.Diff(want, r.Query); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-tar" {
		t.Errorf("Content-Type = %q", ct)
	}
	if h := r.Header.Get("X-Registry-Config"); h != "" {
		t.Errorf("X-Registry-Config = %q without credentials", h)
	}
	if names, err := tarNames(strings.NewReader(r.Body)); err != nil || len(names) != 1 || names[0] != "Dockerfile" {
		t.Errorf("body entries = %q, %v", names, err)
	}
}

func TestBuildDefaults(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(`{"aux":{"ID":"sha256:1"}}`))
	if _, err := f.svc.BuildAndWait(t.Context(), strings.NewReader("tar"), nil); err != nil {
		t.Fatal(err)
	}
	if q := f.last(t).Query; len(q) != 0 {
		t.Errorf("query = %v, want none (daemon defaults)", q)
	}
}

func TestBuildRegistryConfig(t *testing.T) {
	t.Parallel()
	auths := map[string]registry.AuthConfig{"127.0.0.1:5000": {Username: "u", Password: "p"}}
	for name, opt := range map[string]BuildOption{
		"AuthConfigs": AuthConfigs(auths),
		"AuthFrom":    AuthFrom(&fakeStore{auths: auths}),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, "1.41", lines(`{"aux":{"ID":"sha256:1"}}`))
			if _, err := f.svc.BuildAndWait(t.Context(), strings.NewReader("tar"), nil, opt); err != nil {
				t.Fatal(err)
			}
			got, err := registry.DecodeConfigs(f.last(t).Header.Get("X-Registry-Config"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(auths, got); diff != "" {
				t.Errorf("configs mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuildLocalErrors(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", nil)
	for name, run := range map[string]func() error{
		"nil context":  func() error { return first(f.svc.Build(t.Context(), nil)) },
		"bad tag":      func() error { return first(f.svc.Build(t.Context(), emptyReader{}, Tags("Bad:1"))) },
		"digest tag":   func() error { return first(f.svc.Build(t.Context(), emptyReader{}, Tags("a@"+dgst))) },
		"bad platform": func() error { return first(f.svc.Build(t.Context(), emptyReader{}, Platform("//"))) },
		"store failure": func() error {
			return first(f.svc.Build(t.Context(), emptyReader{}, AuthFrom(&fakeStore{err: errors.New("x")})))
		},
	} {
		if err := run(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestBuildRemote(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(`{"aux":{"ID":"sha256:1"}}`))
	if _, err := f.svc.BuildAndWait(t.Context(), nil, nil, Remote("https://example.com/ctx.tar")); err != nil {
		t.Fatal(err)
	}
	r := f.last(t)
	if r.Query.Get("remote") != "https://example.com/ctx.tar" || r.Header.Get("Content-Type") != "" || r.Body != "" {
		t.Errorf("request = %v %v %q", r.Query, r.Header, r.Body)
	}
}

func TestBuildAndWait(t *testing.T) {
	t.Parallel()
	t.Run("golden", func(t *testing.T) {
		t.Parallel()
		f := setup(t, "1.41", lines(strings.Split(strings.TrimSpace(readFile(t, "build.jsonl")), "\n")...))
		var out bytes.Buffer
		id, err := f.svc.BuildAndWait(t.Context(), strings.NewReader("tar"), stream.NewRenderer(&out, false))
		if err != nil {
			t.Fatal(err)
		}
		if id != "sha256:b4c1364d5e67cec6368653de60ea7a2a9ed32f2e16f1a7e33cf6d83290db0462" {
			t.Errorf("id = %q", id)
		}
		if !strings.HasPrefix(out.String(), "Step 1/6 : FROM scratch\n") || !strings.HasSuffix(out.String(), "Successfully tagged berth-golden:2\n") {
			t.Errorf("rendered:\n%s", out.String())
		}
	})
	t.Run("quiet", func(t *testing.T) {
		t.Parallel()
		f := setup(t, "1.41", lines(`{"stream":"sha256:`+hex64+`\n"}`))
		id, err := f.svc.BuildAndWait(t.Context(), strings.NewReader("tar"), nil, Quiet())
		if err != nil || id != "sha256:"+hex64 {
			t.Errorf("id = %q, %v", id, err)
		}
	})
	t.Run("no id", func(t *testing.T) {
		t.Parallel()
		f := setup(t, "1.41", lines(`{"stream":"Step 1/1 : FROM scratch\n"}`))
		if _, err := f.svc.BuildAndWait(t.Context(), strings.NewReader("tar"), nil); err == nil {
			t.Error("no error without an image ID")
		}
	})
	t.Run("failure", func(t *testing.T) {
		t.Parallel()
		f := setup(t, "1.41", lines(
			`{"stream":"Step 1/2 : FROM scratch\n"}`,
			`{"errorDetail":{"code":127,"message":"The command '/bin/sh -c false' returned a non-zero code: 127"},"error":"x"}`,
		))
		_, err := f.svc.BuildAndWait(t.Context(), strings.NewReader("tar"), nil)
		var se *docker.StreamError
		if !errors.As(err, &se) || se.Code != 127 {
			t.Errorf("error = %#v", err)
		}
	})
}

// TestBuildStreamsContext checks that a large context goes to the daemon as
// it is read, not buffered: the fake reads 64 MiB while the reader produces
// it.
func TestBuildStreamsContext(t *testing.T) {
	t.Parallel()
	const size = 64 << 20
	var got int64
	f := setup(t, "1.41", func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, `{"aux":{"ID":"sha256:1"}}`+"\n")
	})
	if _, err := f.svc.BuildAndWait(t.Context(), io.LimitReader(zeros{}, size), nil); err != nil {
		t.Fatal(err)
	}
	if got+1<<20 < size { // the fake's recorder took the first MiB
		t.Errorf("the fake read %d bytes, want %d", got, size)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestBuildPrune(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		version string
		opts    []BuildPruneOption
		want    url.Values
	}{
		{"none", "1.41", nil, url.Values{}},
		{"all and filters", "1.41", []BuildPruneOption{All(), Filter("until", "24h"), Filter("type", "regular")},
			url.Values{"all": {"1"}, "filters": {`{"type":["regular"],"until":["24h"]}`}}},
		{"keep-storage before 1.48", "1.41", []BuildPruneOption{ReservedSpace(1 << 30)}, url.Values{"keep-storage": {"1073741824"}}},
		{"KeepStorage alias", "1.41", []BuildPruneOption{KeepStorage(5)}, url.Values{"keep-storage": {"5"}}},
		{"reserved-space from 1.48", "1.48", []BuildPruneOption{ReservedSpace(1 << 30)}, url.Values{"reserved-space": {"1073741824"}}},
		{"space limits", "1.56", []BuildPruneOption{ReservedSpace(1), MaxUsedSpace(2), MinFreeSpace(3)},
			url.Values{"reserved-space": {"1"}, "max-used-space": {"2"}, "min-free-space": {"3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.version, jsonBody(`{"CachesDeleted":["a","b"],"SpaceReclaimed":42}`))
			got, err := f.svc.BuildPrune(t.Context(), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(BuildPruneReport{CachesDeleted: []string{"a", "b"}, SpaceReclaimed: 42}, got); diff != "" {
				t.Errorf("report mismatch (-want +got):\n%s", diff)
			}
			r := f.last(t)
			if r.Method != "POST" || r.Path != "/build/prune" {
				t.Errorf("request = %s %s", r.Method, r.Path)
			}
			if diff := cmp.Diff(tt.want, r.Query); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
