package docker

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Sentinel errors for errors.Is. A *Error matches the sentinel of its status
// code; local checks (ErrVersion) return errors that wrap the sentinel.
var (
	ErrNotFound        = errors.New("docker: not found")             // 404
	ErrConflict        = errors.New("docker: conflict")              // 409
	ErrInvalidArgument = errors.New("docker: invalid argument")      // 400
	ErrUnauthorized    = errors.New("docker: unauthorized")          // 401, and registry refusals relayed as 500 (see below)
	ErrForbidden       = errors.New("docker: forbidden")             // 403
	ErrNotModified     = errors.New("docker: not modified")          // 304
	ErrInternal        = errors.New("docker: internal server error") // 500
	ErrUnavailable     = errors.New("docker: unavailable")           // 503
	ErrNotImplemented  = errors.New("docker: not implemented")       // 501
	ErrVersion         = errors.New("docker: API version too old")   // the endpoint or parameter needs a newer API version
)

// Registry refusals. When a registry refuses the credentials of a login,
// pull or push, the daemon seldom answers 401: Engines answer 500, or end a
// push's 200 stream with an error message that has no code, and word it in
// the registry client's terms. A *Error with status 500, or a *StreamError
// without a code (or with 500), whose message has one of these forms
// matches ErrUnauthorized as well (a *Error still matches ErrInternal):
//
//   - "no basic auth credentials": no credentials were sent (the Engine's
//     registry client, 20.10 to 29: login, pull and push);
//   - "unauthorized: ...": the registry's UNAUTHORIZED error code as the
//     Engine and Podman relay it ("unauthorized: authentication required"
//     for a wrong password on pull and push, "unauthorized: incorrect
//     username or password" from Docker Hub);
//   - "401 Unauthorized": the registry's status line, as in the Engine's
//     and Podman's "login attempt to ... failed with status: 401
//     Unauthorized" and the containerd image store's "unexpected status
//     from HEAD request to ...: 401 Unauthorized".
//
// The forms are compared without regard to case. Other failures of the
// same calls (an unreachable registry, an unknown image) match neither
// sentinel of authentication. Daemons never put the credentials in these
// messages, and berth adds none.
const (
	refusalNoCredentials = "no basic auth credentials"
	refusalCode          = "unauthorized: "
	refusalStatus        = "401 unauthorized"
)

// registryRefusal reports whether msg is one of the forms in which a daemon
// relays a registry's refusal of credentials.
func registryRefusal(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, refusalNoCredentials) || strings.Contains(m, refusalCode) || strings.Contains(m, refusalStatus)
}

// Error is an error answer from the Engine: any response with a status of
// 400 or more (and 304 where a method documents it as an error).
type Error struct {
	StatusCode int    // the HTTP status code
	Message    string // the daemon's message, or a short prefix of a non-JSON body
	Method     string // the request method
	// Path is the request path without the version prefix, as sent: names
	// in it are escaped ("/images/me%2Fapp:1/json"). Error shows it
	// unescaped.
	Path string
}

// Error reads like "docker: GET /containers/x/json: 404 No such container: x",
// with the path unescaped as the caller wrote the names in it
// ("/images/me/app:1/json").
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("docker: %s %s: %d %s", e.Method, displayPath(e.Path), e.StatusCode, msg)
}

// displayPath is an escaped request path as error messages show it:
// unescaped, or as it is when it is not validly escaped.
func displayPath(p string) string {
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}

// Is reports whether target is the sentinel for e's status code. A 500
// that relays a registry's refusal of credentials (see ErrUnauthorized)
// also matches ErrUnauthorized.
func (e *Error) Is(target error) bool {
	if target == nil {
		return false
	}
	if statusSentinel(e.StatusCode) == target {
		return true
	}
	return target == ErrUnauthorized && e.StatusCode == http.StatusInternalServerError && registryRefusal(e.Message)
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
	case http.StatusInternalServerError:
		return ErrInternal
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
// daemon set one (a registry's 401 during a pull, say). Many stream errors
// carry no code; of those, a registry's refusal of credentials (see
// ErrUnauthorized) matches ErrUnauthorized, and the others match nothing.
func (e *StreamError) Is(target error) bool {
	if target == nil {
		return false
	}
	if e.Code != 0 && statusSentinel(e.Code) == target {
		return true
	}
	return target == ErrUnauthorized && (e.Code == 0 || e.Code == http.StatusInternalServerError) && registryRefusal(e.Message)
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
