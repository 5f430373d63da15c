package cliconfig_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/berth-go/berth/internal/cliconfig"
)

func TestDir(t *testing.T) {
	t.Parallel()
	home, err := os.UserHomeDir()
	if err != nil {
		home = ""
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"docker config wins", map[string]string{"DOCKER_CONFIG": "/etc/dc", "HOME": "/home/u"}, "/etc/dc"},
		{"home", map[string]string{"HOME": "/home/u"}, filepath.Join("/home/u", ".docker")},
		{"empty docker config ignored", map[string]string{"DOCKER_CONFIG": "", "HOME": "/home/u"}, filepath.Join("/home/u", ".docker")},
		{"no home falls back to the user's home", nil, filepath.Join(home, ".docker")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := cliconfig.Dir(func(k string) string { return tt.env[k] })
			if got != tt.want {
				t.Errorf("Dir() = %q, want %q", got, tt.want)
			}
		})
	}
}
