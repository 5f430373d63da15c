package fakeapi

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
)

// IDUse says what a Call does with the id the shared checks hand it.
type IDUse int

const (
	// NoID: the call ignores the id, or accepts an empty one on purpose.
	NoID IDUse = iota
	// IDRequired: the call refuses an empty id before sending anything,
	// but sends the id outside the path (body or query), so ".." elements
	// are not its concern.
	IDRequired
	// IDInPath: the id becomes a path segment, so the call refuses an
	// empty id and one with ".." elements before sending anything.
	IDInPath
)

// Call is one method of a resource package under the shared checks,
// invoked on the package's service S with a given id.
type Call[S any] struct {
	Name string // subtest name
	ID   IDUse
	Fn   func(ctx context.Context, s S, id string) error
}

// Suite runs the checks every resource package shares over its table of
// Calls. Each check runs its subtests in parallel, each on a fresh fake
// from Setup.
type Suite[S any] struct {
	Setup func(t *testing.T) (S, *Server)
	Calls []Call[S]
	ID    string // a well-formed id, given where a check needs no bad one
}

// ErrorCase is a daemon status the error-mapping check answers with and
// the sentinel the resulting error must match (nil: none).
type ErrorCase struct {
	Status   int
	Sentinel error
}

// CommonErrors returns the statuses most packages check: 500, 404, 409
// and 403.
func CommonErrors() []ErrorCase {
	return []ErrorCase{
		{http.StatusInternalServerError, nil},
		{http.StatusNotFound, docker.ErrNotFound},
		{http.StatusConflict, docker.ErrConflict},
		{http.StatusForbidden, docker.ErrForbidden},
	}
}

// fakeMessage is the message every error answer carries.
const fakeMessage = "boom from the fake"

// ErrorMapping checks that each call turns each case's status into a
// *docker.Error carrying the status, the daemon's message and the
// sentinel. also, when not nil, checks more of each error.
func (s Suite[S]) ErrorMapping(t *testing.T, cases []ErrorCase, also func(t *testing.T, status int, err error)) {
	t.Helper()
	for _, tc := range cases {
		for _, c := range s.Calls {
			t.Run(http.StatusText(tc.Status)+"/"+c.Name, func(t *testing.T) {
				t.Parallel()
				svc, f := s.Setup(t)
				f.Reply("/", tc.Status, map[string]string{"message": fakeMessage})
				err := c.Fn(t.Context(), svc, s.ID)
				var de *docker.Error
				if !errors.As(err, &de) {
					t.Fatalf("err = %v (%T), want *docker.Error", err, err)
				}
				if de.StatusCode != tc.Status || de.Message != fakeMessage {
					t.Errorf("got %d %q, want %d and the daemon's message", de.StatusCode, de.Message, tc.Status)
				}
				if tc.Sentinel != nil && !errors.Is(err, tc.Sentinel) {
					t.Errorf("errors.Is(%v, %v) = false", err, tc.Sentinel)
				}
				if also != nil {
					also(t, tc.Status, err)
				}
			})
		}
	}
}

// EmptyIDSendsNothing checks that each call needing an id refuses an
// empty one locally, without a request.
func (s Suite[S]) EmptyIDSendsNothing(t *testing.T) {
	t.Helper()
	for _, c := range s.Calls {
		if c.ID == NoID {
			continue
		}
		t.Run(c.Name, func(t *testing.T) { s.refuses(t, c, "") })
	}
}

// DotDotIDRefused checks that each call putting its id in the path
// refuses an id with ".." elements locally, without a request.
func (s Suite[S]) DotDotIDRefused(t *testing.T) {
	t.Helper()
	for _, c := range s.Calls {
		if c.ID != IDInPath {
			continue
		}
		t.Run(c.Name, func(t *testing.T) { s.refuses(t, c, "../../containers/json") })
	}
}

// BadIDsSendNothing checks that each call putting its id in the path
// refuses each of ids locally, without a request (subtests Name/id).
func (s Suite[S]) BadIDsSendNothing(t *testing.T, ids ...string) {
	t.Helper()
	for _, c := range s.Calls {
		if c.ID != IDInPath {
			continue
		}
		for _, id := range ids {
			t.Run(c.Name+"/"+id, func(t *testing.T) { s.refuses(t, c, id) })
		}
	}
}

// refuses checks that c fails on id with a local (not daemon) error and
// sends no request.
func (s Suite[S]) refuses(t *testing.T, c Call[S], id string) {
	t.Helper()
	t.Parallel()
	svc, f := s.Setup(t)
	f.Reply("/", http.StatusOK, "{}")
	err := c.Fn(t.Context(), svc, id)
	if err == nil {
		t.Fatalf("id %q accepted", id)
	}
	var de *docker.Error
	if errors.As(err, &de) {
		t.Errorf("local validation error dressed as a daemon error: %v", err)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests sent for id %q", n, id)
	}
}

// CancelReturnsPromptly checks that each call returns context.Canceled
// soon after its context is cancelled while the daemon hangs (the fake
// gives up after 10 s, the check after 5 s).
func (s Suite[S]) CancelReturnsPromptly(t *testing.T) {
	t.Helper()
	for _, c := range s.Calls {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			svc, f := s.Setup(t)
			f.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				select { // hang until the client gives up (bounded)
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
				}
			})
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(50*time.Millisecond, cancel)
			start := time.Now()
			err := c.Fn(ctx, svc, s.ID)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("returned after %v", d)
			}
		})
	}
}
