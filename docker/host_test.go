package docker

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseHost follows the docker CLI's rules for a host (opts.ParseHost):
// surrounding spaces are dropped, an address without a scheme is tcp (a
// path starting with / or ./ is a unix socket), tcp's host defaults to
// localhost and its port to 2375 (TLS or not), "unix://" alone is the
// default socket. Host() then reports the completed address.
func TestParseHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw                              string
		tls                              bool
		scheme, addr, basePath, urlSheme string
		host                             string // what Host() reports
	}{
		{"unix:///var/run/docker.sock", false, "unix", "/var/run/docker.sock", "", "http", "unix:///var/run/docker.sock"},
		{"tcp://1.2.3.4", false, "tcp", "1.2.3.4:2375", "", "http", "tcp://1.2.3.4:2375"},
		{"tcp://1.2.3.4", true, "tcp", "1.2.3.4:2375", "", "https", "tcp://1.2.3.4:2375"},
		{"tcp://1.2.3.4:2376", true, "tcp", "1.2.3.4:2376", "", "https", "tcp://1.2.3.4:2376"},
		{"tcp://host:1234/base/", false, "tcp", "host:1234", "/base", "http", "tcp://host:1234/base/"},
		{"tcp://[::1]:2375", false, "tcp", "[::1]:2375", "", "http", "tcp://[::1]:2375"},
		{"http://127.0.0.1:8080", false, "http", "127.0.0.1:8080", "", "http", "http://127.0.0.1:8080"},
		{"https://example.com", false, "https", "example.com:443", "", "https", "https://example.com"},
		{"ssh://me@box:2222", false, "ssh", "box", "", "http", "ssh://me@box:2222"},
		{"npipe:////./pipe/docker_engine", false, "npipe", `\\.\pipe\docker_engine`, "", "http", "npipe:////./pipe/docker_engine"},
		// Without a scheme, as the CLI reads DOCKER_HOST.
		{"localhost:2375", false, "tcp", "localhost:2375", "", "http", "tcp://localhost:2375"},
		{"127.0.0.1", false, "tcp", "127.0.0.1:2375", "", "http", "tcp://127.0.0.1:2375"},
		{"[::1]:2376", true, "tcp", "[::1]:2376", "", "https", "tcp://[::1]:2376"},
		{"build.local:2375/base", false, "tcp", "build.local:2375", "/base", "http", "tcp://build.local:2375/base"},
		{"/var/run/docker.sock", false, "unix", "/var/run/docker.sock", "", "http", "unix:///var/run/docker.sock"},
		{"./docker.sock", false, "unix", "./docker.sock", "", "http", "unix://./docker.sock"},
		{"  tcp://h:1  ", false, "tcp", "h:1", "", "http", "tcp://h:1"},
		// The CLI's defaults for what is left out.
		{"tcp://", false, "tcp", "localhost:2375", "", "http", "tcp://localhost:2375"},
		{"tcp://:2376", false, "tcp", "localhost:2376", "", "http", "tcp://localhost:2376"},
		{"unix://", false, "unix", "/var/run/docker.sock", "", "http", "unix:///var/run/docker.sock"},
		{"tcp://h:65535", false, "tcp", "h:65535", "", "http", "tcp://h:65535"},
	} {
		h, err := parseHost(tc.raw)
		if err != nil {
			t.Errorf("parseHost(%q): %v", tc.raw, err)
			continue
		}
		got := []string{h.scheme, h.addr, h.basePath, h.urlScheme(tc.tls), h.raw}
		if d := cmp.Diff([]string{tc.scheme, tc.addr, tc.basePath, tc.urlSheme, tc.host}, got); d != "" {
			t.Errorf("parseHost(%q) (-want +got)\n%s", tc.raw, d)
		}
	}
}

func TestParseHostErrors(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"", "  ", "gopher://x", "fd://", "ssh://", "ssh://u:pw@host", "ssh://host/path",
		"tcp://u@host:1", "http://h:1?x=1", "tcp://h:notaport", "unix://tcp://x", "tcp://unix://x",
		"tcp://localhost:99999", "localhost:99999", "tcp://h:0", "http://h:65536", "https://h:-1"} {
		h, err := parseHost(raw)
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
		h, err := parseHost(raw)
		if err == nil && h.scheme == "" {
			t.Fatalf("parseHost(%q) accepted with no scheme", raw)
		}
	})
}
