package image

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
)

// call runs one method against the fake with name as its id or reference
// argument (when it takes one).
type call struct {
	name  string
	takes bool // whether an empty name is refused locally
	run   func(ctx context.Context, s *Service, name string) error
}

var calls = []call{
	{"List", false, func(ctx context.Context, s *Service, _ string) error { _, err := s.List(ctx); return err }},
	{"Inspect", true, func(ctx context.Context, s *Service, n string) error { _, err := s.Inspect(ctx, n); return err }},
	{"History", true, func(ctx context.Context, s *Service, n string) error { _, err := s.History(ctx, n); return err }},
	{"Tag", true, func(ctx context.Context, s *Service, n string) error { return s.Tag(ctx, n, "app:1") }},
	{"Remove", true, func(ctx context.Context, s *Service, n string) error { _, err := s.Remove(ctx, n); return err }},
	{"Prune", false, func(ctx context.Context, s *Service, _ string) error { _, err := s.Prune(ctx); return err }},
	{"Search", true, func(ctx context.Context, s *Service, n string) error { _, err := s.Search(ctx, n); return err }},
	{"Commit", true, func(ctx context.Context, s *Service, n string) error {
		_, err := s.Commit(ctx, n, Config{})
		return err
	}},
	{"Save", true, func(ctx context.Context, s *Service, n string) error { return drainReader(s.Save(ctx, n)) }},
	{"SaveMany", true, func(ctx context.Context, s *Service, n string) error {
		return drainReader(s.SaveMany(ctx, []string{n}))
	}},
	{"Load", false, func(ctx context.Context, s *Service, _ string) error {
		return first(s.Load(ctx, strings.NewReader("tar")))
	}},
	{"Import", false, func(ctx context.Context, s *Service, _ string) error {
		return first(s.Import(ctx, strings.NewReader("tar")))
	}},
	{"ImportFromURL", true, func(ctx context.Context, s *Service, n string) error {
		if n != "" {
			n = "http://127.0.0.1:1/" + n
		}
		return first(s.ImportFromURL(ctx, n))
	}},
	{"Pull", true, func(ctx context.Context, s *Service, n string) error { return first(s.Pull(ctx, n)) }},
	{"Push", true, func(ctx context.Context, s *Service, n string) error { return first(s.Push(ctx, n)) }},
	{"Build", false, func(ctx context.Context, s *Service, _ string) error {
		return first(s.Build(ctx, strings.NewReader("tar")))
	}},
	{"BuildPrune", false, func(ctx context.Context, s *Service, _ string) error { _, err := s.BuildPrune(ctx); return err }},
	{"InspectDistribution", true, func(ctx context.Context, s *Service, n string) error {
		_, err := s.InspectDistribution(ctx, n)
		return err
	}},
	{"Attestations", true, func(ctx context.Context, s *Service, n string) error { _, err := s.Attestations(ctx, n); return err }},
}

func drainReader(rc io.ReadCloser, err error) error {
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// TestMethodsErrors runs the checks every method must pass: a 500 is a
// *docker.Error, a 404 matches docker.ErrNotFound, an empty name is refused
// before anything is sent, and a cancelled context returns promptly, also
// while the daemon is slow to answer.
func TestMethodsErrors(t *testing.T) {
	t.Parallel()
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			t.Run("500", func(t *testing.T) {
				t.Parallel()
				f := setup(t, "1.56", status(500, "boom"))
				err := c.run(t.Context(), f.svc, "app")
				var de *docker.Error
				if !errors.As(err, &de) || de.StatusCode != 500 || de.Message != "boom" {
					t.Errorf("error = %v, want a *docker.Error 500", err)
				}
			})
			t.Run("404", func(t *testing.T) {
				t.Parallel()
				f := setup(t, "1.56", status(404, "No such image: app"))
				if err := c.run(t.Context(), f.svc, "app"); !errors.Is(err, docker.ErrNotFound) {
					t.Errorf("error = %v, want ErrNotFound", err)
				}
			})
			if c.takes {
				t.Run("empty name", func(t *testing.T) {
					t.Parallel()
					f := setup(t, "1.56", nil)
					if err := c.run(t.Context(), f.svc, ""); err == nil || !strings.HasPrefix(err.Error(), "docker: ") {
						t.Errorf("error = %v, want a local error", err)
					}
					if n := len(f.requests()); n != 0 {
						t.Errorf("%d requests sent", n)
					}
				})
				t.Run("path escape", func(t *testing.T) {
					t.Parallel()
					f := setup(t, "1.56", nil)
					_ = c.run(t.Context(), f.svc, "../../containers/json")
					for _, r := range f.requests() {
						if strings.Contains(r.Path, "containers") && !strings.Contains(r.Path, "%2F") && r.Query.Get("container") == "" {
							t.Errorf("request reached %s", r.Path)
						}
					}
				})
			}
			t.Run("cancelled", func(t *testing.T) {
				t.Parallel()
				release := make(chan struct{})
				defer close(release)
				f := setup(t, "1.56", func(w http.ResponseWriter, r *http.Request) {
					select {
					case <-release:
					case <-r.Context().Done():
					}
				})
				ctx, cancel := context.WithCancel(t.Context())
				time.AfterFunc(50*time.Millisecond, cancel)
				start := time.Now()
				err := c.run(ctx, f.svc, "app")
				if !errors.Is(err, context.Canceled) {
					t.Errorf("error = %v, want context.Canceled", err)
				}
				if d := time.Since(start); d > 5*time.Second {
					t.Errorf("returned after %v", d)
				}
			})
		})
	}
}
