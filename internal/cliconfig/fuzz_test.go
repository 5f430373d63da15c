package cliconfig

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzLoad feeds arbitrary bytes to the config.json parser behind Load (Load
// is os.ReadFile plus parseFile). It must never panic, every error must carry
// the package's prefix and the path, and whatever parses must survive a
// marshal/parse round trip unchanged.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"auths":{"https://index.docker.io/v1/":{"auth":"YTpi"}},"credsStore":"desktop"}`))
	const path = "/cfg/config.json"
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseFile(path, data)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "docker: ") || !strings.Contains(msg, path) {
				t.Fatalf("error %q lacks the prefix or the path", msg)
			}
			return
		}
		if got.Path != path {
			t.Fatalf("Path = %q, want %q", got.Path, path)
		}
		again, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := parseFile(path, again)
		if err != nil {
			t.Fatalf("parse of marshalled %s: %v", again, err)
		}
		if diff := cmp.Diff(got, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}

// FuzzLoadContext feeds arbitrary bytes to the meta.json parser behind
// LoadContext. It must never panic; errors carry the prefix and the path, and
// a parsed context keeps the name it was asked for.
func FuzzLoadContext(f *testing.F) {
	f.Add([]byte(`{"Name":"x","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://h:2376","SkipTLSVerify":false}}}`))
	const path = "/cfg/contexts/meta/id/meta.json"
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseMeta("x", path, data)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "docker: ") || !strings.Contains(msg, path) {
				t.Fatalf("error %q lacks the prefix or the path", msg)
			}
			return
		}
		if c.Name != "x" || c.MetaPath != path || c.TLS != nil {
			t.Fatalf("parseMeta = %+v", c)
		}
	})
}
