package swarm

import (
	"errors"
	"net/http"
	"strings"

	"github.com/berth-go/berth/docker"
)

// StaleVersionError is the daemon refusing an update because the version
// sent is no longer the object's current one. Engines answer it with a 500
// whose message says "update out of sequence", which no sentinel matches;
// this wrapper makes errors.Is(err, docker.ErrConflict) hold, while
// errors.As still finds the daemon's *docker.Error.
type StaleVersionError struct {
	Err *docker.Error
}

// Error returns the daemon's error unchanged.
func (e *StaleVersionError) Error() string { return e.Err.Error() }

// Unwrap returns the daemon's *docker.Error.
func (e *StaleVersionError) Unwrap() error { return e.Err }

// Is matches docker.ErrConflict.
func (e *StaleVersionError) Is(target error) bool { return target == docker.ErrConflict }

// staleVersion wraps an update's error when it is the daemon's "update out
// of sequence" answer.
func staleVersion(err error) error {
	var de *docker.Error
	if errors.As(err, &de) && de.StatusCode == http.StatusInternalServerError &&
		strings.Contains(de.Message, "update out of sequence") {
		return &StaleVersionError{Err: de}
	}
	return err
}
