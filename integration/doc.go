// Package integration holds berth's tests against a real Docker Engine (and,
// where set up, the local registry). They run when a daemon answers _ping
// and skip otherwise; BERTH_REQUIRE_DAEMON=1, as CI sets, makes a missing
// daemon a failure.
package integration
