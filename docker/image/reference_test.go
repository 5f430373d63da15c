package image

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	dgst  = "sha256:" + hex64
)

func TestParseReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		want     Reference
		str      string // String()
		familiar string // Familiar()
	}{
		{"alpine", Reference{"docker.io", "library/alpine", "", ""}, "docker.io/library/alpine", "alpine"},
		{"alpine:3.20", Reference{"docker.io", "library/alpine", "3.20", ""}, "docker.io/library/alpine:3.20", "alpine:3.20"},
		{"library/alpine", Reference{"docker.io", "library/alpine", "", ""}, "docker.io/library/alpine", "alpine"},
		{"docker.io/alpine", Reference{"docker.io", "library/alpine", "", ""}, "docker.io/library/alpine", "alpine"},
		{"index.docker.io/library/alpine:latest", Reference{"docker.io", "library/alpine", "latest", ""}, "docker.io/library/alpine:latest", "alpine:latest"},
		{"user/repo", Reference{"docker.io", "user/repo", "", ""}, "docker.io/user/repo", "user/repo"},
		{"library/library/foo", Reference{"docker.io", "library/library/foo", "", ""}, "docker.io/library/library/foo", "library/library/foo"},
		{"docker.io/library/a/b", Reference{"docker.io", "library/a/b", "", ""}, "docker.io/library/a/b", "library/a/b"},
		{"localhost/foo", Reference{"localhost", "foo", "", ""}, "localhost/foo", "localhost/foo"},
		{"localhost", Reference{"docker.io", "library/localhost", "", ""}, "docker.io/library/localhost", "localhost"},
		{"localhost:5000/foo/bar:tag", Reference{"localhost:5000", "foo/bar", "tag", ""}, "localhost:5000/foo/bar:tag", "localhost:5000/foo/bar:tag"},
		{"127.0.0.1:5000/app:1.4", Reference{"127.0.0.1:5000", "app", "1.4", ""}, "127.0.0.1:5000/app:1.4", "127.0.0.1:5000/app:1.4"},
		{"[::1]:5000/app", Reference{"[::1]:5000", "app", "", ""}, "[::1]:5000/app", "[::1]:5000/app"},
		{"[fe80::1]/app", Reference{"[fe80::1]", "app", "", ""}, "[fe80::1]/app", "[fe80::1]/app"},
		{"registry.example.com/a/b/c:v1", Reference{"registry.example.com", "a/b/c", "v1", ""}, "registry.example.com/a/b/c:v1", "registry.example.com/a/b/c:v1"},
		{"sub-1.example.com:443/x", Reference{"sub-1.example.com:443", "x", "", ""}, "sub-1.example.com:443/x", "sub-1.example.com:443/x"},
		{"alpine@" + dgst, Reference{"docker.io", "library/alpine", "", dgst}, "docker.io/library/alpine@" + dgst, "alpine@" + dgst},
		{"alpine:3@" + dgst, Reference{"docker.io", "library/alpine", "3", dgst}, "docker.io/library/alpine:3@" + dgst, "alpine:3@" + dgst},
		{"Foo/bar", Reference{"Foo", "bar", "", ""}, "Foo/bar", "Foo/bar"}, // an upper-case first element is a registry
		{"a__b/c--d/e.f", Reference{"docker.io", "a__b/c--d/e.f", "", ""}, "docker.io/a__b/c--d/e.f", "a__b/c--d/e.f"},
		{"foo_bar:TAG_1.0-x", Reference{"docker.io", "library/foo_bar", "TAG_1.0-x", ""}, "docker.io/library/foo_bar:TAG_1.0-x", "foo_bar:TAG_1.0-x"},
		{"x:" + strings.Repeat("t", 128), Reference{"docker.io", "library/x", strings.Repeat("t", 128), ""}, "docker.io/library/x:" + strings.Repeat("t", 128), "x:" + strings.Repeat("t", 128)},
		{"x@sha512:" + hex64 + hex64, Reference{"docker.io", "library/x", "", "sha512:" + hex64 + hex64}, "docker.io/library/x@sha512:" + hex64 + hex64, "x@sha512:" + hex64 + hex64},
		{"docker.io/localhost/foo", Reference{"docker.io", "localhost/foo", "", ""}, "docker.io/localhost/foo", "localhost/foo"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseReference(tt.in)
			if err != nil {
				t.Fatalf("ParseReference(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseReference(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
			if s := got.Familiar(); s != tt.familiar {
				t.Errorf("Familiar() = %q, want %q", s, tt.familiar)
			}
			again, err := ParseReference(got.String())
			if err != nil || again != got {
				t.Errorf("String() does not parse back: %+v, %v", again, err)
			}
		})
	}
}

func TestParseReferenceErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, reason string }{
		{"", "repository name must have at least one component"},
		{"UPPER/Case", "repository name (Case) must be lowercase"},
		{"Alpine", "repository name (library/Alpine) must be lowercase"},
		{"registry.local/App:1", "repository name (App) must be lowercase"},
		{"a::b", "invalid reference format"},
		{hex64, "cannot specify 64-byte hexadecimal strings as a repository name"},
		{"alpine:", "invalid reference format"},
		{"alpine:-bad", "invalid reference format"},
		{"alpine:.bad", "invalid reference format"},
		{"alpine:a/b", "invalid reference format"},
		{"x:" + strings.Repeat("t", 129), "invalid reference format"},
		{"-alpine", "invalid reference format"},
		{"alpine-", "invalid reference format"},
		{"a..b", "invalid reference format"},
		{"a___b", "invalid reference format"},
		{"a/", "invalid reference format"},
		{"a//b", "invalid reference format"},
		{"foo bar", "invalid reference format"},
		{"localhost:abc/foo", "invalid reference format"},
		{"[::1/foo", "invalid reference format"},
		{"ho$t.com/x", "invalid reference format"},
		{"-host.com/x", "invalid reference format"},
		{"alpine@sha256:abc", "invalid reference format"},
		{"alpine@", "invalid reference format"},
		{"alpine@sha256:" + hex64[:40], "invalid checksum digest length"},
		{"alpine@md5:" + hex64[:32], "unsupported digest algorithm"},
		{"alpine@sha256:" + strings.ToUpper(hex64), "invalid checksum digest format"},
		{"alpine@1sha:" + hex64, "invalid reference format"},
		{"alpine@sha256:" + hex64 + "@x", "invalid reference format"},
		{strings.Repeat("a", 246), "repository name must not be more than 255 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseReference(tt.in)
			if err == nil {
				t.Fatalf("ParseReference(%q) = %+v, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalidReference) {
				t.Errorf("error %v does not match ErrInvalidReference", err)
			}
			var re *ReferenceError
			if !errors.As(err, &re) || re.Reason != tt.reason || re.Ref != tt.in {
				t.Errorf("error = %v, want reason %q", err, tt.reason)
			}
			if !strings.HasPrefix(err.Error(), "docker: invalid reference ") {
				t.Errorf("error %q lacks the prefix", err)
			}
		})
	}
}

func TestNormalizeReference(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"alpine", "docker.io/library/alpine:latest"},
		{"alpine:3", "docker.io/library/alpine:3"},
		{"alpine@" + dgst, "docker.io/library/alpine@" + dgst},
		{"127.0.0.1:5000/app", "127.0.0.1:5000/app:latest"},
	}
	for _, tt := range tests {
		got, err := NormalizeReference(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeReference(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := NormalizeReference("A"); !errors.Is(err, ErrInvalidReference) {
		t.Errorf("NormalizeReference(A) error = %v", err)
	}
}

// FuzzParseReference checks that ParseReference never panics, that its
// errors are ReferenceErrors, and that what it accepts prints back to a
// string that parses to the same reference.
func FuzzParseReference(f *testing.F) {
	for _, s := range []string{"alpine", "a::b", "UPPER/Case", "[::1]:5000/x:y@" + dgst, "localhost:5000/a/b", hex64, "Foo/bar"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseReference(s)
		if err != nil {
			var re *ReferenceError
			if !errors.As(err, &re) || !errors.Is(err, ErrInvalidReference) {
				t.Fatalf("error %v is not a *ReferenceError", err)
			}
			return
		}
		if r.Domain == "" || r.Path == "" {
			t.Fatalf("ParseReference(%q) = %+v: empty domain or path", s, r)
		}
		again, err := ParseReference(r.String())
		if err != nil {
			t.Fatalf("ParseReference(%q).String() = %q does not parse: %v", s, r.String(), err)
		}
		if again != r {
			t.Fatalf("round trip of %q: %+v != %+v", s, again, r)
		}
	})
}
