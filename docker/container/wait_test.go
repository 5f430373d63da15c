package container

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// waitFake serves a wait for container "c" the way the Engine does: the
// headers at once, the exit status when exited is closed.
func waitFake(t *testing.T, version string) (f *fake, queries chan url.Values, exited chan struct{}) {
	f = setupVersion(t, version)
	queries, exited = make(chan url.Values, 1), make(chan struct{})
	f.handle("POST /containers/c/wait", func(w http.ResponseWriter, r *http.Request) {
		queries <- r.URL.Query()
		w.WriteHeader(200)
		http.NewResponseController(w).Flush()
		select {
		case <-exited:
			_, _ = w.Write([]byte(`{"StatusCode":3,"Error":null}`))
		case <-r.Context().Done():
		}
	})
	return f, queries, exited
}

// TestBeginWait checks that BeginWait returns once the daemon holds the
// wait, before the container exits, and that Result reads the status then;
// without Condition it waits for the next exit.
func TestBeginWait(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts []WaitOption
		want url.Values
	}{
		{"default", nil, url.Values{"condition": {"next-exit"}}},
		{"removed", []WaitOption{Condition(WaitRemoved)}, url.Values{"condition": {"removed"}}},
		{"not running", []WaitOption{Condition(WaitNotRunning)}, url.Values{"condition": {"not-running"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, queries, exited := waitFake(t, "1.41")
			w, err := f.svc.BeginWait(t.Context(), "c", tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if diff := cmp.Diff(tc.want, <-queries); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			close(exited) // the container runs and exits only now
			exit, err := w.Result()
			if err != nil || exit.StatusCode != 3 {
				t.Fatalf("Result = %+v, %v; want status 3", exit, err)
			}
			if again, err := w.Result(); err != nil || again.StatusCode != 3 {
				t.Errorf("second Result = %+v, %v; want the same answer", again, err)
			}
		})
	}
}

// TestBeginWaitEnds checks the ways a pending wait ends without an exit:
// Close gives it up, ctx cancels it, and a daemon too old for conditions is
// refused before anything is sent.
func TestBeginWaitEnds(t *testing.T) {
	t.Parallel()
	t.Run("close", func(t *testing.T) {
		t.Parallel()
		f, _, _ := waitFake(t, "1.41")
		w, err := f.svc.BeginWait(t.Context(), "c")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Result(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Result after Close: %v, want net.ErrClosed", err)
		}
		if err := w.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		t.Parallel()
		f, _, _ := waitFake(t, "1.41")
		ctx, cancel := context.WithCancel(t.Context())
		w, err := f.svc.BeginWait(ctx, "c")
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		time.AfterFunc(20*time.Millisecond, cancel)
		start := time.Now()
		_, err = w.Result()
		if !errors.Is(err, context.Canceled) || err.Error() != "docker: waiting for container c: context canceled" || time.Since(start) > 3*time.Second {
			t.Errorf("Result after cancel: %v after %v", err, time.Since(start))
		}
	})
	t.Run("old daemon", func(t *testing.T) {
		t.Parallel()
		f, _, _ := waitFake(t, "1.29")
		if _, err := f.svc.BeginWait(t.Context(), "c"); !isVersionErr(err) {
			t.Errorf("BeginWait on API 1.29: %v, want docker.ErrVersion", err)
		}
		if n := f.requests.Load(); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	})
}
