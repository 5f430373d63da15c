package bench

import (
	"errors"
	"testing"
	"time"
)

// The benchmarks in this file need no daemon: a fake Engine on a unix
// socket answers from memory (see setup_fake_test.go), so the client's own
// cost shows. Demux, in memory too, has its own file.

// decodedContainers is the size of the list BenchmarkListDecode decodes.
const decodedContainers = 1000

// BenchmarkListDecode lists 1000 containers served from memory: the request,
// and decoding about a megabyte of JSON into each library's type.
// Throughput counts the body.
func BenchmarkListDecode(b *testing.B) {
	body := listBody(b, decodedContainers)
	fake := startFake(b, map[string][]byte{"/containers/json": body})
	forEachClient(b, fake.sock, func(b *testing.B, c apiClient) {
		ctx := loopContext(b, 5*time.Minute)
		warmUp(b, func() error { _, err := c.List(ctx, ""); return err })
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			n, err := c.List(ctx, "")
			if err != nil {
				b.Fatal(err)
			}
			if n != decodedContainers {
				b.Fatalf("decoded %d containers, want %d", n, decodedContainers)
			}
		}
	})
}

// BenchmarkEventsReplay streams 2000 events recorded from the Engine
// (testdata/events.jsonl) from memory and decodes them: decoding dominates.
// ns/event is the cost of one event.
func BenchmarkEventsReplay(b *testing.B) {
	body := eventsBody(b)
	fake := startFake(b, map[string][]byte{"/events": body})
	forEachClient(b, fake.sock, func(b *testing.B, c apiClient) {
		ctx := loopContext(b, 5*time.Minute)
		warmUp(b, func() error { _, err := c.Events(ctx, time.Time{}, time.Time{}); return err })
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		total := 0
		for b.Loop() {
			n, err := c.Events(ctx, time.Time{}, time.Time{})
			if errors.Is(err, errNotComparable) {
				b.Skip(err)
			}
			if err != nil {
				b.Fatal(err)
			}
			if n != recordedEvents {
				b.Logf("decoded %d events, want %d", n, recordedEvents)
			}
			total += n
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(total), "ns/event")
	})
}
