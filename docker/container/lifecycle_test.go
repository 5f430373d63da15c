package container

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

func TestRequests(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		body   string
		call   func(ctx context.Context, s *Service) (any, error)
		want   recorded
		result any
	}{
		{
			name: "List", status: 200, body: `[{"Id":"a","Names":["/x"],"State":"running"}]`,
			call: func(ctx context.Context, s *Service) (any, error) {
				return s.List(ctx, All(), Limit(3), Size(), Filter("label", "a=b", "c"), Filter("status", "exited"))
			},
			want: recorded{Method: "GET", Path: "/containers/json", Query: url.Values{
				"all": {"1"}, "limit": {"3"}, "size": {"1"},
				"filters": {`{"label":["a=b","c"],"status":["exited"]}`},
			}},
			result: []Summary{{ID: "a", Names: []string{"/x"}, State: "running"}},
		},
		{
			name: "List/none", status: 200, body: `[]`,
			call:   func(ctx context.Context, s *Service) (any, error) { return s.List(ctx) },
			want:   recorded{Method: "GET", Path: "/containers/json", Query: url.Values{}},
			result: []Summary{},
		},
		{
			name: "Prune", status: 200, body: `{"ContainersDeleted":["a","b"],"SpaceReclaimed":42}`,
			call: func(ctx context.Context, s *Service) (any, error) {
				return s.Prune(ctx, Filter("label", "x=1"), Filter("until", "10m"))
			},
			want:   recorded{Method: "POST", Path: "/containers/prune", Query: url.Values{"filters": {`{"label":["x=1"],"until":["10m"]}`}}},
			result: PruneReport{ContainersDeleted: []string{"a", "b"}, SpaceReclaimed: 42},
		},
		{
			name: "Create", status: 201, body: `{"Id":"new","Warnings":["w"]}`,
			call: func(ctx context.Context, s *Service) (any, error) {
				return s.Create(ctx, Config{
					Image: "img", Cmd: []string{"echo", "hi"}, Env: []string{"A=1"}, Labels: map[string]string{"l": "v"},
					Tty: true, OpenStdin: true, StopTimeout: ptr(0), Entrypoint: []string{},
					Healthcheck: &HealthConfig{Test: []string{"NONE"}, Interval: time.Second},
				},
					Name("web"), Platform("linux/amd64"),
					WithHostConfig(HostConfig{
						NetworkMode: "none", AutoRemove: true,
						Resources: Resources{Memory: 64 << 20, PidsLimit: ptr(int64(0)), OOMKillDisable: ptr(false),
							Ulimits: []Ulimit{{Name: "nofile", Soft: 1, Hard: 2}}},
						RestartPolicy: RestartPolicy{Name: RestartPolicyOnFailure, MaximumRetryCount: 2},
						Mounts:        []Mount{{Type: MountTmpfs, Target: "/t", TmpfsOptions: TmpfsOptions{SizeBytes: 1 << 20, Mode: 0o1777}}},
						PortBindings:  PortMap{"80/tcp": {{HostIP: "127.0.0.1", HostPort: "8080"}}},
						Umask:         ptr(uint32(0o22)),
						MaskedPaths:   []string{},
					}),
					WithNetworkingConfig(NetworkingConfig{EndpointsConfig: map[string]*EndpointSettings{
						"net": {Aliases: []string{"a"}, IPAMConfig: &EndpointIPAMConfig{IPv4Address: "10.0.0.2"}},
					}}))
			},
			want: recorded{Method: "POST", Path: "/containers/create", Query: url.Values{"name": {"web"}, "platform": {"linux/amd64"}},
				Body: `{"Tty":true,"OpenStdin":true,"Env":["A=1"],"Cmd":["echo","hi"],"Healthcheck":{"Test":["NONE"],"Interval":1000000000},` +
					`"Image":"img","Entrypoint":[],"Labels":{"l":"v"},"StopTimeout":0,` +
					`"HostConfig":{"Memory":67108864,"OomKillDisable":false,"PidsLimit":0,"Ulimits":[{"Name":"nofile","Soft":1,"Hard":2}],` +
					`"NetworkMode":"none","PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}]},` +
					`"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":2},"AutoRemove":true,` +
					`"Mounts":[{"Target":"/t","Type":"tmpfs","TmpfsOptions":{"SizeBytes":1048576,"Mode":1023}}],` +
					`"Umask":18,"MaskedPaths":[],"ReadonlyPaths":null},` +
					`"NetworkingConfig":{"EndpointsConfig":{"net":{"IPAMConfig":{"IPv4Address":"10.0.0.2"},"Aliases":["a"]}}}}`},
			result: CreateResponse{ID: "new", Warnings: []string{"w"}},
		},
		{
			name: "Create/minimal", status: 201, body: `{"Id":"new","Warnings":[]}`,
			call: func(ctx context.Context, s *Service) (any, error) { return s.Create(ctx, Config{Image: "img"}) },
			want: recorded{Method: "POST", Path: "/containers/create", Query: url.Values{},
				Body: `{"Image":"img","Entrypoint":null}`},
			result: CreateResponse{ID: "new", Warnings: []string{}},
		},
		{
			name: "Inspect", status: 200, body: `{"Id":"abc","SizeRw":0,"State":{"Running":true}}`,
			call:   func(ctx context.Context, s *Service) (any, error) { return s.Inspect(ctx, "a/b c", Size()) },
			want:   recorded{Method: "GET", Path: "/containers/a%2Fb%20c/json", Query: url.Values{"size": {"1"}}},
			result: Details{ID: "abc", SizeRw: ptr(int64(0)), State: State{Running: true}},
		},
		{
			name: "Start", status: 204,
			call: func(ctx context.Context, s *Service) (any, error) {
				return nil, s.Start(ctx, "c", DetachKeys("ctrl-x"))
			},
			want: recorded{Method: "POST", Path: "/containers/c/start", Query: url.Values{"detachKeys": {"ctrl-x"}}},
		},
		{
			name: "Start/304", status: 304,
			call: func(ctx context.Context, s *Service) (any, error) { return nil, s.Start(ctx, "c") },
			want: recorded{Method: "POST", Path: "/containers/c/start", Query: url.Values{}},
		},
		{
			name: "Stop/304", status: 304,
			call: func(ctx context.Context, s *Service) (any, error) {
				return nil, s.Stop(ctx, "c", Timeout(1500*time.Millisecond))
			},
			want: recorded{Method: "POST", Path: "/containers/c/stop", Query: url.Values{"t": {"2"}}},
		},
		{
			name: "Stop/forever", status: 204,
			call: func(ctx context.Context, s *Service) (any, error) { return nil, s.Stop(ctx, "c", Timeout(-1)) },
			want: recorded{Method: "POST", Path: "/containers/c/stop", Query: url.Values{"t": {"-1"}}},
		},
		{
			name: "Restart", status: 204,
			call: func(ctx context.Context, s *Service) (any, error) { return nil, s.Restart(ctx, "c", Timeout(0)) },
			want: recorded{Method: "POST", Path: "/containers/c/restart", Query: url.Values{"t": {"0"}}},
		},
		{
			name: "Kill", status: 204,
			call: func(ctx context.Context, s *Service) (any, error) { return nil, s.Kill(ctx, "c", Signal("SIGUSR1")) },
			want: recorded{Method: "POST", Path: "/containers/c/kill", Query: url.Values{"signal": {"SIGUSR1"}}},
		},
		{
			name: "Pause", status: 204,
			call: func(ctx context.Context, s *Service) (any, error) { return nil, s.Pause(ctx, "c") },
			want: recorded{Method: "POST", Path: "/containers/c/pause", Query: url.Values{}},
		},
		{
			name: "Unpause", status: 204,
			call: func(ctx context.Context, s *Service) (any, error) { return nil, s.Unpause(ctx, "c") },
			want: recorded{Method: "POST", Path: "/containers/c/unpause", Query: url.Values{}},
		},
		{
			name: "Rename", status: 204,
			call: func(ctx context.Context, s *Service) (any, error) { return nil, s.Rename(ctx, "c", "new name") },
			want: recorded{Method: "POST", Path: "/containers/c/rename", Query: url.Values{"name": {"new name"}}},
		},
		{
			name: "Update", status: 200, body: `{"Warnings":["w"]}`,
			call: func(ctx context.Context, s *Service) (any, error) {
				return s.Update(ctx, "c", UpdateConfig{Resources: Resources{Memory: 1 << 30, MemorySwap: -1}, RestartPolicy: RestartPolicy{Name: "always"}})
			},
			want:   recorded{Method: "POST", Path: "/containers/c/update", Query: url.Values{}, Body: `{"Memory":1073741824,"MemorySwap":-1,"RestartPolicy":{"Name":"always"}}`},
			result: UpdateResponse{Warnings: []string{"w"}},
		},
		{
			// API 1.55: an empty device list clears the rules, nil keeps them.
			name: "Update clears a device list", status: 200, body: `{"Warnings":[]}`,
			call: func(ctx context.Context, s *Service) (any, error) {
				return s.Update(ctx, "c", UpdateConfig{Resources: Resources{BlkioDeviceReadBps: []ThrottleDevice{}}})
			},
			want:   recorded{Method: "POST", Path: "/containers/c/update", Query: url.Values{}, Body: `{"BlkioDeviceReadBps":[]}`},
			result: UpdateResponse{Warnings: []string{}},
		},
		{
			name: "Remove", status: 204,
			call: func(ctx context.Context, s *Service) (any, error) {
				return nil, s.Remove(ctx, "c", Force(), RemoveVolumes(), RemoveLink())
			},
			want: recorded{Method: "DELETE", Path: "/containers/c", Query: url.Values{"force": {"1"}, "v": {"1"}, "link": {"1"}}},
		},
		{
			name: "Resize", status: 200, body: ``,
			call: func(ctx context.Context, s *Service) (any, error) { return nil, s.Resize(ctx, "c", 24, 80) },
			want: recorded{Method: "POST", Path: "/containers/c/resize", Query: url.Values{"h": {"24"}, "w": {"80"}}},
		},
		{
			name: "Wait", status: 200, body: `{"StatusCode":3,"Error":null}`,
			call:   func(ctx context.Context, s *Service) (any, error) { return s.Wait(ctx, "c", Condition(WaitNextExit)) },
			want:   recorded{Method: "POST", Path: "/containers/c/wait", Query: url.Values{"condition": {"next-exit"}}},
			result: Exit{StatusCode: 3},
		},
		{
			name: "Top", status: 200, body: `{"Titles":["PID","CMD"],"Processes":[["1","sleep"]]}`,
			call:   func(ctx context.Context, s *Service) (any, error) { return s.Top(ctx, "c", PsArgs("aux")) },
			want:   recorded{Method: "GET", Path: "/containers/c/top", Query: url.Values{"ps_args": {"aux"}}},
			result: TopResponse{Titles: []string{"PID", "CMD"}, Processes: [][]string{{"1", "sleep"}}},
		},
		{
			name: "Changes", status: 200, body: `[{"Path":"/a","Kind":1},{"Path":"/b","Kind":0},{"Path":"/c","Kind":2}]`,
			call:   func(ctx context.Context, s *Service) (any, error) { return s.Changes(ctx, "c") },
			want:   recorded{Method: "GET", Path: "/containers/c/changes", Query: url.Values{}},
			result: []Change{{"/a", ChangeAdd}, {"/b", ChangeModify}, {"/c", ChangeDelete}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			var rec recorder
			rec.serve(f, tc.status, tc.body)
			got, err := tc.call(t.Context(), f.svc)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, rec.last(t)); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if tc.result != nil {
				if diff := cmp.Diff(tc.result, got); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestWaitError(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle("POST /containers/c/wait", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"StatusCode":-1,"Error":{"Message":"removal failed"}}`)
	})
	exit, err := f.svc.Wait(t.Context(), "c", Condition(WaitRemoved))
	if err == nil || exit.Error == nil || exit.Error.Message != "removal failed" || exit.StatusCode != -1 {
		t.Fatalf("Wait = %+v, %v; want the daemon's error", exit, err)
	}
}

func TestVersionGates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		version string
		call    func(ctx context.Context, s *Service) error
	}{
		{"Stop/Signal", "1.41", func(ctx context.Context, s *Service) error { return s.Stop(ctx, "c", Signal("SIGINT")) }},
		{"Restart/Signal", "1.41", func(ctx context.Context, s *Service) error { return s.Restart(ctx, "c", Signal("SIGINT")) }},
		{"Create/Platform", "1.40", func(ctx context.Context, s *Service) error {
			_, err := s.Create(ctx, Config{Image: "x"}, Platform("linux/arm64"))
			return err
		}},
		{"Wait/Condition", "1.29", func(ctx context.Context, s *Service) error {
			_, err := s.Wait(ctx, "c", Condition(WaitRemoved))
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setupVersion(t, tc.version)
			f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
			err := tc.call(t.Context(), f.svc)
			if err == nil || !isVersionErr(err) {
				t.Fatalf("err = %v, want docker.ErrVersion", err)
			}
			if n := f.requests.Load(); n != 0 {
				t.Fatalf("%d requests sent", n)
			}
		})
	}
}
