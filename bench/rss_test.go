package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/berth-go/berth/bench/internal/logsrss"
)

var rssHelpers sync.Map // client name -> *lazy[string] (the helper's path)

// rssHelper builds cmd/logs-rss-<name> once per process.
func rssHelper(tb testing.TB, name string) string {
	tb.Helper()
	l, _ := rssHelpers.LoadOrStore(name, new(lazy[string]))
	bin, err := l.(*lazy[string]).get(func() (string, error) {
		bin := filepath.Join(binDir(tb), "logs-rss-"+name)
		_, err := goCmd(".", "build", "-o", bin, "./cmd/logs-rss-"+name)
		return bin, err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return bin
}

// BenchmarkLogsPeakRSS runs, per iteration, a separate process per library
// (cmd/logs-rss-<client>) that fetches and splits the 50 MiB of logs of
// BenchmarkLogs, and reports that process's peak resident set size
// (VmHWM): the largest of the iterations, in MiB. ns/op is the life of the
// whole process.
func BenchmarkLogsPeakRSS(b *testing.B) {
	id := logsFixture(b)
	for _, impl := range clientImpls {
		b.Run("client="+impl.name, func(b *testing.B) {
			bin := rssHelper(b, impl.name)
			var peak, before int64
			for b.Loop() {
				ctx, cancel := context.WithTimeout(b.Context(), longTimeout)
				out, err := exec.CommandContext(ctx, bin, "-id", id, "-sock", daemonSocket).Output()
				cancel()
				if err != nil {
					if ee, ok := err.(*exec.ExitError); ok {
						err = fmt.Errorf("%v: %s", err, ee.Stderr)
					}
					b.Fatal(err)
				}
				var r logsrss.Result
				if err := json.Unmarshal(bytes.TrimSpace(out), &r); err != nil {
					b.Fatalf("%s: %v", out, err)
				}
				if r.Bytes != logsPayload {
					b.Fatalf("the helper moved %d bytes, want %d", r.Bytes, logsPayload)
				}
				peak, before = max(peak, r.PeakKiB), max(before, r.BeforeKiB)
			}
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
			b.ReportMetric(float64(before)/1024, "start-RSS-MiB")
		})
	}
}
