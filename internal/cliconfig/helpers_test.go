package cliconfig_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/berth-go/berth/internal/cliconfig"
)

// writeFile creates path (and its parents) with content.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeContext stores a context the way the CLI does: meta.json under
// contexts/meta/<id>/ and each named TLS file under contexts/tls/<id>/docker/.
// It returns the absolute path of the TLS directory, which exists only when
// tlsFiles is not nil.
func writeContext(t *testing.T, dir, name, meta string, tlsFiles []string) string {
	t.Helper()
	id := cliconfig.ContextID(name)
	writeFile(t, filepath.Join(dir, "contexts", "meta", id, "meta.json"), meta)
	tlsDir := filepath.Join(dir, "contexts", "tls", id, "docker")
	if tlsFiles != nil {
		if err := os.MkdirAll(tlsDir, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range tlsFiles {
		writeFile(t, filepath.Join(tlsDir, f), "-----BEGIN TEST-----\n")
	}
	return tlsDir
}
