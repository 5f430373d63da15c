package registry_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker/registry"
)

// newStore writes config (the content of config.json) to a temporary
// directory and returns a Store over it that finds helpers in helperDir.
func newStore(t *testing.T, config string) (*registry.Store, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.json")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := registry.NewStore(dir, registry.WithLookPath(lookInHelperDir))
	if err != nil {
		t.Fatalf("NewStore: %v", err)
	}
	return s, path
}

// authsConfig has only "auths" entries. alice:hunter2, bob:pa:ss and
// "nocolon" are base64 computed with printf %s ... | base64.
const authsConfig = `{"auths": {
	"https://index.docker.io/v1/": {"auth": "YWxpY2U6aHVudGVyMg=="},
	"http://legacy.local:5000": {"auth": "Ym9iOnBhOnNz", "email": "bob@example.com"},
	"token.local": {"identitytoken": "tok-secret"},
	"plain.local": {"username": "carol", "password": "pw-plain"},
	"unpadded.local": {"auth": "YWxpY2U6aHVudGVyMg"},
	"broken.local": {"auth": "!!not-base64-secret"},
	"nocolon.local": {"auth": "bm9jb2xvbg=="}
}}`

func TestStoreGetAuths(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, authsConfig)
	hub := registry.AuthConfig{Username: "alice", Password: "hunter2", ServerAddress: registry.IndexServer}
	legacy := registry.AuthConfig{Username: "bob", Password: "pa:ss", Email: "bob@example.com", ServerAddress: "http://legacy.local:5000"}
	tests := []struct {
		server string
		want   registry.AuthConfig
	}{
		{"", hub},
		{"docker.io", hub},
		{"index.docker.io", hub},
		{"registry-1.docker.io", hub},
		{registry.IndexServer, hub},
		{"https://index.docker.io/v2/", hub},
		{"legacy.local:5000", legacy},
		{"https://legacy.local:5000/v2/", legacy},
		{"LEGACY.local:5000", legacy},
		{"legacy.local", registry.AuthConfig{}}, // another port is another registry
		{"token.local", registry.AuthConfig{IdentityToken: "tok-secret", ServerAddress: "token.local"}},
		{"plain.local", registry.AuthConfig{Username: "carol", Password: "pw-plain", ServerAddress: "plain.local"}},
		{"unpadded.local", registry.AuthConfig{Username: "alice", Password: "hunter2", ServerAddress: "unpadded.local"}},
		{"unknown.local", registry.AuthConfig{}},
	}
	for _, tt := range tests {
		t.Run(tt.server, func(t *testing.T) {
			t.Parallel()
			got, err := s.Get(t.Context(), tt.server)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Get(%q) mismatch (-want +got):\n%s", tt.server, diff)
			}
		})
	}
}

func TestStoreGetAuthsErrors(t *testing.T) {
	t.Parallel()
	s, path := newStore(t, authsConfig)
	for _, server := range []string{"broken.local", "nocolon.local"} {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			_, err := s.Get(t.Context(), server)
			if err == nil {
				t.Fatal("Get succeeded, want an error")
			}
			msg := err.Error()
			for _, want := range []string{"docker: ", path, server} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
			for _, leak := range []string{"not-base64-secret", "bm9jb2xvbg", "nocolon\""} {
				if strings.Contains(msg, leak) {
					t.Errorf("error %q leaks %q", msg, leak)
				}
			}
		})
	}
}

// helpersConfig uses the fake helpers of testdata/helpers.
const helpersConfig = `{
	"auths": {"ok.example": {"username": "fileuser", "password": "file-pw"}, "https://index.docker.io/v1/": {"auth": "YWxpY2U6aHVudGVyMg=="}},
	"credsStore": "fake",
	"credHelpers": {
		"gcr.example": "fake",
		"broken.example": "broken",
		"missing.example": "nonexistent",
		"badname.example": "../../bin/sh"
	}
}`

func TestStoreGetHelpers(t *testing.T) {
	t.Parallel()
	requireHelpers(t)
	s, _ := newStore(t, helpersConfig)
	tests := []struct {
		server string
		want   registry.AuthConfig
	}{
		// credsStore wins over auths.
		{"ok.example", registry.AuthConfig{Username: "user-for-ok.example", Password: "pw-from-helper", ServerAddress: "ok.example"}},
		{"docker.io", registry.AuthConfig{Username: "hubuser", Password: "hub-from-helper", ServerAddress: registry.IndexServer}},
		// The address reaches the helper's stdin as given.
		{"https://ok.example", registry.AuthConfig{Username: "user-for-https://ok.example", Password: "pw-from-helper", ServerAddress: "https://ok.example"}},
		{"token.example", registry.AuthConfig{IdentityToken: "identity-from-helper", ServerAddress: "token.example"}},
		// credHelpers wins over credsStore.
		{"gcr.example", registry.AuthConfig{Username: "user-for-gcr.example", Password: "pw-from-helper", ServerAddress: "gcr.example"}},
		{"unknown.example", registry.AuthConfig{}},
		{"notfound-ok.example", registry.AuthConfig{}},
		{"background.example", registry.AuthConfig{Username: "bg", Password: "pw-from-helper", ServerAddress: "background.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.server, func(t *testing.T) {
			t.Parallel()
			got, err := s.Get(t.Context(), tt.server)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Get(%q) mismatch (-want +got):\n%s", tt.server, diff)
			}
		})
	}
}

func TestStoreGetHelperErrors(t *testing.T) {
	t.Parallel()
	requireHelpers(t)
	s, _ := newStore(t, helpersConfig)
	tests := []struct {
		server  string
		want    []string
		notWant []string
		is      error
	}{
		{"fail.example", []string{"docker-credential-fake get failed", "exit status 1", `"the keychain is locked"`}, nil, nil},
		{"leak.example", []string{"docker-credential-fake get failed", "exit status 1"}, []string{"leaked-from-helper", "alice", "Secret"}, nil},
		{"quiet.example", []string{"docker-credential-fake get failed: exit status 4"}, nil, nil},
		{"garbage.example", []string{"docker-credential-fake get", "not credentials JSON", "byte offset"}, []string{"this is not"}, nil},
		{"huge.example", []string{"output exceeds 1048576 bytes"}, []string{"aaaa"}, nil},
		{"broken.example", []string{"docker-credential-broken get failed", "exit status 3", `"broken helper cannot get"`}, nil, nil},
		{"missing.example", []string{"docker-credential-nonexistent is not on PATH"}, nil, exec.ErrNotFound},
		{"badname.example", []string{`invalid credential helper name "../../bin/sh"`}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.server, func(t *testing.T) {
			t.Parallel()
			got, err := s.Get(t.Context(), tt.server)
			if err == nil {
				t.Fatalf("Get = %v, want an error", got)
			}
			msg := err.Error()
			for _, w := range append(tt.want, "docker: ") {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			for _, w := range append(tt.notWant, "pw-from-helper") {
				if strings.Contains(msg, w) {
					t.Errorf("error %q contains %q", msg, w)
				}
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
}

func TestStoreHelperOnPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"credsStore":"berth-test-no-such-helper"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := registry.NewStore(dir) // the default: exec.LookPath over $PATH
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Get(t.Context(), "r.example")
	if err == nil || !strings.Contains(err.Error(), "docker-credential-berth-test-no-such-helper is not on PATH") || !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("Get error = %v, want one naming the helper and PATH, wrapping exec.ErrNotFound", err)
	}
}

func TestStoreGetCancel(t *testing.T) {
	t.Parallel()
	requireHelpers(t)
	s, _ := newStore(t, helpersConfig)
	tests := []struct {
		server string
		limit  time.Duration // the whole call, including the 200ms before the cancel
	}{
		// The helper itself sleeps: killing it ends the call.
		{"sleep.example", 1500 * time.Millisecond},
		// The helper's child holds stdout: the wait delay (1s) ends the call.
		{"grandchild.example", 2500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.server, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := s.Get(ctx, tt.server)
			took := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Get error = %v, want context.DeadlineExceeded", err)
			}
			if err != nil && !strings.Contains(err.Error(), "docker-credential-fake get") {
				t.Errorf("error %q does not name the helper", err)
			}
			if took > tt.limit {
				t.Errorf("Get took %v after a 200ms deadline, want under %v", took, tt.limit)
			}
		})
	}
	t.Run("already cancelled", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := s.Get(ctx, "ok.example"); !errors.Is(err, context.Canceled) {
			t.Errorf("Get error = %v, want context.Canceled", err)
		}
	})
}

func TestStoreAll(t *testing.T) {
	t.Parallel()
	requireHelpers(t)
	tests := []struct {
		name   string
		config string
		want   map[string]registry.AuthConfig
	}{
		{"empty", `{}`, map[string]registry.AuthConfig{}},
		{
			"auths only",
			`{"auths": {"https://index.docker.io/v1/": {"auth": "YWxpY2U6aHVudGVyMg=="}, "plain.local": {"username": "carol", "password": "pw-plain"}}}`,
			map[string]registry.AuthConfig{
				registry.IndexServer: {Username: "alice", Password: "hunter2", ServerAddress: registry.IndexServer},
				"plain.local":        {Username: "carol", Password: "pw-plain", ServerAddress: "plain.local"},
			},
		},
		{
			"everything",
			helpersConfig,
			map[string]registry.AuthConfig{
				// from auths, not listed by the credsStore
				registry.IndexServer: {Username: "alice", Password: "hunter2", ServerAddress: registry.IndexServer},
				// listed by the credsStore: its answer wins over auths
				"ok.example":    {Username: "user-for-ok.example", Password: "pw-from-helper", ServerAddress: "ok.example"},
				"token.example": {IdentityToken: "identity-from-helper", ServerAddress: "token.example"},
				// credHelpers; the broken, missing and badly named ones are skipped
				"gcr.example": {Username: "user-for-gcr.example", Password: "pw-from-helper", ServerAddress: "gcr.example"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newStore(t, tt.config)
			got, err := s.All(t.Context())
			if err != nil {
				t.Fatalf("All: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("All mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStoreAllErrors(t *testing.T) {
	t.Parallel()
	requireHelpers(t)
	tests := []struct {
		name   string
		config string
		want   string
	}{
		{"broken auth", `{"auths": {"x.local": {"auth": "!!"}}}`, `auths["x.local"]`},
		{"failing credsStore", `{"credsStore": "broken"}`, "docker-credential-broken list failed"},
		{"credsStore list not json", `{"credsStore": "badlist"}`, "docker-credential-badlist list: output is not a JSON object"},
		{"missing credsStore", `{"credsStore": "nonexistent"}`, "docker-credential-nonexistent is not on PATH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newStore(t, tt.config)
			got, err := s.All(t.Context())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("All = %v, %v; want an error containing %q", got, err, tt.want)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t, `{"credHelpers": {"gcr.example": "fake"}}`)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := s.All(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("All error = %v, want context.Canceled", err)
		}
	})
}

func TestStoreConcurrent(t *testing.T) {
	t.Parallel()
	requireHelpers(t)
	s, _ := newStore(t, helpersConfig)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			server := []string{"ok.example", "token.example", "gcr.example", "docker.io"}[i%4]
			a, err := s.Get(t.Context(), server)
			if err == nil && a == (registry.AuthConfig{}) {
				err = errors.New("no credentials for " + server)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestNewStore(t *testing.T) {
	t.Parallel()
	t.Run("missing config file", func(t *testing.T) {
		t.Parallel()
		s, err := registry.NewStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(t.Context(), "docker.io")
		if err != nil || got != (registry.AuthConfig{}) {
			t.Errorf("Get = %v, %v; want no credentials", got, err)
		}
	})
	t.Run("corrupt config file", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"auths":`), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := registry.NewStore(dir)
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "config.json")) {
			t.Errorf("NewStore error = %v, want one naming the file", err)
		}
	})
	t.Run("nil look path", func(t *testing.T) {
		t.Parallel()
		if _, err := registry.NewStore(t.TempDir(), registry.WithLookPath(nil)); err == nil {
			t.Error("NewStore(WithLookPath(nil)) succeeded, want an error")
		}
	})
}

// Not parallel: sets DOCKER_CONFIG.
func TestNewStoreDefaultDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"auths":{"env.local":{"username":"u","password":"p"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
	s, err := registry.NewStore("")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(t.Context(), "env.local")
	if want := (registry.AuthConfig{Username: "u", Password: "p", ServerAddress: "env.local"}); err != nil || got != want {
		t.Errorf("Get = %v, %v; want %v", got, err, want)
	}
}
