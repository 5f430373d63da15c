package volume

import (
	"testing"

	"github.com/berth-go/berth/internal/testing/apicheck"
)

// TestEndpointCoverage fails when an operation of the package's API tags has
// no method documenting it with an "// API: METHOD /path" line, or when a
// method documents an operation that is not one of them.
func TestEndpointCoverage(t *testing.T) {
	t.Parallel()
	apicheck.Check(t, ".", "Volume")
}
