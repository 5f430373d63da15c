package image

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/stream"
)

func TestSave(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		version string
		run     func(*Service) (io.ReadCloser, error)
		path    string
		query   url.Values
	}{
		{"one", "1.41", func(s *Service) (io.ReadCloser, error) { return s.Save(t.Context(), "registry.local:5000/app:1") },
			"/images/registry.local:5000%2Fapp:1/get", url.Values{}},
		{"one platform", "1.48", func(s *Service) (io.ReadCloser, error) { return s.Save(t.Context(), "app", Platform("linux/arm/v5")) },
			"/images/app/get", url.Values{"platform": {`{"architecture":"arm","os":"linux","variant":"v5"}`}}},
		{"many", "1.41", func(s *Service) (io.ReadCloser, error) {
			return s.SaveMany(t.Context(), []string{"a:1", "sha256:" + hex64})
		},
			"/images/get", url.Values{"names": {"a:1", "sha256:" + hex64}}},
		{"many platforms", "1.52", func(s *Service) (io.ReadCloser, error) {
			return s.SaveMany(t.Context(), []string{"a"}, Platform("linux/amd64"), Platform("linux/arm64"))
		}, "/images/get", url.Values{"names": {"a"}, "platform": {`{"architecture":"amd64","os":"linux"}`, `{"architecture":"arm64","os":"linux"}`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.version, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/x-tar")
				_, _ = io.WriteString(w, "tar bytes")
			})
			rc, err := tt.run(f.svc)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			if cerr := rc.Close(); err == nil {
				err = cerr
			}
			if err != nil || string(b) != "tar bytes" {
				t.Errorf("read %q, %v", b, err)
			}
			r := f.last(t)
			if r.Method != "GET" || r.Path != tt.path {
				t.Errorf("request = %s %s, want GET %s", r.Method, r.Path, tt.path)
			}
			if diff := cmp.Diff(tt.query, r.Query); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
		})
	}
	f := setup(t, "1.41", nil)
	if _, err := f.svc.SaveMany(t.Context(), nil); err == nil {
		t.Error("SaveMany without names succeeded")
	}
	if _, err := f.svc.SaveMany(t.Context(), []string{"a", ""}); err == nil {
		t.Error("SaveMany with an empty name succeeded")
	}
}

// TestSaveStreams checks that Save's reader streams: a 64 MiB archive is
// read without the client buffering it.
func TestSaveStreams(t *testing.T) {
	t.Parallel()
	const size = 64 << 20
	f := setup(t, "1.41", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(w, io.LimitReader(zeros{}, size))
	})
	rc, err := f.svc.Save(t.Context(), "big")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	if err != nil || n != size {
		t.Errorf("read %d bytes, %v", n, err)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(strings.Split(strings.TrimSpace(readFile(t, "load.jsonl")), "\n")...))
	var out bytes.Buffer
	loaded, err := f.svc.LoadAndWait(t.Context(), strings.NewReader("archive"), stream.NewRenderer(&out, false))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"berth-golden:1"}, loaded); diff != "" {
		t.Errorf("loaded mismatch (-want +got):\n%s", diff)
	}
	if out.String() != "Loaded image: berth-golden:1\n" {
		t.Errorf("rendered %q", out.String())
	}
	r := f.last(t)
	if r.Method != "POST" || r.Path != "/images/load" || r.Body != "archive" {
		t.Errorf("request = %s %s %q", r.Method, r.Path, r.Body)
	}
	if diff := cmp.Diff(url.Values{"quiet": {"0"}}, r.Query); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-tar" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestLoadOptions(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.48", lines(`{"stream":"Loaded image ID: sha256:`+hex64+`\n"}`))
	loaded, err := f.svc.LoadAndWait(t.Context(), strings.NewReader("x"), nil, Quiet(), Platform("linux/amd64"))
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) != 1 || loaded[0] != "sha256:"+hex64 {
		t.Errorf("loaded = %q", loaded)
	}
	want := url.Values{"quiet": {"1"}, "platform": {`{"architecture":"amd64","os":"linux"}`}}
	if diff := cmp.Diff(want, f.last(t).Query); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
	// Podman 4.3 names every image of the archive in one line.
	g := setup(t, "1.41", lines(`{"stream":"Loaded image: docker.io/library/a:1,docker.io/berth/b:2\n"}`))
	loaded, err = g.svc.LoadAndWait(t.Context(), strings.NewReader("x"), nil)
	if diff := cmp.Diff([]string{"docker.io/library/a:1", "docker.io/berth/b:2"}, loaded); diff != "" || err != nil {
		t.Errorf("Podman's load (-want +got), %v:\n%s", err, diff)
	}
	if err := first(f.svc.Load(t.Context(), nil)); err == nil {
		t.Error("a nil archive was accepted")
	}
}

func TestLoadBrokenArchive(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(`{"errorDetail":{"message":"Error processing tar file(exit status 1): unexpected EOF"},"error":"x"}`))
	_, err := f.svc.LoadAndWait(t.Context(), strings.NewReader("garbage"), nil)
	var se *docker.StreamError
	if !errors.As(err, &se) || !strings.Contains(se.Message, "unexpected EOF") {
		t.Errorf("error = %v", err)
	}
}

func TestImport(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(strings.Split(strings.TrimSpace(readFile(t, "import.jsonl")), "\n")...))
	id, err := f.svc.ImportAndWait(t.Context(), strings.NewReader("rootfs"), nil,
		Repo("registry.local:5000/app:1.4"), Message("imported"), Changes("ENV A=1", `CMD ["/f"]`), Changes("USER 1000"), Platform("linux/amd64"))
	if err != nil {
		t.Fatal(err)
	}
	if id != "sha256:7d3da5126d8519e32d6dcd9c0cc71d89e5e6278a76aeceb513998259c06e7270" {
		t.Errorf("id = %q", id)
	}
	r := f.last(t)
	want := url.Values{
		"fromSrc":  {"-"},
		"repo":     {"registry.local:5000/app:1.4"},
		"message":  {"imported"},
		"changes":  {"ENV A=1", `CMD ["/f"]`, "USER 1000"},
		"platform": {"linux/amd64"},
	}
	if diff := cmp.Diff(want, r.Query); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
	if r.Method != "POST" || r.Path != "/images/create" || r.Body != "rootfs" || r.Header.Get("Content-Type") != "application/x-tar" {
		t.Errorf("request = %s %s %q %v", r.Method, r.Path, r.Body, r.Header)
	}
}

func TestImportFromURL(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", lines(`{"status":"Downloading","progressDetail":{"current":1,"total":2}}`, `{"status":"sha256:`+hex64+`"}`))
	got, err := collect(f.svc.ImportFromURL(t.Context(), "http://127.0.0.1:8080/rootfs.tar", Repo("app")))
	if err != nil || len(got) != 2 {
		t.Fatalf("progress = %v, %v", got, err)
	}
	r := f.last(t)
	want := url.Values{"fromSrc": {"http://127.0.0.1:8080/rootfs.tar"}, "repo": {"docker.io/library/app"}}
	if diff := cmp.Diff(want, r.Query); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
	if r.Body != "" || r.Header.Get("Content-Type") != "" {
		t.Errorf("body %q, headers %v", r.Body, r.Header)
	}
}

func TestImportLocalErrors(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", nil)
	for name, run := range map[string]func() error{
		"nil archive":  func() error { return first(f.svc.Import(t.Context(), nil)) },
		"dash URL":     func() error { return first(f.svc.ImportFromURL(t.Context(), "-")) },
		"bad repo":     func() error { return first(f.svc.Import(t.Context(), emptyReader{}, Repo("up/Per"))) },
		"digest repo":  func() error { return first(f.svc.Import(t.Context(), emptyReader{}, Repo("a@"+dgst))) },
		"bad platform": func() error { return first(f.svc.Import(t.Context(), emptyReader{}, Platform(""))) },
	} {
		if err := run(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	g := setup(t, "1.41", lines(`{"status":"done"}`))
	if _, err := g.svc.ImportAndWait(t.Context(), emptyReader{}, nil); err == nil {
		t.Error("ImportAndWait without an ID succeeded")
	}
}
