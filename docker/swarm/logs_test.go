package swarm

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/berth-go/berth/stream"
	"github.com/google/go-cmp/cmp"
)

// serveLogs answers logs requests with the output of a service with or
// without a TTY, labelled as Engines of that version label it: before API
// 1.42 always raw-stream (even when multiplexed).
func serveLogs(f *fake, tty bool) {
	f.Mux.HandleFunc("GET /{v}/{kind}/{id}/logs", func(w http.ResponseWriter, r *http.Request) {
		ct := stream.RawContentType
		if !tty && f.Version() >= "1.42" {
			ct = stream.MultiplexedContentType
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(http.StatusOK)
		if tty {
			_, _ = io.WriteString(w, "out\r\nerr\r\n")
			return
		}
		_, _ = io.WriteString(stream.NewWriter(w, stream.Stdout), "out\n")
		_, _ = io.WriteString(stream.NewWriter(w, stream.Stderr), "err\n")
	})
	spec := func(tty bool) string {
		if tty {
			return `{"ContainerSpec":{"Image":"a","TTY":true}}`
		}
		return `{"ContainerSpec":{"Image":"a"}}`
	}
	f.Reply("GET /{v}/services/{id}", http.StatusOK, `{"ID":"s1","Spec":{"TaskTemplate":`+spec(tty)+`}}`)
	f.Reply("GET /{v}/tasks/{id}", http.StatusOK, `{"ID":"t1","Spec":`+spec(tty)+`}`)
}

func TestLogs(t *testing.T) {
	t.Parallel()
	type open func(c *Cluster, opts ...LogsOption) (*stream.Reader, error)
	kinds := map[string]open{
		"service": func(c *Cluster, opts ...LogsOption) (*stream.Reader, error) {
			return c.Services().Logs(t.Context(), "s1", opts...)
		},
		"task": func(c *Cluster, opts ...LogsOption) (*stream.Reader, error) {
			return c.Tasks().Logs(t.Context(), "t1", opts...)
		},
	}
	for kind, logs := range kinds {
		for _, tc := range []struct {
			name      string
			version   string
			tty       bool
			opts      []LogsOption
			inspected bool
		}{
			{"1.41 multiplexed", "1.41", false, nil, true},
			{"1.41 tty", "1.41", true, nil, true},
			{"1.41 told", "1.41", false, []LogsOption{TTY(false)}, false},
			{"1.41 told tty", "1.41", true, []LogsOption{TTY(true)}, false},
			{"1.44 multiplexed", "1.44", false, nil, false},
			{"1.44 tty", "1.44", true, nil, false},
		} {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				c, f := setupVersion(t, tc.version)
				serveLogs(f, tc.tty)
				r, err := logs(c, tc.opts...)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				if r.Multiplexed() == tc.tty {
					t.Fatalf("Multiplexed() = %v for tty %v", r.Multiplexed(), tc.tty)
				}
				var stdout, stderr bytes.Buffer
				if _, err := r.Demux(&stdout, &stderr); err != nil {
					t.Fatal(err)
				}
				want := [2]string{"out\n", "err\n"}
				if tc.tty {
					want = [2]string{"out\r\nerr\r\n", ""}
				}
				if diff := cmp.Diff(want, [2]string{stdout.String(), stderr.String()}); diff != "" {
					t.Errorf("stdout, stderr (-want +got):\n%s", diff)
				}
				if got := len(f.Requests()) == 2; got != tc.inspected {
					t.Errorf("inspected first: %v, want %v (%d requests)", got, tc.inspected, len(f.Requests()))
				}
			})
		}
	}
}

func TestLogsQuery(t *testing.T) {
	t.Parallel()
	since := time.Unix(1700000000, 5)
	for _, tc := range []struct {
		name string
		opts []LogsOption
		want url.Values
	}{
		{"default", nil, url.Values{"stdout": {"1"}, "stderr": {"1"}}},
		{"stdout", []LogsOption{Stdout()}, url.Values{"stdout": {"1"}}},
		{"stderr", []LogsOption{Stderr()}, url.Values{"stderr": {"1"}}},
		{"all", []LogsOption{Follow(), Since(since), Timestamps(), Tail(10), Details(), Stdout(), Stderr()},
			url.Values{"stdout": {"1"}, "stderr": {"1"}, "follow": {"1"}, "since": {"1700000000.000000005"},
				"timestamps": {"1"}, "tail": {"10"}, "details": {"1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, f := setup(t)
			serveLogs(f, false)
			r, err := c.Services().Logs(t.Context(), "s1", append(tc.opts, TTY(false))...)
			if err != nil {
				t.Fatal(err)
			}
			r.Close()
			if diff := cmp.Diff(tc.want, f.Last(t).Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLogsFollowEndsWithContext(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Mux.HandleFunc("GET /{v}/services/{id}/logs", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(stream.NewWriter(w, stream.Stdout), "first\n")
		http.NewResponseController(w).Flush()
		select { // keep the stream open (bounded)
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	ctx, cancel := contextWithCancel(t)
	r, err := c.Services().Logs(ctx, "s1", Follow(), TTY(false))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	var stdout bytes.Buffer
	_, err = r.Demux(&stdout, io.Discard)
	if err == nil {
		t.Error("a cancelled follow ended without an error")
	}
	if stdout.String() != "first\n" {
		t.Errorf("stdout %q", stdout.String())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("returned after %v", d)
	}
}
