package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConnectionReuse counts the connections each library dials for 200
// Inspect calls made by 8 goroutines sharing one client. berth must reuse
// its connections: at most one dial per goroutine (plus the warm-up's). The
// other libraries' counts are logged for comparison: moby's transport keeps
// only two idle connections per host, and fsouza's default transport
// disables keep-alive, so it dials once per call.
func TestConnectionReuse(t *testing.T) {
	id := runningFixture(t)
	const goroutines, calls = 8, 200
	for _, impl := range clientImpls {
		t.Run(impl.name, func(t *testing.T) {
			var dials atomic.Int64
			c := newClient(t, impl.name, daemonSocket, &dials)
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			warm := dials.Load()
			var wg sync.WaitGroup
			next := make(chan struct{}, calls)
			for range calls {
				next <- struct{}{}
			}
			close(next)
			for range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range next {
						if err := c.Inspect(ctx, id); err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			n := dials.Load() - warm
			t.Logf("%s: %d dials for %d calls from %d goroutines", impl.name, n, calls, goroutines)
			if impl.name == "berth" && n > goroutines {
				t.Errorf("berth dialled %d times for %d calls from %d goroutines: connections are not reused", n, calls, goroutines)
			}
		})
	}
}
