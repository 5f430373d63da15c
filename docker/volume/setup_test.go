package volume

import (
	"context"
	"testing"

	"github.com/berth-go/berth/internal/testing/fakeapi"
)

// fake is the package's stand-in daemon (internal/testing/fakeapi): a real
// unix socket, /_ping answered, every other request recorded.
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

// inPath marks the calls whose id is a path segment: empty and ".." ids
// are refused.
const inPath = fakeapi.IDInPath

// calls lists every endpoint method for the shared checks; methods without
// a name ignore it, and Create sends an empty name on purpose (the daemon
// makes one up).
var calls = []fakeapi.Call[*Service]{
	{Name: "List", Fn: func(ctx context.Context, s *Service, _ string) error { _, err := s.List(ctx); return err }},
	{Name: "Create", Fn: func(ctx context.Context, s *Service, name string) error {
		_, err := s.Create(ctx, CreateRequest{Name: name})
		return err
	}},
	{Name: "Inspect", ID: inPath, Fn: func(ctx context.Context, s *Service, name string) error {
		_, err := s.Inspect(ctx, name)
		return err
	}},
	{Name: "Update", ID: inPath, Fn: func(ctx context.Context, s *Service, name string) error {
		return s.Update(ctx, name, 1, ClusterVolumeSpec{Availability: "pause"})
	}},
	{Name: "Remove", ID: inPath, Fn: func(ctx context.Context, s *Service, name string) error {
		return s.Remove(ctx, name)
	}},
	{Name: "Prune", Fn: func(ctx context.Context, s *Service, _ string) error {
		_, err := s.Prune(ctx, All())
		return err
	}},
}

// shared runs the checks every resource package shares
// (internal/testing/fakeapi), at API 1.56 so that Update is available.
var shared = fakeapi.Suite[*Service]{
	Setup: func(t *testing.T) (*Service, *fake) { return setupVersion(t, "1.56") },
	Calls: calls,
	ID:    "n1",
}

func TestSharedErrorMapping(t *testing.T) {
	t.Parallel()
	shared.ErrorMapping(t, fakeapi.CommonErrors(), nil)
}

func TestSharedEmptyIDSendsNothing(t *testing.T) {
	t.Parallel()
	shared.EmptyIDSendsNothing(t)
}

func TestSharedDotDotIDIsRefused(t *testing.T) {
	t.Parallel()
	shared.DotDotIDRefused(t)
}

func TestSharedCancelReturnsPromptly(t *testing.T) {
	t.Parallel()
	shared.CancelReturnsPromptly(t)
}
