package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker/registry"
)

// imgFake is a daemon stand-in for the image commands: it answers each
// "METHOD /path" (escaped, without the version prefix) with a canned body
// and records what it received, with the names in a build context.
type imgFake struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []string // "METHOD /path?query [X-Registry-Auth user] body"
}

func newImgFake(t *testing.T) *imgFake {
	t.Helper()
	created := time.Now().Add(-3 * time.Hour).Unix()
	replies := map[string]string{
		"GET /images/json": `[{"Id":"sha256:0123456789abcdef0123456789abcdef","RepoTags":["app:1","registry.local:5000/app:1"],
			"RepoDigests":["registry.local:5000/app@sha256:feed"],"Created":` + itoa(created) + `,"Size":2350000},
			{"Id":"sha256:fedcba9876543210fedc","RepoTags":[],"RepoDigests":[],"Created":` + itoa(created) + `,"Size":512}]`,
		"POST /images/create":                          `{"status":"Pulling from library/app","id":"1"}` + "\n" + `{"status":"Status: Downloaded newer image for app:1"}`,
		"POST /images/docker.io%2Flibrary%2Fapp/push":  `{"status":"Pushed","progressDetail":{},"id":"abc"}` + "\n" + `{"aux":{"Tag":"1","Digest":"sha256:feed","Size":1}}`,
		"POST /images/docker.io%2Flibrary%2Fnope/push": `{"errorDetail":{"message":"unauthorized: authentication required"},"error":"x"}`,
		"POST /build":            `{"stream":"Step 1/1 : FROM scratch\n"}` + "\n" + `{"aux":{"ID":"sha256:beef"}}`,
		"POST /images/app:1/tag": ``,
		"DELETE /images/app:1":   `[{"Untagged":"app:1"},{"Deleted":"sha256:0123"}]`,
		"GET /images/app:1/get":  `TARDATA1`,
		"GET /images/get":        `TARDATA2`,
		"POST /images/load":      `{"stream":"Loaded image: app:1\n"}`,
		"POST /auth":             `{"Status":"Login Succeeded"}`,
	}
	f := &imgFake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_ping" {
			w.Header().Set("API-Version", "1.41")
			return
		}
		path := strings.TrimPrefix(r.URL.EscapedPath(), "/v1.41")
		line := r.Method + " " + path
		if r.URL.RawQuery != "" {
			line += "?" + r.URL.RawQuery
		}
		if h := r.Header.Get("X-Registry-Auth"); h != "" {
			a, _ := registry.DecodeAuth(h)
			line += " [auth " + a.Username + "]"
		}
		if path == "/build" {
			var names []string
			tr := tar.NewReader(r.Body)
			for {
				h, err := tr.Next()
				if err != nil {
					break
				}
				names = append(names, h.Name)
			}
			line += " " + strings.Join(names, ",")
		} else if body, _ := io.ReadAll(r.Body); len(body) > 0 {
			line += " " + strings.TrimSpace(string(body))
		}
		f.mu.Lock()
		f.got = append(f.got, line)
		f.mu.Unlock()
		reply, ok := replies[r.Method+" "+path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message":"no such image in the fake"}`)
			return
		}
		if r.Method == "POST" && strings.HasSuffix(path, "/tag") {
			w.WriteHeader(http.StatusCreated)
		}
		_, _ = io.WriteString(w, reply)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func (f *imgFake) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

func TestImageCommands(t *testing.T) {
	// The commands read credentials from $DOCKER_CONFIG.
	cfgDir := t.TempDir()
	t.Setenv("DOCKER_CONFIG", cfgDir)
	if err := os.WriteFile(filepath.Join(cfgDir, "config.json"),
		[]byte(`{"auths":{"https://index.docker.io/v1/":{"auth":"aHViOnNlY3JldA=="}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	buildDir := t.TempDir()
	for name, data := range map[string]string{"Dockerfile": "FROM scratch\n", ".dockerignore": "*.log\n", "a.txt": "a", "b.log": "b"} {
		if err := os.WriteFile(filepath.Join(buildDir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	saved := filepath.Join(t.TempDir(), "out.tar")
	for _, tc := range []struct {
		args     []string
		stdin    string
		wantOut  []string
		wantSent string
		wantErr  string
	}{
		{args: []string{"images"}, wantOut: []string{"REPOSITORY", "app", "registry.local:5000/app", "0123456789ab", "3 hours ago", "2.35MB", "<none>", "512B"},
			wantSent: "GET /images/json"},
		{args: []string{"images", "-q", "-a"}, wantOut: []string{"0123456789ab\nfedcba987654\n"}, wantSent: "GET /images/json?all=1"},
		{args: []string{"images", "--digests", "--filter", "dangling=false", "app"}, wantOut: []string{"DIGEST", "sha256:feed"},
			wantSent: "GET /images/json?digests=1&filters=%7B%22dangling%22%3A%5B%22false%22%5D%2C%22reference%22%3A%5B%22app%22%5D%7D"},
		{args: []string{"pull", "--platform", "linux/arm64", "app:1"}, wantOut: []string{"1: Pulling from library/app", "Downloaded newer image"},
			wantSent: "POST /images/create?fromImage=docker.io%2Flibrary%2Fapp&platform=linux%2Farm64&tag=1 [auth hub]"},
		{args: []string{"pull", "Bad/Ref"}, wantErr: "must be lowercase"},
		{args: []string{"push", "app:1"}, wantOut: []string{"abc: Pushed"}, wantSent: "POST /images/docker.io%2Flibrary%2Fapp/push?tag=1 [auth hub]"},
		{args: []string{"push", "nope"}, wantErr: "unauthorized: authentication required"},
		{args: []string{"build", "-t", "app:1", "-t", "app:2", "--build-arg", "A=1", "--label", "k=v", "--no-cache", buildDir},
			wantOut:  []string{"Step 1/1 : FROM scratch"},
			wantSent: `POST /build?buildargs=%7B%22A%22%3A%221%22%7D&labels=%7B%22k%22%3A%22v%22%7D&nocache=1&t=app%3A1&t=app%3A2 .dockerignore,Dockerfile,a.txt`},
		{args: []string{"build", "-q", buildDir}, wantOut: []string{"sha256:beef\n"}},
		{args: []string{"build", "--label", "novalue", buildDir}, wantErr: "want KEY=VALUE"},
		{args: []string{"build", t.TempDir()}, wantErr: "cannot locate the Dockerfile"},
		{args: []string{"tag", "app:1", "registry.local:5000/app:2"}, wantSent: "POST /images/app:1/tag?repo=registry.local%3A5000%2Fapp&tag=2"},
		{args: []string{"tag", "app:1"}, wantErr: "a source image and a target"},
		{args: []string{"rmi", "-f", "app:1"}, wantOut: []string{"Untagged: app:1\nDeleted: sha256:0123\n"}, wantSent: "DELETE /images/app:1?force=1"},
		{args: []string{"rmi", "app:1", "ghost"}, wantOut: []string{"Untagged: app:1"}, wantErr: "no such image in the fake"},
		{args: []string{"save", "app:1"}, wantOut: []string{"TARDATA1"}, wantSent: "GET /images/app:1/get"},
		{args: []string{"save", "-o", saved, "app:1", "app:2"}, wantSent: "GET /images/get?names=app%3A1&names=app%3A2"},
		{args: []string{"load"}, stdin: "archive", wantOut: []string{"Loaded image: app:1"}, wantSent: "POST /images/load?quiet=0 archive"},
		{args: []string{"load", "-q", "-i", saved}, wantOut: []string{"Loaded image: app:1"}, wantSent: "POST /images/load?quiet=1 TARDATA2"},
		{args: []string{"login", "-u", "me", "--password-stdin", "--no-store", "registry.local:5000"}, stdin: "pw\n", wantOut: []string{"Login Succeeded"},
			wantSent: `POST /auth {"username":"me","password":"pw","serveraddress":"registry.local:5000"}`},
		{args: []string{"login", "-u", "me"}, wantErr: "--password-stdin or -p"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			f := newImgFake(t)
			var out, errOut bytes.Buffer
			err := run(t.Context(), append([]string{"--host", f.srv.URL}, tc.args...), strings.NewReader(tc.stdin), &out, &errOut)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatalf("err = %v; stderr %s", err, errOut.String())
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			if tc.wantSent != "" {
				if sent := f.requests(); len(sent) == 0 || sent[0] != tc.wantSent {
					t.Errorf("sent %q\nwant  %q", sent, tc.wantSent)
				}
			}
		})
	}
	if b, err := os.ReadFile(saved); err != nil || string(b) != "TARDATA2" {
		t.Errorf("save -o wrote %q, %v", b, err)
	}
}

func TestLoginStores(t *testing.T) {
	cfgDir := t.TempDir()
	t.Setenv("DOCKER_CONFIG", cfgDir)
	path := filepath.Join(cfgDir, "config.json")
	if err := os.WriteFile(path, []byte(`{"auths":{"other:5000":{"auth":"eDp5"}},"psFormat":"table {{.ID}}"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	f := newImgFake(t)
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"--host", f.srv.URL, "login", "-u", "me", "--password-stdin", "https://registry.local:5000/v2/"},
		strings.NewReader("s3cret\n"), &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String()+errOut.String(), "s3cret") {
		t.Errorf("the password was printed: %s %s", out.String(), errOut.String())
	}
	store, err := registry.NewStore(cfgDir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.Get(t.Context(), "registry.local:5000")
	if err != nil || got.Username != "me" || got.Password != "s3cret" {
		t.Errorf("stored %v, %v", got, err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"psFormat"`) || !strings.Contains(string(b), `"other:5000"`) {
		t.Errorf("other settings were lost:\n%s", b)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, %v", st.Mode(), err)
	}
	// A credential store configured: berth does not store.
	if err := os.WriteFile(path, []byte(`{"credsStore":"desktop"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err = run(t.Context(), []string{"--host", f.srv.URL, "login", "-u", "me", "-p", "x", "registry.local:5000"}, strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "credential helper") {
		t.Errorf("err = %v", err)
	}
	// A corrupt config.json is reported, without its content.
	if err := os.WriteFile(path, []byte(`{"auths": {"x": {"auth": "c2VjcmV0"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err = run(t.Context(), []string{"--host", f.srv.URL, "pull", "app:1"}, strings.NewReader(""), &out, &errOut)
	if err == nil || strings.Contains(err.Error(), "c2VjcmV0") {
		t.Errorf("pull with a corrupt config: %v", err)
	}
}
