package cliconfig

import (
	"os"
	"path/filepath"
)

// Dir returns the docker CLI configuration directory: $DOCKER_CONFIG when it
// is set and not empty, otherwise $HOME/.docker. Variables are read through
// getenv (os.Getenv when nil) so callers and tests control the environment;
// when HOME is empty, os.UserHomeDir is asked instead. If no home directory can
// be found at all, Dir returns the relative path ".docker".
func Dir(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	if d := getenv("DOCKER_CONFIG"); d != "" {
		return d
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".docker")
}
