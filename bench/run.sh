#!/usr/bin/env bash
# bench/run.sh: berth side by side with github.com/moby/moby/client,
# github.com/docker/docker/client v28 and github.com/fsouza/go-dockerclient.
#
#   1. makes sure a Docker daemon answers on /var/run/docker.sock, starting
#      dockerd (vfs storage, as .ci/run does) only when none answers, and
#      stopping only a daemon it started;
#   2. installs benchstat when missing;
#   3. runs every benchmark of this module with -count=6 (COUNT), against the
#      real Engine and in memory, and TestConnectionReuse;
#   4. writes the raw output to results/<date>.raw.txt and benchstat's summary
#      plus the ratio table to results/<date>.txt, and prints the table.
#
# Environment: COUNT (6), BENCHTIME (1s), BENCH (a -bench regexp, "."),
# RESULTS (the results file's base name, the UTC date). Whatever the run
# creates on the daemon carries the label berth.test.run=$BERTH_BENCH_RUN and
# is removed at the end, also when the benchmarks fail or are interrupted.
set -euo pipefail
cd "$(dirname "$0")"

SOCK=/var/run/docker.sock
COUNT=${COUNT:-6}
BENCHTIME=${BENCHTIME:-1s}
BENCH=${BENCH:-.}
RESULTS=${RESULTS:-$(date -u +%Y-%m-%d)}
export BERTH_BENCH_RUN=bench-run-$$-$(date +%s)
export BERTH_REQUIRE_DAEMON=1

dockerd_pid=""

say() { printf '==> %s\n' "$*" >&2; }

daemon_ping() {
	curl -s --max-time 3 --unix-socket "$SOCK" http://d/_ping 2>/dev/null || true
}

# ensure_daemon uses the daemon that answers, or starts one like .ci/run.
ensure_daemon() {
	if [[ $(daemon_ping) == OK ]]; then
		say "a Docker daemon already answers on $SOCK: using it"
		return
	fi
	if ! command -v dockerd >/dev/null; then
		say "installing docker.io"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io </dev/null >/dev/null
	fi
	say "starting dockerd --storage-driver=vfs (log: /tmp/berth-bench-dockerd.log)"
	dockerd --storage-driver=vfs --iptables=false </dev/null >/tmp/berth-bench-dockerd.log 2>&1 &
	dockerd_pid=$!
	local i
	for ((i = 0; i < 60; i++)); do
		[[ $(daemon_ping) == OK ]] && return 0
		kill -0 "$dockerd_pid" 2>/dev/null || break
		sleep 1
	done
	tail -n 40 /tmp/berth-bench-dockerd.log >&2 || true
	return 1
}

# cleanup removes this run's containers and image (the benchmark process
# does it too; this catches a process that was killed), then stops the
# daemon if this script started it.
cleanup() {
	local filter ids id
	filter=$(printf '{"label":["berth.test.run=%s"]}' "$BERTH_BENCH_RUN")
	ids=$(curl -s --max-time 30 --unix-socket "$SOCK" -G http://d/containers/json \
		--data-urlencode all=1 --data-urlencode "filters=$filter" 2>/dev/null |
		grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4 || true)
	for id in $ids; do
		curl -s --max-time 30 --unix-socket "$SOCK" -X DELETE "http://d/containers/$id?force=1" >/dev/null || true
	done
	curl -s --max-time 30 --unix-socket "$SOCK" -X DELETE "http://d/images/berth-bench:$BERTH_BENCH_RUN?force=1" >/dev/null || true
	if [[ -n $dockerd_pid ]]; then
		say "stopping the dockerd this script started (pid $dockerd_pid)"
		kill "$dockerd_pid" 2>/dev/null || true
		wait "$dockerd_pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT

ensure_daemon

BENCHSTAT=$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")
if [[ ! -x $BENCHSTAT ]]; then
	say "installing benchstat"
	go install golang.org/x/perf/cmd/benchstat@latest
fi

mkdir -p results
raw=results/$RESULTS.raw.txt
out=results/$RESULTS.txt
engine=$(curl -s --max-time 5 --unix-socket "$SOCK" http://d/version | grep -o '"Version":"[^"]*"' | head -n 1 | cut -d'"' -f4)
{
	echo "# berth bench $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "# machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
	echo "# $(go version), Engine $engine, $(uname -sr)"
	echo "# load before: $(uptime)"
} >"$raw"

say "TestConnectionReuse"
go test -run '^TestConnectionReuse$' -count=1 -v . | grep -E 'dials|^(ok|FAIL|---)' | tee -a "$raw" >&2

say "benchmarks: -bench '$BENCH' -count=$COUNT -benchtime=$BENCHTIME (raw: $raw)"
status=0
go test -run '^$' -bench "$BENCH" -count="$COUNT" -benchtime="$BENCHTIME" -timeout 120m . | tee -a "$raw" >&2 || status=$?
echo "# load after: $(uptime)" >>"$raw"

# benchstat: one table per kind of comparison.
header=$(grep -E '^(goos|goarch|pkg|cpu):' "$raw" | sort -u)
{
	grep '^#' "$raw"
	echo
	echo '## benchstat -col /client'
	"$BENCHSTAT" -col /client <(echo "$header"; grep '^Benchmark.*/client=' "$raw") || true
	echo
	echo '## benchstat -col /impl'
	"$BENCHSTAT" -col /impl <(echo "$header"; grep '^Benchmark.*/impl=' "$raw") || true
	echo
	echo '## benchstat, benchmarks of no library (the daemon floor)'
	"$BENCHSTAT" <(echo "$header"; grep '^Benchmark' "$raw" | grep -v -e '/client=' -e '/impl=') || true
	echo
	echo "## berth's ratio to each library (medians; raw samples in $(basename "$raw"))"
	echo
	go run ./cmd/benchtable "$raw"
} >"$out"

say "wrote $out and $raw"
sed -n '/^## berth.s ratio/,$p' "$out"
exit "$status"
