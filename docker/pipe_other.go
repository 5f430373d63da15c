//go:build !windows

package docker

import (
	"context"
	"fmt"
	"net"
)

func dialPipe(_ context.Context, path string) (net.Conn, error) {
	return nil, fmt.Errorf("npipe host %q: named pipes exist only on Windows", path)
}
