package network

import (
	"context"
	"errors"
	"github.com/berth-go/berth/internal/fakeapi"
	"net/http"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
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

// call is one method of the Service, invoked with a given id for the
// shared checks.
type call struct {
	name string
	fn   func(ctx context.Context, s *Service, id string) error
}

// calls lists every endpoint method; methods without an id ignore it.
var calls = []call{
	{"List", func(ctx context.Context, s *Service, _ string) error { _, err := s.List(ctx); return err }},
	{"Inspect", func(ctx context.Context, s *Service, id string) error { _, err := s.Inspect(ctx, id); return err }},
	{"Create", func(ctx context.Context, s *Service, id string) error {
		_, err := s.Create(ctx, id, CreateRequest{})
		return err
	}},
	{"Remove", func(ctx context.Context, s *Service, id string) error { return s.Remove(ctx, id) }},
	{"Prune", func(ctx context.Context, s *Service, _ string) error { _, err := s.Prune(ctx); return err }},
	{"Connect", func(ctx context.Context, s *Service, id string) error { return s.Connect(ctx, id, "ctr", nil) }},
	{"ConnectNoContainer", func(ctx context.Context, s *Service, id string) error {
		if id == "" {
			return s.Connect(ctx, "net", "", nil)
		}
		return s.Connect(ctx, id, "ctr", nil)
	}},
	{"Disconnect", func(ctx context.Context, s *Service, id string) error { return s.Disconnect(ctx, id, "ctr") }},
	{"DisconnectNoContainer", func(ctx context.Context, s *Service, id string) error {
		if id == "" {
			return s.Disconnect(ctx, "net", "")
		}
		return s.Disconnect(ctx, id, "ctr")
	}},
}

// takesID reports whether a call sends an id it should refuse when empty.
func takesID(name string) bool {
	return name != "List" && name != "Prune"
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
		if !takesID(c.name) || c.name == "Create" { // Create sends the name in the body
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
