package docker_test

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
)

// leakSlack is how many goroutines, and descriptors, the process may hold
// after the run beyond its count before it: none are expected, but the
// runtime and the testing package may start one lazily. A leak per call, or
// per one call in a hundred, would show as tens or thousands.
const leakSlack = 2

// Ten thousand calls of every kind, some cut short by their context at a
// random moment, some streams closed half read, must leave nothing behind
// once the Client is closed: no goroutine, no open descriptor.
//
// Not parallel: it counts the whole process's goroutines and descriptors
// (parallel tests wait while it runs).
func TestTransportLeaksNothing(t *testing.T) {
	srv := httptest.NewUnstartedServer(leakHandler())
	srv.Listener.Close()
	srv.Listener = listen(t, "unix")
	srv.Start()
	t.Cleanup(srv.Close)

	goroutines, fds := runtime.NumGoroutine(), openFDs(t)
	cli, err := docker.New(docker.WithHost("unix://"+srv.Listener.Addr().String()), docker.WithAPIVersion("1.41"))
	if err != nil {
		t.Fatal(err)
	}
	const workers, calls = 4, 2500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(1, uint64(w))) // the same mix every run
			for i := range calls {
				if err := leakCall(t.Context(), cli, rng); err != nil {
					t.Errorf("worker %d, call %d: %v", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	cli.Close()

	settled := func() bool {
		return runtime.NumGoroutine() <= goroutines+leakSlack && (fds < 0 || openFDs(t) <= fds+leakSlack)
	}
	for deadline := time.Now().Add(5 * time.Second); !settled() && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines+leakSlack {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the calls, %d before:\n%s", n, goroutines, buf[:runtime.Stack(buf, true)])
	}
	if n := openFDs(t); fds >= 0 && n > fds+leakSlack {
		t.Errorf("%d open descriptors after the calls, %d before", n, fds)
	}
}

// leakCall makes one call of a kind rng picks. It fails only where a
// correct client cannot: a cancelled call may end in any way.
func leakCall(ctx context.Context, cli *docker.Client, rng *rand.Rand) error {
	switch rng.IntN(6) {
	case 0:
		_, err := cli.Ping(ctx)
		return err
	case 1:
		return cli.DoJSON(ctx, &docker.Request{Path: "/containers/x/json"}, new(map[string]any))
	case 2:
		return cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/containers/create",
			JSON: map[string]string{"Image": "app"}}, nil)
	case 3: // a body of unknown length, sent chunked
		return cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/images/load",
			Body: io.MultiReader(strings.NewReader(strings.Repeat("x", rng.IntN(64<<10))))}, nil)
	case 4: // a long stream, read a little and closed
		resp, err := cli.Do(ctx, &docker.Request{Path: "/containers/x/logs", Stream: true})
		if err != nil {
			return err
		}
		_, err = io.ReadFull(resp.Body, make([]byte, 1+rng.IntN(8<<10)))
		resp.Body.Close()
		return err
	default: // cancelled at a random moment: before, during or after the call
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		defer time.AfterFunc(time.Duration(rng.IntN(500))*time.Microsecond, cancel).Stop()
		_ = cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/slow", JSON: []int{1, 2, 3}}, nil)
		return nil
	}
}

// leakHandler answers leakCall's requests.
func leakHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/_ping", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", "1.41")
		_, _ = io.WriteString(w, "OK")
	})
	mux.HandleFunc("/v1.41/", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, `{"Id":"x"}`)
	})
	mux.HandleFunc("/v1.41/containers/x/logs", func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 4<<10)
		for range 256 { // up to 1 MiB, until the client goes away
			if _, err := w.Write(chunk); err != nil {
				return
			}
			_ = http.NewResponseController(w).Flush()
		}
	})
	mux.HandleFunc("/v1.41/slow", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(200 * time.Microsecond):
			_, _ = io.WriteString(w, `{}`)
		}
	})
	return mux
}

// openFDs counts the process's open descriptors, or returns -1 where
// /proc/self/fd does not list them (then only goroutines are checked).
func openFDs(t *testing.T) int {
	if runtime.GOOS != "linux" {
		t.Log("descriptors are not counted on " + runtime.GOOS)
		return -1
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}
