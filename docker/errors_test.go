package docker

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStatusToSentinel(t *testing.T) {
	t.Parallel()
	all := []error{ErrNotFound, ErrConflict, ErrInvalidArgument, ErrUnauthorized, ErrForbidden, ErrNotModified, ErrUnavailable, ErrNotImplemented}
	for _, tc := range []struct {
		status int
		want   error
	}{
		{404, ErrNotFound}, {409, ErrConflict}, {400, ErrInvalidArgument}, {401, ErrUnauthorized},
		{403, ErrForbidden}, {304, ErrNotModified}, {503, ErrUnavailable}, {501, ErrNotImplemented}, {500, nil},
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
		{&StreamError{Message: "no basic auth credentials"}, nil},
	} {
		for _, s := range []error{ErrUnauthorized, ErrNotFound, ErrConflict} {
			if got := errors.Is(tc.err, s); got != (s == tc.want) {
				t.Errorf("errors.Is(%v, %v) = %v", tc.err, s, got)
			}
		}
	}
}
