// Package testenv finds a Docker daemon for integration tests, builds the
// test image through berth itself, labels what tests create and removes it
// afterwards.
//
// Tests call Client(t): it skips the test when no daemon answers, or fails
// it when BERTH_REQUIRE_DAEMON=1 (as CI sets), so a missing daemon can never
// pass silently.
package testenv
