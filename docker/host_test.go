package docker

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw                              string
		tls                              bool
		scheme, addr, basePath, urlSheme string
	}{
		{"unix:///var/run/docker.sock", false, "unix", "/var/run/docker.sock", "", "http"},
		{"tcp://1.2.3.4", false, "tcp", "1.2.3.4:2375", "", "http"},
		{"tcp://1.2.3.4", true, "tcp", "1.2.3.4:2376", "", "https"},
		{"tcp://host:1234/base/", false, "tcp", "host:1234", "/base", "http"},
		{"tcp://[::1]:2375", false, "tcp", "[::1]:2375", "", "http"},
		{"http://127.0.0.1:8080", false, "http", "127.0.0.1:8080", "", "http"},
		{"https://example.com", false, "https", "example.com:443", "", "https"},
		{"ssh://me@box:2222", false, "ssh", "box", "", "http"},
		{"npipe:////./pipe/docker_engine", false, "npipe", `\\.\pipe\docker_engine`, "", "http"},
	} {
		h, err := parseHost(tc.raw, tc.tls)
		if err != nil {
			t.Errorf("parseHost(%q): %v", tc.raw, err)
			continue
		}
		got := []string{h.scheme, h.addr, h.basePath, h.urlScheme(tc.tls)}
		if d := cmp.Diff([]string{tc.scheme, tc.addr, tc.basePath, tc.urlSheme}, got); d != "" {
			t.Errorf("parseHost(%q) (-want +got)\n%s", tc.raw, d)
		}
	}
}

func TestParseHostErrors(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"", "  ", "/var/run/docker.sock", "tcp://", "tcp://:2375", "unix://", "gopher://x",
		"fd://", "ssh://", "ssh://u:pw@host", "ssh://host/path", "tcp://u@host:1", "http://h:1?x=1", "tcp://h:notaport"} {
		h, err := parseHost(raw, false)
		if err == nil {
			t.Errorf("parseHost(%q) = %+v, want an error", raw, h)
			continue
		}
		if strings.TrimSpace(raw) != "" && !strings.Contains(err.Error(), raw) && !strings.Contains(raw, "pw") {
			t.Errorf("parseHost(%q) error %q does not name the value", raw, err)
		}
		if strings.Contains(err.Error(), "pw") {
			t.Errorf("error leaks the URL password: %v", err)
		}
	}
}

func FuzzParseHost(f *testing.F) {
	for _, s := range []string{"unix:///x", "tcp://h:1", "ssh://u@h:22", "npipe:////./pipe/x", "https://[::1]:443/p", "tcp://%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		h, err := parseHost(raw, false)
		if err == nil && h.scheme == "" {
			t.Fatalf("parseHost(%q) accepted with no scheme", raw)
		}
	})
}
