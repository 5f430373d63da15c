package plugin

import (
	"context"
	"iter"
	"strings"
	"testing"

	"github.com/berth-go/berth/internal/testing/fakeapi"
	"github.com/berth-go/berth/stream"
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

// drain ranges over a progress stream and returns its first error.
func drain(seq iter.Seq2[stream.Progress, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// Who needs a name: List takes none; Privileges, Pull and Create send it
// in the query and UpgradeRemote sends its remote there, so only an empty
// one is refused; the rest put it in the path.
const (
	inQuery = fakeapi.IDRequired
	inPath  = fakeapi.IDInPath
)

// calls lists every endpoint method for the shared checks.
var calls = []fakeapi.Call[*Service]{
	{Name: "List", Fn: func(ctx context.Context, s *Service, _ string) error { _, err := s.List(ctx); return err }},
	{Name: "Privileges", ID: inQuery, Fn: func(ctx context.Context, s *Service, name string) error {
		_, err := s.Privileges(ctx, name)
		return err
	}},
	{Name: "Pull", ID: inQuery, Fn: func(ctx context.Context, s *Service, name string) error {
		return drain(s.Pull(ctx, name, nil))
	}},
	{Name: "Inspect", ID: inPath, Fn: func(ctx context.Context, s *Service, name string) error {
		_, err := s.Inspect(ctx, name)
		return err
	}},
	{Name: "Enable", ID: inPath, Fn: func(ctx context.Context, s *Service, name string) error {
		return s.Enable(ctx, name)
	}},
	{Name: "Disable", ID: inPath, Fn: func(ctx context.Context, s *Service, name string) error {
		return s.Disable(ctx, name)
	}},
	{Name: "Remove", ID: inPath, Fn: func(ctx context.Context, s *Service, name string) error {
		return s.Remove(ctx, name)
	}},
	{Name: "Upgrade", ID: inPath, Fn: func(ctx context.Context, s *Service, name string) error {
		return drain(s.Upgrade(ctx, name, "remote/x", nil))
	}},
	{Name: "UpgradeRemote", ID: inQuery, Fn: func(ctx context.Context, s *Service, name string) error {
		return drain(s.Upgrade(ctx, "p", name, nil))
	}},
	{Name: "Create", ID: inQuery, Fn: func(ctx context.Context, s *Service, name string) error {
		return s.Create(ctx, name, strings.NewReader("not really a tar"))
	}},
	{Name: "Push", ID: inPath, Fn: func(ctx context.Context, s *Service, name string) error {
		return drain(s.Push(ctx, name))
	}},
	{Name: "Set", ID: inPath, Fn: func(ctx context.Context, s *Service, name string) error {
		return s.Set(ctx, name, "DEBUG=1")
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
