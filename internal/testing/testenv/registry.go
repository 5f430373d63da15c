package testenv

import (
	"os"
	"testing"
)

// RegistryAddr returns the local test registry's address (BERTH_REGISTRY,
// e.g. 127.0.0.1:5000), or "" when none is configured.
func RegistryAddr() string { return os.Getenv("BERTH_REGISTRY") }

// Registry returns the local registry's address and its throwaway
// credentials (BERTH_REGISTRY, BERTH_REGISTRY_USER, BERTH_REGISTRY_PASSWORD).
// Without them the test is skipped, or failed under BERTH_REQUIRE_DAEMON=1,
// since CI always starts the registry.
func Registry(t testing.TB) (addr, user, password string) {
	t.Helper()
	addr, user, password = RegistryAddr(), os.Getenv("BERTH_REGISTRY_USER"), os.Getenv("BERTH_REGISTRY_PASSWORD")
	if addr == "" || user == "" {
		if os.Getenv(RequireDaemonEnv) == "1" {
			t.Fatal("BERTH_REGISTRY and BERTH_REGISTRY_USER are not set (.ci/run starts the local registry)")
		}
		t.Skip("no local registry: set BERTH_REGISTRY, BERTH_REGISTRY_USER and BERTH_REGISTRY_PASSWORD (see .ci/run)")
	}
	return addr, user, password
}
