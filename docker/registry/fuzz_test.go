package registry_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker/registry"
)

// FuzzDecodeAuth feeds arbitrary headers to DecodeAuth, as a fake Engine
// would receive them. It must never panic; errors carry the prefix; what
// decodes must survive an Encode/DecodeAuth round trip.
func FuzzDecodeAuth(f *testing.F) {
	f.Add("eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InA_fiJ9")
	f.Fuzz(func(t *testing.T, header string) {
		a, err := registry.DecodeAuth(header)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "docker: decode registry auth: ") {
				t.Fatalf("error %q lacks the prefix", err)
			}
			return
		}
		enc, err := a.Encode()
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		back, err := registry.DecodeAuth(enc)
		if err != nil {
			t.Fatalf("DecodeAuth(%q): %v", enc, err)
		}
		if diff := cmp.Diff(a, back); diff != "" {
			t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}
