// Package integration holds berth's tests against a real Docker Engine, or
// Podman's Docker-compatible service (and, where set up, the local
// registry). They run when a daemon answers _ping and skip otherwise;
// BERTH_REQUIRE_DAEMON=1, as CI sets, makes a missing daemon a failure.
//
// They hold on any Engine from API 1.41 up: they assert the error class
// and the stable part of a message, and branch on the negotiated version
// where the Engine changed, citing the API changelog. Where Podman
// departs, a test skips (testenv.SkipOnPodman) or branches
// (testenv.OnPodman) naming a difference of docs/compatibility.md.
package integration
