// Package unixtest gives tests a listener on a unix socket, so that fake
// daemons are reached through the same unix dial path as the real one.
//
// It imports nothing of berth's, so that the tests of every package, the
// core's and stream's included, can use it without an import cycle.
package unixtest

import (
	"net"
	"os"
	"path/filepath"
	"testing"
)

// Listen returns a listener on a unix socket in a fresh directory under
// the system's temporary directory. Socket paths are limited to about 100
// bytes, which a t.TempDir() path can exceed, so the directory's name is
// short. The listener is closed and the directory removed when t ends.
func Listen(t testing.TB) net.Listener {
	t.Helper()
	dir, err := os.MkdirTemp("", "berth")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	l, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}
