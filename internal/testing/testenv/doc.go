// Package testenv finds a Docker daemon for integration tests, builds the
// test image through berth itself, labels what tests create and removes it
// afterwards.
//
// Tests call Client(t): it skips the test when no daemon answers, or fails
// it when BERTH_REQUIRE_DAEMON=1 (as CI sets), so a missing daemon can never
// pass silently. ServerOf(t) says whether the daemon is a Docker Engine or
// Podman; a Difference names a known way Podman departs, and SkipOnPodman
// and OnPodman let a test skip or branch for it by name.
package testenv
