package network

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
// an id ignore it, Create sends its name in the body.
var calls = []fakeapi.Call[*Service]{
	{Name: "List", Fn: func(ctx context.Context, s *Service, _ string) error { _, err := s.List(ctx); return err }},
	{Name: "Inspect", ID: inPath, Fn: func(ctx context.Context, s *Service, id string) error {
		_, err := s.Inspect(ctx, id)
		return err
	}},
	{Name: "Create", ID: fakeapi.IDRequired, Fn: func(ctx context.Context, s *Service, id string) error {
		_, err := s.Create(ctx, id, CreateRequest{})
		return err
	}},
	{Name: "Remove", ID: inPath, Fn: func(ctx context.Context, s *Service, id string) error {
		return s.Remove(ctx, id)
	}},
	{Name: "Prune", Fn: func(ctx context.Context, s *Service, _ string) error { _, err := s.Prune(ctx); return err }},
	{Name: "Connect", ID: inPath, Fn: func(ctx context.Context, s *Service, id string) error {
		return s.Connect(ctx, id, "ctr", nil)
	}},
	{Name: "ConnectNoContainer", ID: inPath, Fn: func(ctx context.Context, s *Service, id string) error {
		if id == "" {
			return s.Connect(ctx, "net", "", nil)
		}
		return s.Connect(ctx, id, "ctr", nil)
	}},
	{Name: "Disconnect", ID: inPath, Fn: func(ctx context.Context, s *Service, id string) error {
		return s.Disconnect(ctx, id, "ctr")
	}},
	{Name: "DisconnectNoContainer", ID: inPath, Fn: func(ctx context.Context, s *Service, id string) error {
		if id == "" {
			return s.Disconnect(ctx, "net", "")
		}
		return s.Disconnect(ctx, id, "ctr")
	}},
}

// shared runs the checks every resource package shares
// (internal/testing/fakeapi).
var shared = fakeapi.Suite[*Service]{Setup: setup, Calls: calls, ID: "n1"}

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
