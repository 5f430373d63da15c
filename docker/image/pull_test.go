package image

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/stream"
)

// fakeStore is a Credentials that records what it was asked.
type fakeStore struct {
	mu    sync.Mutex
	asked []string
	auths map[string]registry.AuthConfig
	err   error
}

func (s *fakeStore) Get(_ context.Context, server string) (registry.AuthConfig, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, server)
	return s.auths[server], s.err
}

func (s *fakeStore) All(context.Context) (map[string]registry.AuthConfig, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, "*")
	return s.auths, s.err
}

var _ Credentials = (*registry.Store)(nil)

func TestPullRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ref  string
		opts []PullOption
		want url.Values
	}{
		{"alpine", nil, url.Values{"fromImage": {"docker.io/library/alpine"}, "tag": {"latest"}}},
		{"alpine:3.20", nil, url.Values{"fromImage": {"docker.io/library/alpine"}, "tag": {"3.20"}}},
		{"alpine:3@" + dgst, nil, url.Values{"fromImage": {"docker.io/library/alpine"}, "tag": {dgst}}},
		{"127.0.0.1:5000/team/app", []PullOption{Platform("Linux/ARM64/v8")},
			url.Values{"fromImage": {"127.0.0.1:5000/team/app"}, "tag": {"latest"}, "platform": {"linux/arm64/v8"}}},
		{"user/repo", []PullOption{AllTags()}, url.Values{"fromImage": {"docker.io/user/repo"}}},
		{"127.0.0.1:5000/plain:1", []PullOption{ExtraQuery("tlsVerify", "false"), ExtraQuery("x", "a", "b"), ExtraQuery("flag")},
			url.Values{"fromImage": {"127.0.0.1:5000/plain"}, "tag": {"1"}, "tlsVerify": {"false"}, "x": {"a", "b"}, "flag": {""}}},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			t.Parallel()
			f := setup(t, "1.41", lines(`{"status":"ok"}`))
			if err := f.svc.PullAndWait(t.Context(), tt.ref, nil, tt.opts...); err != nil {
				t.Fatal(err)
			}
			r := f.last(t)
			if r.Method != "POST" || r.Path != "/images/create" {
				t.Errorf("request = %s %s", r.Method, r.Path)
			}
			if diff := cmp.Diff(tt.want, r.Query); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
			if h := r.Header.Get("X-Registry-Auth"); h != "" {
				t.Errorf("X-Registry-Auth = %q without credentials", h)
			}
		})
	}
}

func TestPullLocalErrors(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", nil)
	for name, seq := range map[string]func() error{
		"invalid ref":      func() error { return first(f.svc.Pull(t.Context(), "UPPER/Case")) },
		"all tags and tag": func() error { return first(f.svc.Pull(t.Context(), "a:1", AllTags())) },
		"bad platform":     func() error { return first(f.svc.Pull(t.Context(), "a", Platform("a/b/c/d"))) },
		"extra tag":        func() error { return first(f.svc.Pull(t.Context(), "a", ExtraQuery("Tag", "2"))) },
		"extra fromSrc":    func() error { return first(f.svc.Pull(t.Context(), "a", ExtraQuery("fromSrc", "-"))) },
		"extra empty key":  func() error { return first(f.svc.Pull(t.Context(), "a", ExtraQuery("", "x"))) },
		"store fails": func() error {
			return first(f.svc.Pull(t.Context(), "a", AuthFrom(&fakeStore{err: errors.New("docker: helper missing")})))
		},
	} {
		if err := seq(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestPullAuth(t *testing.T) {
	t.Parallel()
	secret := registry.AuthConfig{Username: "u", Password: "p", ServerAddress: "127.0.0.1:5000"}
	hub := registry.AuthConfig{Username: "hub", Password: "h", ServerAddress: registry.IndexServer}
	store := &fakeStore{auths: map[string]registry.AuthConfig{"127.0.0.1:5000": secret, registry.IndexServer: hub}}
	tests := []struct {
		name string
		ref  string
		opt  PullOption
		want registry.AuthConfig
	}{
		{"explicit", "127.0.0.1:5000/app", Auth(secret), secret},
		{"store, private registry", "127.0.0.1:5000/app", AuthFrom(store), secret},
		{"store, docker hub", "alpine", AuthFrom(store), hub},
		{"explicit wins when last", "alpine", pullOpts(AuthFrom(store), Auth(secret)), secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, "1.41", lines(`{"status":"ok"}`))
			if err := f.svc.PullAndWait(t.Context(), tt.ref, nil, tt.opt); err != nil {
				t.Fatal(err)
			}
			got, err := registry.DecodeAuth(f.last(t).Header.Get("X-Registry-Auth"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("auth mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// pullOpts applies several pull options as one.
type pullOptions []PullOption

func pullOpts(opts ...PullOption) PullOption { return pullOptions(opts) }

func (o pullOptions) applyPull(c *pullConfig) {
	for _, x := range o {
		x.applyPull(c)
	}
}

func TestPullStream(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(strings.Split(strings.TrimSpace(readFile(t, "pull.jsonl")), "\n")...))
	got, err := collect(f.svc.Pull(t.Context(), "127.0.0.1:5012/berth/golden:1"))
	if err != nil {
		t.Fatal(err)
	}
	want := []stream.Progress{
		{Status: "Pulling from berth/golden", ID: "1"},
		{Status: "Digest: sha256:90404c9628b2dd33a01ca20d27b26c0855b5ec550437e219aa04151bc4acb99f"},
		{Status: "Status: Downloaded newer image for 127.0.0.1:5012/berth/golden:1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("progress mismatch (-want +got):\n%s", diff)
	}
}

func TestPullAndWaitRendersAndFails(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(
		`{"status":"Pulling from library/x","id":"1"}`,
		`{"status":"Downloading","progressDetail":{"current":10,"total":100},"id":"abc"}`,
		`{"errorDetail":{"code":1,"message":"manifest unknown"},"error":"manifest unknown"}`,
		`{"status":"never seen"}`,
	))
	var out bytes.Buffer
	err := f.svc.PullAndWait(t.Context(), "x", stream.NewRenderer(&out, false))
	var se *docker.StreamError
	if !errors.As(err, &se) || se.Message != "manifest unknown" || se.Code != 1 {
		t.Fatalf("error = %#v, want a StreamError", err)
	}
	if want := "1: Pulling from library/x\nerror: manifest unknown\n"; out.String() != want {
		t.Errorf("rendered %q, want %q", out.String(), want)
	}
}

func TestPullBreakClosesConnection(t *testing.T) {
	t.Parallel()
	gone := make(chan struct{})
	f := setup(t, "1.41", func(w http.ResponseWriter, r *http.Request) {
		defer close(gone)
		for i := 0; i < 1000; i++ {
			if _, err := w.Write([]byte(`{"status":"tick"}` + "\n")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	for _, err := range f.svc.Pull(t.Context(), "x") {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the fake Engine still writes after break")
	}
}

func TestPushRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ref  string
		opts []PushOption
		path string
		want url.Values
	}{
		{"app", nil, "/images/docker.io%2Flibrary%2Fapp/push", url.Values{"tag": {"latest"}}},
		{"127.0.0.1:5000/team/app:1.4", nil, "/images/127.0.0.1:5000%2Fteam%2Fapp/push", url.Values{"tag": {"1.4"}}},
		{"127.0.0.1:5000/app", []PushOption{AllTags()}, "/images/127.0.0.1:5000%2Fapp/push", url.Values{}},
		{"app:2", []PushOption{Platform("linux/arm64")}, "/images/docker.io%2Flibrary%2Fapp/push",
			url.Values{"tag": {"2"}, "platform": {`{"architecture":"arm64","os":"linux"}`}}},
		{"127.0.0.1:5000/plain:3", []PushOption{ExtraQuery("tlsVerify", "false")}, "/images/127.0.0.1:5000%2Fplain/push",
			url.Values{"tag": {"3"}, "tlsVerify": {"false"}}},
		{"127.0.0.1:5000/every", []PushOption{AllTags(), ExtraQuery("tlsVerify", "false")}, "/images/127.0.0.1:5000%2Fevery/push",
			url.Values{"tlsVerify": {"false"}}},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			t.Parallel()
			f := setup(t, "1.46", lines(`{"status":"ok"}`))
			if _, err := f.svc.PushAndWait(t.Context(), tt.ref, nil, tt.opts...); err != nil {
				t.Fatal(err)
			}
			r := f.last(t)
			if r.Method != "POST" || r.Path != tt.path {
				t.Errorf("request = %s %s, want POST %s", r.Method, r.Path, tt.path)
			}
			if diff := cmp.Diff(tt.want, r.Query); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
			if h := r.Header.Get("X-Registry-Auth"); h != anonymous {
				t.Errorf("X-Registry-Auth = %q, want the anonymous %q", h, anonymous)
			}
		})
	}
	f := setup(t, "1.46", nil)
	for _, ref := range []string{"app@" + dgst, "Bad", ""} {
		if err := first(f.svc.Push(t.Context(), ref)); err == nil {
			t.Errorf("Push(%q) succeeded", ref)
		}
	}
	if err := first(f.svc.Push(t.Context(), "app:1", AllTags())); err == nil {
		t.Error("AllTags with a tag accepted")
	}
	for _, key := range []string{"tag", "PLATFORM", ""} {
		if err := first(f.svc.Push(t.Context(), "app:1", ExtraQuery(key, "x"))); err == nil {
			t.Errorf("ExtraQuery(%q) accepted on push", key)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestPushAndWait(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(strings.Split(strings.TrimSpace(readFile(t, "push.jsonl")), "\n")...))
	auth := registry.AuthConfig{Username: "berth", Password: "pw", ServerAddress: "127.0.0.1:5012"}
	var out bytes.Buffer
	got, err := f.svc.PushAndWait(t.Context(), "127.0.0.1:5012/berth/golden:1", stream.NewRenderer(&out, false), Auth(auth))
	if err != nil {
		t.Fatal(err)
	}
	want := []PushResult{{Tag: "1", Digest: "sha256:90404c9628b2dd33a01ca20d27b26c0855b5ec550437e219aa04151bc4acb99f", Size: 524}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(out.String(), "686247b0dd9f: Pushed") {
		t.Errorf("rendered:\n%s", out.String())
	}
	sent, _ := registry.DecodeAuth(f.last(t).Header.Get("X-Registry-Auth"))
	if sent != auth {
		t.Errorf("auth sent = %v", sent)
	}
}

// TestPushAndWaitPodman: Podman 4.3 sends no Aux result, only the status
// line that ends the tag (captured in testdata/push-podman-4.3.jsonl).
func TestPushAndWaitPodman(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(strings.Split(strings.TrimSpace(readFile(t, "push-podman-4.3.jsonl")), "\n")...))
	got, err := f.svc.PushAndWait(t.Context(), "127.0.0.1:5000/berth/podman-explore:2", nil, ExtraQuery("tlsVerify", "false"))
	if err != nil {
		t.Fatal(err)
	}
	want := []PushResult{{Tag: "2", Digest: "sha256:da67f98c5dbb2cb2d25e735b73796aed4cc61fa875602a7e6f055bf8140e874d", Size: 574}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
}

func TestPushStatusResult(t *testing.T) {
	t.Parallel()
	d := "sha256:" + hex64
	for status, want := range map[string]*PushResult{
		"1.4: digest: " + d + " size: 524":  {Tag: "1.4", Digest: d, Size: 524},
		"latest: digest: " + d + " size: 0": {Tag: "latest", Digest: d},
		"The push refers to repository [x]": nil,
		": digest: " + d + " size: 1":       nil,
		"a b: digest: " + d + " size: 1":    nil,
		"1: digest: md5:x size: 1":          nil,
		"1: digest: " + d + " size: -1":     nil,
		"1: digest: " + d + " size: big":    nil,
		"1: digest: " + d:                   nil,
	} {
		got, ok := pushStatusResult(status)
		if ok != (want != nil) || want != nil && got != *want {
			t.Errorf("pushStatusResult(%q) = %+v, %v; want %+v", status, got, ok, want)
		}
	}
}

func TestPushUnauthorizedStream(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(
		`{"status":"The push refers to repository [127.0.0.1:5012/x]"}`,
		`{"errorDetail":{"message":"no basic auth credentials"},"error":"no basic auth credentials"}`,
	))
	_, err := f.svc.PushAndWait(t.Context(), "127.0.0.1:5012/x", nil)
	var se *docker.StreamError
	if !errors.As(err, &se) || !strings.Contains(se.Message, "no basic auth credentials") {
		t.Errorf("error = %v", err)
	}
}

// TestPullMissingHelper checks that a credential helper that is not
// installed fails the pull with an error naming it, before anything is sent.
func TestPullMissingHelper(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"credHelpers":{"127.0.0.1:5000":"berth-nothere"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	store, err := registry.NewStore(dir, registry.WithLookPath(func(string) (string, error) { return "", exec.ErrNotFound }))
	if err != nil {
		t.Fatal(err)
	}
	f := setup(t, "1.41", nil)
	err = f.svc.PullAndWait(t.Context(), "127.0.0.1:5000/app", nil, AuthFrom(store))
	if err == nil || !strings.Contains(err.Error(), "docker-credential-berth-nothere") {
		t.Errorf("error = %v, want one naming the helper", err)
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
