#!/usr/bin/env bash
# bench/smoke.sh: a quick check that every benchmark of this module still
# runs: one iteration each (-benchtime=1x), the dial-count test, and vet.
# Needs a Docker daemon on /var/run/docker.sock (fails without one: it sets
# BERTH_REQUIRE_DAEMON=1) and takes about a minute or two, most of it
# creating the 300 containers of BenchmarkList and building the programs of
# footprint/ and cmd/ (cached by the go command after the first run).
set -euo pipefail
cd "$(dirname "$0")"
export BERTH_REQUIRE_DAEMON=1
go vet ./...
go test -count=1 -run '^TestConnectionReuse$' -bench . -benchtime=1x -timeout 10m .
