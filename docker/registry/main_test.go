package registry_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// helperDir holds the fake credential helpers (shell scripts) that TestMain
// writes. They are written once, before any test runs: writing an executable
// while parallel tests fork can make its exec fail with "text file busy".
var helperDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if runtime.GOOS != "windows" {
		dir, err := os.MkdirTemp("", "berth-registry-helpers-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		if err := writeHelpers(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		helperDir = dir
	}
	return m.Run()
}

// writeHelpers copies each testdata/helpers/<name>.sh to dir/docker-credential-<name>, executable.
func writeHelpers(dir string) error {
	scripts, err := filepath.Glob(filepath.Join("testdata", "helpers", "*.sh"))
	if err != nil {
		return err
	}
	if len(scripts) == 0 {
		return fmt.Errorf("no helper scripts in testdata/helpers")
	}
	for _, s := range scripts {
		data, err := os.ReadFile(s)
		if err != nil {
			return err
		}
		name := "docker-credential-" + filepath.Base(s[:len(s)-len(".sh")])
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o755); err != nil {
			return err
		}
	}
	return nil
}

// requireHelpers skips tests that run the fake helpers where they cannot run.
func requireHelpers(t *testing.T) {
	t.Helper()
	if helperDir == "" {
		t.Skip("the fake credential helpers are shell scripts")
	}
}

// lookInHelperDir is a WithLookPath function that finds helpers only in helperDir.
func lookInHelperDir(file string) (string, error) {
	p := filepath.Join(helperDir, file)
	if _, err := os.Stat(p); err != nil {
		return "", &exec.Error{Name: file, Err: exec.ErrNotFound}
	}
	return p, nil
}
