//go:build windows && !go1.25

package docker

import (
	"strings"
	"testing"
)

func TestPipeNeedsGo125(t *testing.T) {
	t.Parallel()
	c, err := New(WithHost("npipe:////./pipe/docker_engine"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Ping(t.Context())
	if err == nil || !strings.Contains(err.Error(), "Go 1.25 or newer") {
		t.Fatalf("Ping = %v, want an error asking for Go 1.25", err)
	}
}
