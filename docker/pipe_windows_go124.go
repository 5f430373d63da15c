//go:build windows && !go1.25

package docker

import (
	"context"
	"fmt"
	"net"
	"runtime"
)

// dialPipe refuses: a named pipe connection needs a handle opened for
// overlapped I/O (net/http reads and writes it at once), and os.NewFile
// only drives such handles from Go 1.25 on. See pipe_windows.go.
func dialPipe(_ context.Context, path string) (net.Conn, error) {
	return nil, fmt.Errorf("npipe host %q: named pipes need a program built with Go 1.25 or newer (this one was built with %s)", path, runtime.Version())
}
