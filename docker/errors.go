package docker

import (
	"errors"
	"fmt"
	"net/http"
)

// Sentinel errors for errors.Is. A *Error matches the sentinel of its status
// code; local checks (ErrVersion) return errors that wrap the sentinel.
var (
	ErrNotFound        = errors.New("docker: not found")           // 404
	ErrConflict        = errors.New("docker: conflict")            // 409
	ErrInvalidArgument = errors.New("docker: invalid argument")    // 400
	ErrUnauthorized    = errors.New("docker: unauthorized")        // 401
	ErrForbidden       = errors.New("docker: forbidden")           // 403
	ErrNotModified     = errors.New("docker: not modified")        // 304
	ErrUnavailable     = errors.New("docker: unavailable")         // 503
	ErrNotImplemented  = errors.New("docker: not implemented")     // 501
	ErrVersion         = errors.New("docker: API version too old") // the endpoint or parameter needs a newer API version
)

// Error is an error answer from the Engine: any response with a status of
// 400 or more (and 304 where a method documents it as an error).
type Error struct {
	StatusCode int    // the HTTP status code
	Message    string // the daemon's message, or a short prefix of a non-JSON body
	Method     string // the request method
	Path       string // the request path without the version prefix
}

// Error reads like "docker: GET /containers/x/json: 404 No such container: x".
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("docker: %s %s: %d %s", e.Method, e.Path, e.StatusCode, msg)
}

// Is reports whether target is the sentinel for e's status code.
func (e *Error) Is(target error) bool {
	return target != nil && statusSentinel(e.StatusCode) == target
}

func statusSentinel(code int) error {
	switch code {
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusConflict:
		return ErrConflict
	case http.StatusBadRequest:
		return ErrInvalidArgument
	case http.StatusUnauthorized:
		return ErrUnauthorized
	case http.StatusForbidden:
		return ErrForbidden
	case http.StatusNotModified:
		return ErrNotModified
	case http.StatusServiceUnavailable:
		return ErrUnavailable
	case http.StatusNotImplemented:
		return ErrNotImplemented
	}
	return nil
}

// StreamError is an error the Engine reported inside a 200 response stream
// (pull, push, build, load, plugin progress): by then the status line has long
// been sent, so the failure arrives as an {"error": ..., "errorDetail": ...}
// message. Iterators yield it as their error; it is never a field to inspect.
type StreamError struct {
	Code    int    // errorDetail.code, often 0
	Message string // the error text
}

func (e *StreamError) Error() string {
	return "docker: stream: " + e.Message
}

// Is matches the sentinel of the status in errorDetail.code, when the
// daemon set one (a registry's 401 during a pull, say); many stream errors
// carry no code and match nothing.
func (e *StreamError) Is(target error) bool {
	return target != nil && e.Code != 0 && statusSentinel(e.Code) == target
}

// versionError is returned before sending a request the negotiated version
// cannot express.
type versionError struct {
	what, need, have string
}

func (e *versionError) Error() string {
	return fmt.Sprintf("docker: %s needs API version %s, but the client uses %s", e.what, e.need, e.have)
}

func (e *versionError) Unwrap() error { return ErrVersion }
