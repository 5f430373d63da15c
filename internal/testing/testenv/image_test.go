package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRepoRoot guards the path RepoRoot climbs from this package's source,
// which a move of the package would break.
func TestRepoRoot(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"go.mod", filepath.Join("testdata", "testimage", "Dockerfile")} {
		if _, err := os.Stat(filepath.Join(RepoRoot(), f)); err != nil {
			t.Errorf("RepoRoot() = %s, which has no %s: %v", RepoRoot(), f, err)
		}
	}
}
