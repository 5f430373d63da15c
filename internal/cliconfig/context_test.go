package cliconfig_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/internal/cliconfig"
)

func TestContextID(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, want string }{
		// Computed with: printf %s NAME | sha256sum
		{"remote", "b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a"},
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	}
	for _, tt := range tests {
		if got := cliconfig.ContextID(tt.name); got != tt.want {
			t.Errorf("ContextID(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestLoadContext(t *testing.T) {
	t.Parallel()
	const meta = `{"Name":"remote","Metadata":{"Description":"build box"},
		"Endpoints":{"docker":{"Host":"tcp://build.local:2376","SkipTLSVerify":true}}}`
	tests := []struct {
		name     string
		meta     string
		tlsFiles []string // nil: no TLS directory
		want     func(tlsDir string) *cliconfig.TLSFiles
		wantHost string
		wantSkip bool
		wantDesc string
	}{
		{
			name: "without tls", meta: meta,
			want:     func(string) *cliconfig.TLSFiles { return nil },
			wantHost: "tcp://build.local:2376", wantSkip: true, wantDesc: "build box",
		},
		{
			name: "all tls files", meta: meta, tlsFiles: []string{"ca.pem", "cert.pem", "key.pem"},
			want: func(d string) *cliconfig.TLSFiles {
				return &cliconfig.TLSFiles{CA: filepath.Join(d, "ca.pem"), Cert: filepath.Join(d, "cert.pem"), Key: filepath.Join(d, "key.pem")}
			},
			wantHost: "tcp://build.local:2376", wantSkip: true, wantDesc: "build box",
		},
		{
			name: "ca only", meta: meta, tlsFiles: []string{"ca.pem"},
			want: func(d string) *cliconfig.TLSFiles {
				return &cliconfig.TLSFiles{CA: filepath.Join(d, "ca.pem")}
			},
			wantHost: "tcp://build.local:2376", wantSkip: true, wantDesc: "build box",
		},
		{
			name: "empty tls dir", meta: meta, tlsFiles: []string{},
			want:     func(string) *cliconfig.TLSFiles { return &cliconfig.TLSFiles{} },
			wantHost: "tcp://build.local:2376", wantSkip: true, wantDesc: "build box",
		},
		{
			name: "minimal, other endpoints and odd metadata ignored",
			meta: `{"Name":"remote","Metadata":[1,2],"Endpoints":{"kubernetes":{"Host":7},"docker":{"Host":"unix:///run/docker.sock"}}}`,
			want: func(string) *cliconfig.TLSFiles { return nil }, wantHost: "unix:///run/docker.sock",
		},
		{
			name: "empty host", meta: `{"Endpoints":{"docker":{}}}`,
			want: func(string) *cliconfig.TLSFiles { return nil },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			tlsDir := writeContext(t, dir, "remote", tt.meta, tt.tlsFiles)
			got, err := cliconfig.LoadContext(dir, "remote")
			if err != nil {
				t.Fatalf("LoadContext: %v", err)
			}
			want := &cliconfig.Context{
				Name:          "remote",
				Description:   tt.wantDesc,
				Host:          tt.wantHost,
				SkipTLSVerify: tt.wantSkip,
				TLS:           tt.want(tlsDir),
				MetaPath:      filepath.Join(dir, "contexts", "meta", cliconfig.ContextID("remote"), "meta.json"),
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("LoadContext mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadContextRelativeDir(t *testing.T) {
	// Not parallel: changes the working directory.
	dir := t.TempDir()
	writeContext(t, dir, "rel", `{"Endpoints":{"docker":{"Host":"tcp://h:1"}}}`, []string{"ca.pem"})
	t.Chdir(dir)
	got, err := cliconfig.LoadContext(".", "rel")
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(got.MetaPath) || !filepath.IsAbs(got.TLS.CA) {
		t.Errorf("paths are not absolute: %q, %q", got.MetaPath, got.TLS.CA)
	}
}

func TestLoadContextErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		store        string // context name stored; "" stores nothing
		meta         string
		load         string
		wantNotFound bool
		want         []string
	}{
		{name: "missing", load: "nowhere", wantNotFound: true,
			want: []string{`"nowhere"`, filepath.Join("contexts", "meta", cliconfig.ContextID("nowhere"), "meta.json"), "context not found"}},
		{name: "other context stored", store: "a1", meta: `{"Endpoints":{"docker":{}}}`, load: "b1", wantNotFound: true, want: []string{`"b1"`}},
		{name: "empty name", load: "", want: []string{"context name is empty"}},
		{name: "corrupt meta", store: "bad", meta: `{"Name":"bad",`, load: "bad",
			want: []string{`"bad"`, "meta.json", "invalid JSON at byte offset 14"}},
		{name: "bom", store: "bom", meta: "\xEF\xBB\xBF{}", load: "bom", want: []string{"byte order mark", "meta.json"}},
		{name: "no docker endpoint", store: "k8s", meta: `{"Name":"k8s","Endpoints":{"kubernetes":{}}}`, load: "k8s",
			want: []string{`"k8s"`, "meta.json", "no docker endpoint"}},
		{name: "null docker endpoint", store: "nil", meta: `{"Endpoints":{"docker":null}}`, load: "nil", want: []string{"no docker endpoint"}},
		{name: "null document", store: "null", meta: `null`, load: "null", want: []string{"no docker endpoint"}},
		{name: "host not a string", store: "num", meta: `{"Endpoints":{"docker":{"Host":5}}}`, load: "num",
			want: []string{"unexpected JSON number for field Endpoints.docker.Host"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tt.store != "" {
				writeContext(t, dir, tt.store, tt.meta, nil)
			}
			c, err := cliconfig.LoadContext(dir, tt.load)
			if err == nil {
				t.Fatalf("LoadContext = %+v, want an error", c)
			}
			if got := errors.Is(err, cliconfig.ErrContextNotFound); got != tt.wantNotFound {
				t.Errorf("errors.Is(%v, ErrContextNotFound) = %v, want %v", err, got, tt.wantNotFound)
			}
			for _, w := range append(tt.want, "docker: ") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestValidateContextName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ok   bool
	}{
		{"remote", true},
		{"my-ctx_1.2+x", true},
		{"A1", true},
		{"default", true},
		{"9lives", true},
		{"", false},
		{"a", false},
		{"-ab", false},
		{".ab", false},
		{"_ab", false},
		{"a/b", false},
		{"../x", false},
		{`a\b`, false},
		{"a b", false},
		{"caf\u00e9", false},
		{"a:b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := cliconfig.ValidateContextName(tt.name)
			if (err == nil) != tt.ok {
				t.Errorf("ValidateContextName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
			}
		})
	}
}
