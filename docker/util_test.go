package docker

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func contextWithCancel(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(ctx)
}

func contextCanceled() error { return context.Canceled }

// readSpecFixture reads an example body from the shared spec fixtures.
func readSpecFixture(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("..", "..", "shared", "spec", "fixtures", name))
}
