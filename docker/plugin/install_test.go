package plugin

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/stream"
	"github.com/google/go-cmp/cmp"
)

var testAuth = registry.AuthConfig{Username: "u", Password: "p4ss", ServerAddress: "127.0.0.1:5000"}

// authOf decodes the X-Registry-Auth header of a request.
func authOf(t *testing.T, r seenRequest) registry.AuthConfig {
	t.Helper()
	h := r.Header.Get("X-Registry-Auth")
	if h == "" {
		return registry.AuthConfig{}
	}
	a, err := registry.DecodeAuth(h)
	if err != nil {
		t.Fatalf("X-Registry-Auth: %v", err)
	}
	return a
}

func TestPrivileges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		opts     []PrivilegesOption
		reply    string
		want     []Privilege
		wantAuth registry.AuthConfig
	}{
		{"anonymous", nil, `[{"Name":"network","Description":"","Value":["host"]},{"Name":"mount","Value":["/data"]}]`,
			[]Privilege{{Name: "network", Value: []string{"host"}}, {Name: "mount", Value: []string{"/data"}}}, registry.AuthConfig{}},
		{"with credentials, none needed", []PrivilegesOption{RegistryAuth(testAuth)}, `null`, []Privilege{}, testAuth},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("GET /v1.41/plugins/privileges", http.StatusOK, tc.reply)
			got, err := s.Privileges(t.Context(), "reg/p:1", tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Privileges (-want +got):\n%s", diff)
			}
			r := f.Last(t)
			if diff := cmp.Diff(url.Values{"remote": {"reg/p:1"}}, r.Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantAuth, authOf(t, r)); diff != "" {
				t.Errorf("auth (-want +got):\n%s", diff)
			}
		})
	}
}

// progressReply streams msgs as the daemon does, flushing after each.
func progressReply(msgs ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for _, m := range msgs {
			_, _ = w.Write([]byte(m + "\r\n"))
			http.NewResponseController(w).Flush()
		}
	}
}

func TestPullUpgradePush(t *testing.T) {
	t.Parallel()
	privs := []Privilege{{Name: "network", Value: []string{"host"}}}
	for _, tc := range []struct {
		name      string
		pattern   string
		seq       func(s *Service) func(func(stream.Progress, error) bool)
		wantPath  string
		wantQuery url.Values
		wantBody  string
		wantAuth  registry.AuthConfig
	}{
		{"pull", "POST /v1.41/plugins/pull",
			func(s *Service) func(func(stream.Progress, error) bool) {
				return s.Pull(t.Context(), "reg/p:1", privs, Name("local/p"), RegistryAuth(testAuth))
			},
			"/v1.41/plugins/pull", url.Values{"remote": {"reg/p:1"}, "name": {"local/p"}}, `[{"Name":"network","Description":"","Value":["host"]}]`, testAuth},
		{"pull with no privileges sends []", "POST /v1.41/plugins/pull",
			func(s *Service) func(func(stream.Progress, error) bool) { return s.Pull(t.Context(), "reg/p", nil) },
			"/v1.41/plugins/pull", url.Values{"remote": {"reg/p"}}, `[]`, registry.AuthConfig{}},
		{"upgrade", "POST /v1.41/plugins/{name}/upgrade",
			func(s *Service) func(func(stream.Progress, error) bool) {
				return s.Upgrade(t.Context(), "reg/p:1", "reg/p:2", privs, RegistryAuth(testAuth))
			},
			"/v1.41/plugins/reg%2Fp:1/upgrade", url.Values{"remote": {"reg/p:2"}}, `[{"Name":"network","Description":"","Value":["host"]}]`, testAuth},
		{"push", "POST /v1.41/plugins/{name}/push",
			func(s *Service) func(func(stream.Progress, error) bool) {
				return s.Push(t.Context(), "reg/p:1", RegistryAuth(testAuth))
			},
			"/v1.41/plugins/reg%2Fp:1/push", url.Values{}, ``, testAuth},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Mux.Handle(tc.pattern, progressReply(
				`{"status":"Preparing","id":"abc"}`,
				`{"status":"Downloading","progressDetail":{"current":5,"total":10},"id":"abc"}`,
				`{"status":"Done"}`))
			var got []string
			for p, err := range tc.seq(s) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, p.Status)
			}
			if diff := cmp.Diff([]string{"Preparing", "Downloading", "Done"}, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			r := f.Last(t)
			if r.Path != tc.wantPath {
				t.Errorf("path = %s, want %s", r.Path, tc.wantPath)
			}
			if diff := cmp.Diff(tc.wantQuery, r.Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			if r.Body != tc.wantBody {
				t.Errorf("body = %s, want %s", r.Body, tc.wantBody)
			}
			if diff := cmp.Diff(tc.wantAuth, authOf(t, r)); diff != "" {
				t.Errorf("auth (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPullStreamError(t *testing.T) {
	t.Parallel()
	s, f := setup(t)
	f.Mux.Handle("POST /v1.41/plugins/pull", progressReply(
		`{"status":"Pulling"}`,
		`{"errorDetail":{"message":"incorrect privileges"},"error":"incorrect privileges"}`,
		`{"status":"never seen"}`))
	var statuses []string
	var streamErr *docker.StreamError
	for p, err := range s.Pull(t.Context(), "reg/p", nil) {
		if err != nil {
			if !errors.As(err, &streamErr) {
				t.Fatalf("err = %v (%T), want *docker.StreamError", err, err)
			}
			break
		}
		statuses = append(statuses, p.Status)
	}
	if streamErr == nil || streamErr.Message != "incorrect privileges" {
		t.Errorf("stream error = %v", streamErr)
	}
	if diff := cmp.Diff([]string{"Pulling"}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

// TestPullBreakClosesStream checks that breaking out of the loop ends the
// request at once, even when the daemon would go on.
func TestPullBreakClosesStream(t *testing.T) {
	t.Parallel()
	s, f := setup(t)
	closed := make(chan struct{})
	f.Mux.HandleFunc("POST /v1.41/plugins/pull", func(w http.ResponseWriter, r *http.Request) {
		defer close(closed)
		for i := 0; i < 1000; i++ {
			if _, err := w.Write([]byte(`{"status":"tick"}` + "\n")); err != nil {
				return
			}
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	})
	for _, err := range s.Pull(t.Context(), "reg/p", nil) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the request went on after break")
	}
}

func TestLocalErrorsSendNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		do   func(s *Service) error
	}{
		{"pull without remote", func(s *Service) error { return drain(s.Pull(t.Context(), "", nil)) }},
		{"upgrade without remote", func(s *Service) error { return drain(s.Upgrade(t.Context(), "p", "", nil)) }},
		{"privileges without remote", func(s *Service) error { _, err := s.Privileges(t.Context(), ""); return err }},
		{"create without context", func(s *Service) error { return s.Create(t.Context(), "p", nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("/", http.StatusOK, "[]")
			err := tc.do(s)
			var de *docker.Error
			if err == nil || errors.As(err, &de) {
				t.Fatalf("err = %v, want a local error", err)
			}
			if n := len(f.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

func TestPrivilegesJSONNames(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Privilege{Name: "device", Description: "d", Value: []string{"/dev/fuse"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"Name":"device","Description":"d","Value":["/dev/fuse"]}`; got != want {
		t.Errorf("json = %s, want %s", got, want)
	}
}
