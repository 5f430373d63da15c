package plugin

import (
	"context"
	"errors"
	"github.com/berth-go/berth/internal/fakeapi"
	"iter"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/stream"
)

// fake is the package's stand-in daemon (internal/fakeapi): a real unix
// socket, /_ping answered, every other request recorded.
type (
	fake        = fakeapi.Server
	seenRequest = fakeapi.Request
)

// setup serves a fake daemon speaking API 1.41 (the real Engine here) and
// returns a Service bound to it.
func setup(t *testing.T) (*Service, *fake) { return setupVersion(t, "1.41") }

func setupVersion(t *testing.T, version string) (*Service, *fake) {
	t.Helper()
	cli, f := fakeapi.New(t, version)
	return New(cli), f
}

// call is one method of the Service, invoked with a given name for the
// shared checks.
type call struct {
	name string
	fn   func(ctx context.Context, s *Service, name string) error
}

// drain ranges over a progress stream and returns its first error.
func drain(seq iter.Seq2[stream.Progress, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// calls lists every endpoint method; methods without a name ignore it.
var calls = []call{
	{"List", func(ctx context.Context, s *Service, _ string) error { _, err := s.List(ctx); return err }},
	{"Privileges", func(ctx context.Context, s *Service, name string) error {
		_, err := s.Privileges(ctx, name)
		return err
	}},
	{"Pull", func(ctx context.Context, s *Service, name string) error { return drain(s.Pull(ctx, name, nil)) }},
	{"Inspect", func(ctx context.Context, s *Service, name string) error { _, err := s.Inspect(ctx, name); return err }},
	{"Enable", func(ctx context.Context, s *Service, name string) error { return s.Enable(ctx, name) }},
	{"Disable", func(ctx context.Context, s *Service, name string) error { return s.Disable(ctx, name) }},
	{"Remove", func(ctx context.Context, s *Service, name string) error { return s.Remove(ctx, name) }},
	{"Upgrade", func(ctx context.Context, s *Service, name string) error {
		return drain(s.Upgrade(ctx, name, "remote/x", nil))
	}},
	{"UpgradeRemote", func(ctx context.Context, s *Service, name string) error { return drain(s.Upgrade(ctx, "p", name, nil)) }},
	{"Create", func(ctx context.Context, s *Service, name string) error {
		return s.Create(ctx, name, strings.NewReader("not really a tar"))
	}},
	{"Push", func(ctx context.Context, s *Service, name string) error { return drain(s.Push(ctx, name)) }},
	{"Set", func(ctx context.Context, s *Service, name string) error { return s.Set(ctx, name, "DEBUG=1") }},
}

// takesID reports whether a call sends a name it should refuse when empty.
func takesID(name string) bool { return name != "List" }

// inPath reports whether a call puts the name in the request path (so a
// name with .. elements must be refused).
func inPath(name string) bool {
	switch name {
	case "List", "Privileges", "Pull", "Create", "UpgradeRemote":
		return false
	}
	return true
}

func TestSharedErrorMapping(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status   int
		sentinel error
	}{
		{http.StatusInternalServerError, nil},
		{http.StatusNotFound, docker.ErrNotFound},
		{http.StatusConflict, docker.ErrConflict},
		{http.StatusForbidden, docker.ErrForbidden},
	} {
		for _, c := range calls {
			t.Run(http.StatusText(tc.status)+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				s, f := setup(t)
				f.Reply("/", tc.status, map[string]string{"message": "boom from the fake"})
				err := c.fn(t.Context(), s, "n1")
				var de *docker.Error
				if !errors.As(err, &de) {
					t.Fatalf("err = %v (%T), want *docker.Error", err, err)
				}
				if de.StatusCode != tc.status || de.Message != "boom from the fake" {
					t.Errorf("got %d %q, want %d and the daemon's message", de.StatusCode, de.Message, tc.status)
				}
				if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
					t.Errorf("errors.Is(%v, %v) = false", err, tc.sentinel)
				}
			})
		}
	}
}

func TestSharedEmptyIDSendsNothing(t *testing.T) {
	t.Parallel()
	for _, c := range calls {
		if !takesID(c.name) {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("/", http.StatusOK, "{}")
			err := c.fn(t.Context(), s, "")
			if err == nil {
				t.Fatal("empty id accepted")
			}
			var de *docker.Error
			if errors.As(err, &de) {
				t.Errorf("local validation error dressed as a daemon error: %v", err)
			}
			if n := len(f.Requests()); n != 0 {
				t.Errorf("%d requests sent for an empty id", n)
			}
		})
	}
}

func TestSharedDotDotIDIsRefused(t *testing.T) {
	t.Parallel()
	for _, c := range calls {
		if !inPath(c.name) {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Reply("/", http.StatusOK, "{}")
			if err := c.fn(t.Context(), s, "../../containers/json"); err == nil {
				t.Fatal("id with .. elements accepted")
			}
			if n := len(f.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

func TestSharedCancelReturnsPromptly(t *testing.T) {
	t.Parallel()
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, f := setup(t)
			f.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				select { // hang until the client gives up (bounded)
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
				}
			})
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(50*time.Millisecond, cancel)
			start := time.Now()
			err := c.fn(ctx, s, "n1")
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("returned after %v", d)
			}
		})
	}
}
