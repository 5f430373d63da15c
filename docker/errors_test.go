package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestStatusToSentinel(t *testing.T) {
	t.Parallel()
	all := []error{ErrNotFound, ErrConflict, ErrInvalidArgument, ErrUnauthorized, ErrForbidden, ErrNotModified, ErrUnavailable, ErrNotImplemented, ErrInternal}
	for _, tc := range []struct {
		status int
		want   error
	}{
		{404, ErrNotFound}, {409, ErrConflict}, {400, ErrInvalidArgument}, {401, ErrUnauthorized},
		{403, ErrForbidden}, {304, ErrNotModified}, {503, ErrUnavailable}, {501, ErrNotImplemented}, {500, ErrInternal}, {502, nil},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			t.Parallel()
			f := newFake(t, "1.41")
			f.mux.HandleFunc("/v1.41/containers/x/json", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(`{"message":"No such container: x"}`))
			})
			c := f.client(t)
			_, err := c.Do(t.Context(), &Request{Path: "/containers/x/json"})
			if tc.status == 304 {
				// Do passes statuses below 400 through; methods decide.
				if err != nil {
					t.Fatalf("304: err = %v", err)
				}
				return
			}
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("err = %T %v, want *Error", err, err)
			}
			want := &Error{StatusCode: tc.status, Message: "No such container: x", Method: "GET", Path: "/containers/x/json"}
			if d := cmp.Diff(want, de); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
			for _, s := range all {
				if got := errors.Is(err, s); got != (s == tc.want) {
					t.Errorf("errors.Is(err, %v) = %v", s, got)
				}
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	e := &Error{StatusCode: 404, Message: "No such container: x", Method: "GET", Path: "/containers/x/json"}
	if got, want := e.Error(), "docker: GET /containers/x/json: 404 No such container: x"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestErrorPathUnescaped checks that an error reads with the path as the
// caller wrote it, while the request itself kept the escapes (so that a name
// with a slash stays one path segment).
func TestErrorPathUnescaped(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	sent := make(chan string, 1)
	f.mux.HandleFunc("/v1.41/images/", func(w http.ResponseWriter, r *http.Request) {
		sent <- r.URL.EscapedPath()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		_, _ = w.Write([]byte(`{"message":"No such image: newuser/does-not-exist:1"}`))
	})
	_, err := f.client(t).Do(t.Context(), &Request{Path: "/images/newuser%2Fdoes-not-exist:1/json"})
	if got, want := fmt.Sprint(err), "docker: GET /images/newuser/does-not-exist:1/json: 404 No such image: newuser/does-not-exist:1"; got != want {
		t.Errorf("error:\n got %s\nwant %s", got, want)
	}
	if got, want := <-sent, "/v1.41/images/newuser%2Fdoes-not-exist:1/json"; got != want {
		t.Errorf("sent path %s, want %s", got, want)
	}
	var de *Error
	if errors.As(err, &de) && de.Path != "/images/newuser%2Fdoes-not-exist:1/json" {
		t.Errorf("Path = %s, want the path as sent", de.Path)
	}
	// Errors made before an answer read the same way.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = f.client(t, WithAPIVersion("1.41")).Do(ctx, &Request{Path: "/images/newuser%2Fdoes-not-exist:1/json"})
	if got, want := fmt.Sprint(err), "docker: GET /images/newuser/does-not-exist:1/json: context canceled"; got != want {
		t.Errorf("error:\n got %s\nwant %s", got, want)
	}
	// A path that is not validly escaped is shown as it is.
	bad := &Error{StatusCode: 404, Method: "GET", Path: "/images/100%/json"}
	if got, want := bad.Error(), "docker: GET /images/100%/json: 404 Not Found"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestHTMLErrorBodyIsQuotedShort(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	page := "<html><head><title>502 Bad Gateway</title></head><body>" + strings.Repeat("x", 100<<10) + "</body></html>"
	f.mux.HandleFunc("/v1.41/info", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		_, _ = w.Write([]byte(page))
	})
	_, err := f.client(t).Info(t.Context())
	var de *Error
	if !errors.As(err, &de) || de.StatusCode != 500 {
		t.Fatalf("err = %v, want *Error 500", err)
	}
	if !strings.HasPrefix(de.Message, "<html><head><title>502 Bad Gateway") || len(de.Message) > 200 {
		t.Errorf("message = %q (len %d), want a short prefix of the page", de.Message, len(de.Message))
	}
}

func TestNonJSONBodyIsAnError(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/version", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html>proxy login</html>"))
	})
	_, err := f.client(t).Version(t.Context())
	if err == nil || !strings.Contains(err.Error(), "<html>proxy login") {
		t.Fatalf("err = %v, want one quoting the body", err)
	}
	var de *Error
	if errors.As(err, &de) {
		t.Errorf("a decoding failure must not pose as a daemon *Error: %v", err)
	}
}

func TestUnknownFieldsIgnored(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/version", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"Version":"99.0","FutureField":{"x":[1,2]},"ApiVersion":"1.41"}`))
	})
	v, err := f.client(t).Version(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if v.Version != "99.0" || v.APIVersion != "1.41" {
		t.Errorf("version = %+v", v)
	}
}

func TestDaemonMissingHint(t *testing.T) {
	t.Parallel()
	sock := t.TempDir() + "/nothing.sock"
	c, err := New(WithHost("unix://" + sock))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Ping(t.Context())
	var ue *DaemonUnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %T %v, want *DaemonUnreachableError", err, err)
	}
	for _, want := range []string{sock, "DOCKER_HOST", "DOCKER_CONTEXT", "WithHost"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(err, fs.ErrNotExist) = false for %v", err)
	}
}

func TestStreamErrorSentinels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  *StreamError
		want error
	}{
		{&StreamError{Code: 401, Message: "unauthorized: authentication required"}, ErrUnauthorized},
		{&StreamError{Code: 404, Message: "manifest unknown"}, ErrNotFound},
		{&StreamError{Message: "no basic auth credentials"}, ErrUnauthorized},
		{&StreamError{Message: "unauthorized: authentication required"}, ErrUnauthorized},
		{&StreamError{Message: "An image does not exist locally with the tag: x"}, nil},
	} {
		for _, s := range []error{ErrUnauthorized, ErrNotFound, ErrConflict, ErrInternal} {
			if got := errors.Is(tc.err, s); got != (s == tc.want) {
				t.Errorf("errors.Is(%v, %v) = %v", tc.err, s, got)
			}
		}
	}
}

// TestRegistryAuthRefusal checks the forms in which daemons relay a
// registry's refusal of credentials: each matches ErrUnauthorized, a 500
// still matches ErrInternal, and other failures match neither sentinel of
// authentication. The messages are the daemons' own (Engine 20.10 as
// integration/registry_auth_test.go sees it, later Engines and Podman from
// their sources); no credential is ever part of them.
func TestRegistryAuthRefusal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		auth bool
	}{
		{"login wrong password", &Error{StatusCode: 500, Method: "POST", Path: "/auth",
			Message: "login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized"}, true},
		{"login no credentials", &Error{StatusCode: 500, Method: "POST", Path: "/auth",
			Message: `Get "http://127.0.0.1:5000/v2/": no basic auth credentials`}, true},
		{"login podman", &Error{StatusCode: 500, Method: "POST", Path: "/auth",
			Message: "login attempt to 127.0.0.1:5000 failed with status: 401 Unauthorized"}, true},
		{"login token registry", &Error{StatusCode: 401, Method: "POST", Path: "/auth",
			Message: "Get \"https://registry-1.docker.io/v2/\": unauthorized: incorrect username or password"}, true},
		{"pull wrong password", &Error{StatusCode: 500, Method: "POST", Path: "/images/create",
			Message: "unauthorized: authentication required"}, true},
		{"pull no credentials", &Error{StatusCode: 500, Method: "POST", Path: "/images/create",
			Message: `Head "http://127.0.0.1:5000/v2/app/manifests/1": no basic auth credentials`}, true},
		{"pull containerd store", &Error{StatusCode: 500, Method: "POST", Path: "/images/create",
			Message: `failed to resolve reference "127.0.0.1:5000/app:1": unexpected status from HEAD request to http://127.0.0.1:5000/v2/app/manifests/1: 401 Unauthorized`}, true},
		{"push wrong password", &StreamError{Message: "unauthorized: authentication required"}, true},
		{"push no credentials", &StreamError{Message: "no basic auth credentials"}, true},
		{"other 500", &Error{StatusCode: 500, Method: "POST", Path: "/containers/x/start",
			Message: "OCI runtime create failed: unable to start container process"}, false},
		{"login unreachable", &Error{StatusCode: 500, Method: "POST", Path: "/auth",
			Message: `Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused`}, false},
		{"auth words in a 404", &Error{StatusCode: 404, Method: "GET", Path: "/images/x/json",
			Message: "No such image: unauthorized: x"}, false},
		{"other stream error", &StreamError{Message: "manifest unknown: manifest unknown"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := errors.Is(tc.err, ErrUnauthorized); got != tc.auth {
				t.Errorf("errors.Is(%v, ErrUnauthorized) = %v, want %v", tc.err, got, tc.auth)
			}
			var de *Error
			if errors.As(tc.err, &de) {
				if got, want := errors.Is(tc.err, ErrInternal), de.StatusCode == 500; got != want {
					t.Errorf("errors.Is(%v, ErrInternal) = %v, want %v", tc.err, got, want)
				}
			}
			if errors.Is(fmt.Errorf("pull: %w", tc.err), ErrUnauthorized) != tc.auth {
				t.Errorf("wrapped: the match is lost")
			}
		})
	}
}

// TestStreamCancelNamesTheCall checks that a streamed response cut by its
// context ends with an error that names the call and matches the context's
// error, while other streams end as they did.
func TestStreamCancelNamesTheCall(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/containers/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		_, _ = w.Write([]byte("first"))
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	})
	c := f.client(t)
	for _, tc := range []struct {
		name   string
		cancel func(context.CancelFunc)
		want   string
		is     error
	}{
		{"cancelled", func(cancel context.CancelFunc) { cancel() }, "docker: GET /containers/web/logs: context canceled", context.Canceled},
		{"deadline", nil, "docker: GET /containers/web/logs: context deadline exceeded", context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			req := &Request{Path: "/containers/web/logs", Stream: true}
			resp, err := c.Do(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			req.Path = "/reused" // the caller's Request is not read again
			buf := make([]byte, 5)
			if _, err := io.ReadFull(resp.Body, buf); err != nil {
				t.Fatal(err)
			}
			if tc.cancel != nil {
				tc.cancel(cancel)
			}
			_, err = io.ReadAll(resp.Body)
			if !errors.Is(err, tc.is) || fmt.Sprint(err) != tc.want {
				t.Errorf("read after the end: %v, want %q matching %v", err, tc.want, tc.is)
			}
		})
	}
}
