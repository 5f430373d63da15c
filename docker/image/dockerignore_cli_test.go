package image

import (
	"archive/tar"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/nettest"
)

// TestDockerignoreMatchesCLI runs the docker CLI (legacy builder) against a
// fake daemon for every case of ignoreCases and checks that it sends exactly
// the entries ContextFromDir sends. It needs the docker CLI on PATH and
// BERTH_CLI_CROSSCHECK=1; the table's expectations are checked without it by
// TestIgnoreCases.
func TestDockerignoreMatchesCLI(t *testing.T) {
	if os.Getenv("BERTH_CLI_CROSSCHECK") != "1" {
		t.Skip("set BERTH_CLI_CROSSCHECK=1 to compare with the docker CLI")
	}
	docker, err := exec.LookPath("docker")
	if err != nil {
		t.Skip("no docker CLI on PATH")
	}
	for _, tc := range ignoreCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := makeCaseDir(t, tc)
			cli := cliContext(t, docker, dir, tc.dockerfile)
			ours := ourContext(t, dir, tc.dockerfile)
			if diff := cmp.Diff(cli, ours); diff != "" {
				t.Errorf("entries differ (-cli +berth):\n%s", diff)
			}
		})
	}
}

// cliContext returns the tar entries the docker CLI sends for dir.
func cliContext(t *testing.T, docker, dir, dockerfile string) []string {
	t.Helper()
	l, err := nettest.NewLocalListener("unix")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []string, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", "1.41")
		if !strings.HasSuffix(r.URL.Path, "/build") {
			return
		}
		names, err := tarNames(r.Body)
		if err != nil {
			t.Errorf("reading the CLI's context: %v", err)
		}
		got <- names
		_, _ = io.WriteString(w, `{"aux":{"ID":"sha256:`+hex64+`"}}`+"\n")
	}))
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	defer srv.Close()
	args := []string{"-H", "unix://" + l.Addr().String(), "build", "-q"}
	if dockerfile != "" {
		args = append(args, "-f", filepath.Join(dir, dockerfile))
	}
	cmd := exec.CommandContext(t.Context(), docker, append(args, dir)...)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0", "DOCKER_CONFIG="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	select {
	case names := <-got:
		return names
	case <-time.After(10 * time.Second):
		t.Fatal("the CLI sent no build")
		return nil
	}
}

func ourContext(t *testing.T, dir, dockerfile string) []string {
	t.Helper()
	var opts []ContextOption
	if dockerfile != "" {
		opts = append(opts, Dockerfile(dockerfile))
	}
	rc, err := ContextFromDir(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	names, err := tarNames(rc)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// tarNames lists the entries of a tar stream, sorted.
func tarNames(r io.Reader) ([]string, error) {
	tr := tar.NewReader(r)
	var names []string
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			slices.Sort(names)
			return names, nil
		}
		if err != nil {
			return names, err
		}
		names = append(names, h.Name)
	}
}

// makeCaseDir creates the context of tc in a temporary directory.
func makeCaseDir(t *testing.T, tc ignoreCase) string {
	t.Helper()
	dir := t.TempDir()
	df := tc.dockerfile
	if df == "" {
		df = "Dockerfile"
	}
	files := append(append([]string{df}, tc.included...), tc.excluded...)
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte(tc.ignore), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
