package h1

import (
	"errors"
	"syscall"
)

// isReset reports a connection reset or a write to a closed peer: how a
// daemon's close of an idle connection shows up on the next use.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
