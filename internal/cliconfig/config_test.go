package cliconfig_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/internal/cliconfig"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content *string // nil: no file
		want    cliconfig.File
	}{
		{name: "missing file", content: nil, want: cliconfig.File{}},
		{name: "empty file", content: ptr(""), want: cliconfig.File{}},
		{name: "white space only", content: ptr(" \n\t\n"), want: cliconfig.File{}},
		{name: "empty object", content: ptr("{}"), want: cliconfig.File{}},
		{name: "null", content: ptr("null"), want: cliconfig.File{}},
		{
			name: "everything",
			content: ptr(`{
	"auths": {
		"https://index.docker.io/v1/": {"auth": "YWxpY2U6aHVudGVyMg=="},
		"registry.local:5000": {"username": "bob", "password": "pw", "email": "b@example.com",
			"serveraddress": "registry.local:5000", "identitytoken": "id", "registrytoken": "rt"}
	},
	"credsStore": "desktop",
	"credHelpers": {"gcr.io": "gcloud"},
	"currentContext": "remote",
	"HttpHeaders": {"X-Meta": "yes"},
	"psFormat": "table {{.ID}}",
	"aliases": {"builder": "buildx"},
	"plugins": {"x": {"y": "z"}}
}`),
			want: cliconfig.File{
				Auths: map[string]cliconfig.AuthEntry{
					"https://index.docker.io/v1/": {Auth: "YWxpY2U6aHVudGVyMg=="},
					"registry.local:5000": {Username: "bob", Password: "pw", Email: "b@example.com",
						ServerAddress: "registry.local:5000", IdentityToken: "id", RegistryToken: "rt"},
				},
				CredsStore:     "desktop",
				CredHelpers:    map[string]string{"gcr.io": "gcloud"},
				CurrentContext: "remote",
				HTTPHeaders:    map[string]string{"X-Meta": "yes"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "config.json")
			if tt.content != nil {
				writeFile(t, path, *tt.content)
			}
			got, err := cliconfig.Load(dir)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			tt.want.Path = path
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("Load mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-very-secret"
	tests := []struct {
		name    string
		content string
		want    []string // substrings of the error
	}{
		{"corrupt", `{"auths": {`, []string{"invalid JSON at byte offset 11"}},
		{"trailing garbage", `{} x`, []string{"invalid JSON at byte offset 4"}},
		{"bom", "\xEF\xBB\xBF{}", []string{"byte order mark"}},
		{"wrong type", `{"credsStore": 12}`, []string{"unexpected JSON number for field credsStore"}},
		{"secret not quoted", `{"auths": {"x": {"password": ` + secret + `}}}`, []string{"invalid JSON at byte offset"}},
		{"numeric secret not quoted", `{"auths": {"x": {"password": 98765432}}}`, []string{"unexpected JSON number for field auths.password"}},
		{"array", `[]`, []string{"unexpected JSON array"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "config.json")
			writeFile(t, path, tt.content)
			_, err := cliconfig.Load(dir)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			msg := err.Error()
			for _, w := range append(tt.want, path, "docker: ") {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			for _, leak := range []string{secret, "98765432", "hunter"} {
				if strings.Contains(msg, leak) {
					t.Errorf("error %q leaks %q", msg, leak)
				}
			}
		})
	}
}

func TestLoadUnreadable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// A directory where the file should be cannot be read on any platform.
	if err := os.Mkdir(filepath.Join(dir, "config.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := cliconfig.Load(dir)
	if err == nil {
		t.Fatal("Load succeeded, want an error")
	}
	if errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v must not look like a missing file", err)
	}
	if runtime.GOOS != "windows" && !strings.Contains(err.Error(), filepath.Join(dir, "config.json")) {
		t.Errorf("error %q does not name the file", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestUnmarshal(t *testing.T) {
	t.Parallel()
	var v struct{ Password string }
	err := cliconfig.Unmarshal([]byte(`{"Password": secret}`), &v)
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) {
		t.Fatalf("Unmarshal error %v does not wrap *json.SyntaxError", err)
	}
	if got, want := err.Error(), "invalid JSON at byte offset 14"; got != want {
		t.Errorf("Unmarshal error = %q, want %q", got, want)
	}
	err = cliconfig.Unmarshal([]byte(`{"Password": true}`), &v)
	var typ *json.UnmarshalTypeError
	if !errors.As(err, &typ) {
		t.Fatalf("Unmarshal error %v does not wrap *json.UnmarshalTypeError", err)
	}
	if got, want := err.Error(), "unexpected JSON bool for field Password at byte offset 17"; got != want {
		t.Errorf("Unmarshal error = %q, want %q", got, want)
	}
	if err := cliconfig.Unmarshal([]byte(`{"Password":"ok"}`), &v); err != nil || v.Password != "ok" {
		t.Errorf("Unmarshal = %v, %q", err, v.Password)
	}
}
