package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The benchmarks in this file talk to the real Engine at daemonSocket. Each
// runs one sub-benchmark per library ("client=NAME"); compare with
// benchstat -col /client.

// cpuTime returns the CPU time (user and system) this process has used.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU starts measuring the CPU time of this process; the function it
// returns reports it per op as cpu-ns/op. Against the real Engine, where
// the daemon's latency dominates ns/op, this is the client's own cost (the
// daemon is another process): call it right before the loop and defer the
// result.
func reportCPU(b *testing.B) func() {
	start := cpuTime(b)
	return func() {
		b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
	}
}

// warmUp runs one op before the loop starts timing: it fills
// encoding/json's caches for the library's types and opens a connection,
// one-time costs that would otherwise weigh on the benchmarks whose loop
// runs only a few times (Logs, Stats).
func warmUp(b *testing.B, op func() error) {
	b.Helper()
	if err := op(); err != nil && !errors.Is(err, errNotComparable) {
		b.Fatalf("warm-up: %v", err)
	}
}

// loopContext bounds a whole benchmark loop.
func loopContext(b *testing.B, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(b.Context(), d)
	b.Cleanup(cancel)
	return ctx
}

// BenchmarkPing measures GET /_ping: the fixed cost of one call.
func BenchmarkPing(b *testing.B) {
	setupClient(b)
	forEachClient(b, daemonSocket, func(b *testing.B, c apiClient) {
		ctx := loopContext(b, 5*time.Minute)
		warmUp(b, func() error { return c.Ping(ctx) })
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			if err := c.Ping(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInspect measures GET /containers/{id}/json of a running
// container, decoded into each library's type.
func BenchmarkInspect(b *testing.B) {
	id := runningFixture(b)
	forEachClient(b, daemonSocket, func(b *testing.B, c apiClient) {
		ctx := loopContext(b, 5*time.Minute)
		warmUp(b, func() error { return c.Inspect(ctx, id) })
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			if err := c.Inspect(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkList measures GET /containers/json?all=1 with 300 containers
// selected by a label filter (created, never started).
func BenchmarkList(b *testing.B) {
	listFixture(b)
	label := labelList + "=" + runID
	forEachClient(b, daemonSocket, func(b *testing.B, c apiClient) {
		ctx := loopContext(b, 5*time.Minute)
		warmUp(b, func() error { _, err := c.List(ctx, label); return err })
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			n, err := c.List(ctx, label)
			if err != nil {
				b.Fatal(err)
			}
			if n != listContainers {
				b.Fatalf("listed %d containers, want %d", n, listContainers)
			}
		}
	})
}

// BenchmarkListFloor is the List request without a client library: the
// request bytes written to a fresh unix connection ("Connection: close")
// and the response read to its end, undecoded. Its ns/op is what the
// daemon alone takes to answer, the floor no client can go below: List's
// ratio to moby cannot be better than this floor's time over moby's.
func BenchmarkListFloor(b *testing.B) {
	listFixture(b)
	filters := url.QueryEscape(`{"label":["` + labelList + "=" + runID + `"]}`)
	req := "GET /v1.41/containers/json?all=1&filters=" + filters + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n"
	ctx := loopContext(b, 5*time.Minute)
	buf := make([]byte, 64<<10)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		var d net.Dialer
		c, err := d.DialContext(ctx, "unix", daemonSocket)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.WriteString(c, req); err != nil {
			b.Fatal(err)
		}
		n, err := io.CopyBuffer(io.Discard, c, buf)
		c.Close()
		if err != nil || n < 100*listContainers {
			b.Fatalf("read %d bytes: %v", n, err)
		}
	}
}

// BenchmarkParallelInspect measures Inspect from several goroutines sharing
// one client: 1 and 4 goroutines per CPU. dials/op shows whether the
// library keeps its connections (0 when they are all reused).
func BenchmarkParallelInspect(b *testing.B) {
	id := runningFixture(b)
	for _, p := range []int{1, 4} {
		for _, impl := range clientImpls {
			b.Run(fmt.Sprintf("perCPU=%d/client=%s", p, impl.name), func(b *testing.B) {
				var dials atomic.Int64
				c := newClient(b, impl.name, daemonSocket, &dials)
				ctx := loopContext(b, 5*time.Minute)
				warmUp(b, func() error { return c.Inspect(ctx, id) })
				dials.Store(0)
				b.SetParallelism(p)
				b.ReportAllocs()
				b.ResetTimer()
				defer reportCPU(b)()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := c.Inspect(ctx, id); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(dials.Load())/float64(b.N), "dials/op")
			})
		}
	}
}

// BenchmarkLogs fetches the 50 MiB a container wrote, stdout and stderr
// alternating in 64 KiB writes, and splits them: end to end, from the
// request to the last byte. Throughput counts the payload.
func BenchmarkLogs(b *testing.B) {
	id := logsFixture(b)
	forEachClient(b, daemonSocket, func(b *testing.B, c apiClient) {
		ctx := loopContext(b, 10*time.Minute)
		warmUp(b, func() error { return c.Logs(ctx, id, io.Discard, io.Discard) })
		b.SetBytes(logsPayload)
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			stdout, stderr, total := countWriters()
			ctx, cancel := context.WithTimeout(ctx, longTimeout)
			err := c.Logs(ctx, id, stdout, stderr)
			cancel()
			if err != nil {
				b.Fatal(err)
			}
			if total() != logsPayload || stdout.n != stderr.n {
				b.Fatalf("got %d bytes on stdout and %d on stderr, want %d each", stdout.n, stderr.n, logsPayload/2)
			}
		}
	})
}

// eventsPerWindow is how many events eventWindow makes for BenchmarkEvents:
// well under the 256 the Engine keeps, so that other users of the daemon
// have room before they push ours out.
const eventsPerWindow = 128

// BenchmarkEvents reads a since/until window of the daemon's events (which
// the Engine replays from memory) and decodes every event. Other users of
// the daemon add events to the window or, past 256, push ours out: the
// window is made anew when fewer than half are left, and ns/event divides
// by what was actually decoded.
func BenchmarkEvents(b *testing.B) {
	testImage(b)
	forEachClient(b, daemonSocket, func(b *testing.B, c apiClient) {
		ctx := loopContext(b, 5*time.Minute)
		warmUp(b, func() error { _, err := c.Events(ctx, time.Now().Add(-time.Second), time.Now()); return err })
		since, until := eventWindow(b, eventsPerWindow)
		b.ReportAllocs()
		defer reportCPU(b)()
		total := 0
		for b.Loop() {
			n, err := c.Events(ctx, since, until)
			if errors.Is(err, errNotComparable) {
				b.Skip(err)
			}
			if err != nil {
				b.Fatal(err)
			}
			total += n
			if n < eventsPerWindow/2 {
				b.StopTimer()
				since, until = eventWindow(b, eventsPerWindow)
				b.StartTimer()
			}
		}
		if total == 0 {
			b.Fatal("no events decoded")
		}
		b.ReportMetric(float64(total)/float64(b.N), "events/op")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(total), "ns/event")
	})
}

// BenchmarkStats asks for one stats sample of a running container, decoded
// into each library's type, with one-shot=1 where the library can say it.
func BenchmarkStats(b *testing.B) {
	id := runningFixture(b)
	forEachClient(b, daemonSocket, func(b *testing.B, c apiClient) {
		ctx := loopContext(b, 5*time.Minute)
		warmUp(b, func() error { return c.Stats(ctx, id) })
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			if err := c.Stats(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}
