// Package contract is one suite of behaviour tests for a Docker Engine,
// written once and run against both berth's fake (docker/dockertest) and a
// real Engine (integration/), so the fake stays honest: where the two
// differ, the fake is wrong, or the difference is documented in
// docker/dockertest/DIFFERENCES.md and the case is skipped for the fake.
//
// The suite drives the test image's multi-tool (testdata/testimage); for the
// fake, TestImageProcess emulates the subcommands the suite uses.
package contract
