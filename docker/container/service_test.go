package container

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
)

// operation is one method under the shared checks, called with an id (or
// ignoring it for the operations that take none).
type operation struct {
	name  string
	takes bool // whether the operation takes an id (checked for empty ids)
	call  func(ctx context.Context, s *Service, id string) error
}

// operations lists every method of the package for the shared checks.
func operations() []operation {
	return []operation{
		{"List", false, func(ctx context.Context, s *Service, _ string) error { _, err := s.List(ctx); return err }},
		{"Prune", false, func(ctx context.Context, s *Service, _ string) error { _, err := s.Prune(ctx); return err }},
		{"Create", false, func(ctx context.Context, s *Service, _ string) error {
			_, err := s.Create(ctx, Config{Image: "x"})
			return err
		}},
		{"Run", false, func(ctx context.Context, s *Service, _ string) error {
			_, err := s.Run(ctx, Config{Image: "x"}, WithStdout(io.Discard))
			return err
		}},
		{"Inspect", true, func(ctx context.Context, s *Service, id string) error { _, err := s.Inspect(ctx, id); return err }},
		{"Start", true, func(ctx context.Context, s *Service, id string) error { return s.Start(ctx, id) }},
		{"Stop", true, func(ctx context.Context, s *Service, id string) error { return s.Stop(ctx, id) }},
		{"Restart", true, func(ctx context.Context, s *Service, id string) error { return s.Restart(ctx, id) }},
		{"Kill", true, func(ctx context.Context, s *Service, id string) error { return s.Kill(ctx, id) }},
		{"Pause", true, func(ctx context.Context, s *Service, id string) error { return s.Pause(ctx, id) }},
		{"Unpause", true, func(ctx context.Context, s *Service, id string) error { return s.Unpause(ctx, id) }},
		{"Rename", true, func(ctx context.Context, s *Service, id string) error { return s.Rename(ctx, id, "new") }},
		{"Update", true, func(ctx context.Context, s *Service, id string) error {
			_, err := s.Update(ctx, id, UpdateConfig{})
			return err
		}},
		{"Remove", true, func(ctx context.Context, s *Service, id string) error { return s.Remove(ctx, id) }},
		{"Resize", true, func(ctx context.Context, s *Service, id string) error { return s.Resize(ctx, id, 24, 80) }},
		{"Wait", true, func(ctx context.Context, s *Service, id string) error { _, err := s.Wait(ctx, id); return err }},
		{"Top", true, func(ctx context.Context, s *Service, id string) error { _, err := s.Top(ctx, id); return err }},
		{"Changes", true, func(ctx context.Context, s *Service, id string) error { _, err := s.Changes(ctx, id); return err }},
		{"Logs", true, func(ctx context.Context, s *Service, id string) error { return drain(s.Logs(ctx, id, TTY(false))) }},
		{"Logs/inspect", true, func(ctx context.Context, s *Service, id string) error { return drain(s.Logs(ctx, id)) }},
		{"Attach", true, func(ctx context.Context, s *Service, id string) error { return drain(s.Attach(ctx, id, TTY(false))) }},
		{"Attach/inspect", true, func(ctx context.Context, s *Service, id string) error { return drain(s.Attach(ctx, id)) }},
		{"AttachWebsocket", true, func(ctx context.Context, s *Service, id string) error {
			return drain(s.AttachWebsocket(ctx, id))
		}},
		{"Stats", true, func(ctx context.Context, s *Service, id string) error {
			for _, err := range s.Stats(ctx, id) {
				return err
			}
			return nil
		}},
		{"StatsOnce", true, func(ctx context.Context, s *Service, id string) error { _, err := s.StatsOnce(ctx, id); return err }},
		{"ExecCreate", true, func(ctx context.Context, s *Service, id string) error {
			_, err := s.ExecCreate(ctx, id, ExecConfig{Cmd: []string{"true"}})
			return err
		}},
		{"ExecStart", true, func(ctx context.Context, s *Service, id string) error { return drain(s.ExecStart(ctx, id, TTY(false))) }},
		{"ExecStart/inspect", true, func(ctx context.Context, s *Service, id string) error { return drain(s.ExecStart(ctx, id)) }},
		{"ExecStartDetached", true, func(ctx context.Context, s *Service, id string) error { return s.ExecStartDetached(ctx, id) }},
		{"ExecResize", true, func(ctx context.Context, s *Service, id string) error { return s.ExecResize(ctx, id, 1, 1) }},
		{"Stat", true, func(ctx context.Context, s *Service, id string) error { _, err := s.Stat(ctx, id, "/etc"); return err }},
		{"CopyFrom", true, func(ctx context.Context, s *Service, id string) error {
			rc, _, err := s.CopyFrom(ctx, id, "/etc")
			return drain(rc, err)
		}},
		{"CopyTo", true, func(ctx context.Context, s *Service, id string) error {
			return s.CopyTo(ctx, id, "/", strings.NewReader("not really a tar"))
		}},
		{"CopyIn", true, func(ctx context.Context, s *Service, id string) error {
			return s.CopyIn(ctx, id, "testdata/README.md", "/")
		}},
		{"CopyOut", true, func(ctx context.Context, s *Service, id string) error {
			return s.CopyOut(ctx, id, "/etc", os.TempDir())
		}},
		{"Export", true, func(ctx context.Context, s *Service, id string) error { return drain(s.Export(ctx, id)) }},
		{"ExecInspect", true, func(ctx context.Context, s *Service, id string) error { _, err := s.ExecInspect(ctx, id); return err }},
	}
}

func TestSharedErrors(t *testing.T) {
	t.Parallel()
	for _, op := range operations() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			t.Run("500", func(t *testing.T) {
				t.Parallel()
				f := setup(t)
				f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { writeError(w, 500, "boom") })
				err := op.call(t.Context(), f.svc, "abc")
				var de *docker.Error
				wantMsg := "boom"
				if op.name == "Stat" {
					wantMsg = "" // a HEAD answer has no body
				}
				if !errors.As(err, &de) || de.StatusCode != 500 || de.Message != wantMsg {
					t.Fatalf("err = %v (%T), want *docker.Error 500 boom", err, err)
				}
			})
			t.Run("404", func(t *testing.T) {
				t.Parallel()
				f := setup(t)
				f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
					writeError(w, 404, "No such container: abc")
				})
				err := op.call(t.Context(), f.svc, "abc")
				if !errors.Is(err, docker.ErrNotFound) || !strings.Contains(err.Error(), "abc") {
					t.Fatalf("err = %v, want ErrNotFound naming abc", err)
				}
			})
			t.Run("cancel", func(t *testing.T) {
				t.Parallel()
				f := setup(t)
				entered := make(chan struct{}, 1)
				f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client leaving
					entered <- struct{}{}
					select {
					case <-r.Context().Done():
					case <-time.After(10 * time.Second):
					}
				})
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				go func() {
					select {
					case <-entered:
					case <-time.After(5 * time.Second):
					}
					cancel()
				}()
				start := time.Now()
				err := op.call(ctx, f.svc, "abc")
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("err = %v, want context.Canceled", err)
				}
				if d := time.Since(start); d > 3*time.Second {
					t.Fatalf("returned after %v", d)
				}
			})
			if !op.takes {
				return
			}
			for _, id := range []string{"", "..", "../../images/json"} {
				t.Run("id="+id, func(t *testing.T) {
					t.Parallel()
					f := setup(t)
					f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, "{}") })
					err := op.call(t.Context(), f.svc, id)
					if err == nil {
						t.Fatal("no error")
					}
					var de *docker.Error
					if errors.As(err, &de) {
						t.Fatalf("local validation error dressed as *docker.Error: %v", err)
					}
					if n := f.requests.Load(); n != 0 {
						t.Fatalf("%d requests sent for id %q", n, id)
					}
				})
			}
		})
	}
}

// drain reads a stream to its end and closes it, returning the first error.
func drain[T io.ReadCloser](rc T, err error) error {
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}
