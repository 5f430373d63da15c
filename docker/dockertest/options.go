package dockertest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/berth-go/berth/docker"
)

// Option configures a Server.
type Option func(*config) error

type config struct {
	apiVersion string
	noUnix     bool
}

// WithAPIVersion sets the API version the fake advertises (default 1.57,
// the newest berth knows), and so the Engine it plays: behaviour and
// messages that changed between Engines follow it. Requests for older
// versions, down to 1.24, are served as that Engine serves them; newer
// ones are refused with 400 as the Engine does.
func WithAPIVersion(v string) Option {
	return func(c *config) error {
		if !validVersion(v) || docker.CompareVersions(v, minAPIVersion) < 0 {
			return fmt.Errorf("dockertest: invalid API version %q (want MAJOR.MINOR, at least %s)", v, minAPIVersion)
		}
		c.apiVersion = v
		return nil
	}
}

// WithoutUnixSocket serves only over TCP (for platforms or sandboxes where
// unix sockets are not available).
func WithoutUnixSocket() Option {
	return func(c *config) error {
		c.noUnix = true
		return nil
	}
}

const (
	defaultAPIVersion = "1.57"
	minAPIVersion     = "1.24"
)

func validVersion(v string) bool {
	a, b, ok := strings.Cut(v, ".")
	if !ok {
		return false
	}
	_, err1 := strconv.ParseUint(a, 10, 16)
	_, err2 := strconv.ParseUint(b, 10, 16)
	return err1 == nil && err2 == nil
}
