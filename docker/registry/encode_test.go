package registry_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker/registry"
)

// The expected headers below were computed outside Go, with
// printf %s JSON | basenc --base64url -w0 (and base64 -w0 for the standard
// alphabet).
func TestEncode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		auth registry.AuthConfig
		want string
	}{
		{"anonymous", registry.AuthConfig{}, "e30="},
		{
			"password",
			registry.AuthConfig{Username: "alice", Password: "hunter2", ServerAddress: "registry.local:5000"},
			"eyJ1c2VybmFtZSI6ImFsaWNlIiwicGFzc3dvcmQiOiJodW50ZXIyIiwic2VydmVyYWRkcmVzcyI6InJlZ2lzdHJ5LmxvY2FsOjUwMDAifQ==",
		},
		{
			"url alphabet",
			registry.AuthConfig{Password: "a???b~~~", IdentityToken: "tok???"},
			"eyJwYXNzd29yZCI6ImE_Pz9ifn5-IiwiaWRlbnRpdHl0b2tlbiI6InRvaz8_PyJ9",
		},
		{
			"identity token",
			registry.AuthConfig{IdentityToken: "9cbaf023786cd7"},
			"eyJpZGVudGl0eXRva2VuIjoiOWNiYWYwMjM3ODZjZDcifQ==",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.auth.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Encode() = %q, want %q", got, tt.want)
			}
			back, err := registry.DecodeAuth(got)
			if err != nil {
				t.Fatalf("DecodeAuth(Encode()): %v", err)
			}
			if diff := cmp.Diff(tt.auth, back); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodeConfigs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   map[string]registry.AuthConfig
		want string
	}{
		{"nil", nil, "e30="},
		{"empty", map[string]registry.AuthConfig{}, "e30="},
		{
			// {"r.local":{"username":"u","password":"p?~"}}
			"one",
			map[string]registry.AuthConfig{"r.local": {Username: "u", Password: "p?~"}},
			"eyJyLmxvY2FsIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicD9-In19",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := registry.EncodeConfigs(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("EncodeConfigs() = %q, want %q", got, tt.want)
			}
			back, err := registry.DecodeConfigs(got)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.in
			if want == nil {
				want = map[string]registry.AuthConfig{}
			}
			if diff := cmp.Diff(want, back); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeAuth(t *testing.T) {
	t.Parallel()
	pw := registry.AuthConfig{Username: "u", Password: "p?~", ServerAddress: "r.local"}
	tests := []struct {
		name   string
		header string
		want   registry.AuthConfig
	}{
		{"url padded", "eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InA_fiIsInNlcnZlcmFkZHJlc3MiOiJyLmxvY2FsIn0=", pw},
		{"url unpadded", "eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InA_fiIsInNlcnZlcmFkZHJlc3MiOiJyLmxvY2FsIn0", pw},
		{"std padded", "eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InA/fiIsInNlcnZlcmFkZHJlc3MiOiJyLmxvY2FsIn0=", pw},
		{"std unpadded", "eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InA/fiIsInNlcnZlcmFkZHJlc3MiOiJyLmxvY2FsIn0", pw},
		{"surrounding space", " e30= \n", registry.AuthConfig{}},
		{"empty header", "", registry.AuthConfig{}},
		// {"Username":"x","extra":1}: field names match case-insensitively and
		// unknown fields are ignored, as the Engine decodes them.
		{"unknown field", "eyJVc2VybmFtZSI6IngiLCJleHRyYSI6MX0", registry.AuthConfig{Username: "x"}},
		{"null", "bnVsbA", registry.AuthConfig{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := registry.DecodeAuth(tt.header)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DecodeAuth mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeAuthErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		want   string
		leak   string // must not appear in the error
	}{
		{"not base64", "e30=!!", "not base64", ""},
		// {"password":"topsecret" (truncated JSON)
		{"truncated json", "eyJwYXNzd29yZCI6InRvcHNlY3JldCI", "invalid JSON at byte offset", "topsecret"},
		// {"password":topsecret}
		{"bad json", "eyJwYXNzd29yZCI6dG9wc2VjcmV0fQ", "invalid JSON at byte offset 14", "topsecret"},
		// {"password":12345678}
		{"wrong type", "eyJwYXNzd29yZCI6MTIzNDU2Nzh9", "unexpected JSON number for field password", "12345678"},
		// [1]
		{"not an object", "WzFd", "unexpected JSON array", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := registry.DecodeAuth(tt.header)
			if err == nil {
				t.Fatal("DecodeAuth succeeded, want an error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "docker: decode registry auth: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not contain %q", msg, tt.want)
			}
			if tt.leak != "" && strings.Contains(msg, tt.leak) {
				t.Errorf("error %q leaks %q", msg, tt.leak)
			}
			if tt.leak != "" && strings.Contains(msg, tt.leak[:1]+"'") {
				t.Errorf("error %q quotes a character of the input", msg)
			}
		})
	}
}

func TestServerAddress(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", registry.IndexServer},
		{"docker.io", registry.IndexServer},
		{"index.docker.io", registry.IndexServer},
		{"registry-1.docker.io", registry.IndexServer},
		{"registry.local:5000", "registry.local:5000"},
		{"ghcr.io", "ghcr.io"},
		{"localhost", "localhost"},
		{registry.IndexServer, registry.IndexServer},
	}
	for _, tt := range tests {
		if got := registry.ServerAddress(tt.in); got != tt.want {
			t.Errorf("ServerAddress(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
