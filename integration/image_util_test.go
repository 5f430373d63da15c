package integration

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// imgs returns the image service of the test daemon.
func imgs(t *testing.T) *image.Service {
	t.Helper()
	return image.New(testenv.Client(t))
}

// imgRepo returns a repository name unique to this run, in the registry at
// addr when addr is not empty.
func imgRepo(addr, name string) string {
	repo := "berth/" + name + "-" + testenv.RunID
	if addr != "" {
		repo = addr + "/" + repo
	}
	return repo
}

// imgCleanup removes refs (tags or IDs) when the test ends, tolerating
// those already gone.
func imgCleanup(t *testing.T, refs ...string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, ref := range refs {
			if _, err := image.New(testenv.Client(t)).Remove(ctx, ref, image.Force()); err != nil && !errors.Is(err, docker.ErrNotFound) {
				t.Errorf("cleanup: remove image %s: %v", ref, err)
			}
		}
	})
}

// imgRun runs cmd in a container of img (no network, the run's labels),
// waits for it, removes it, and returns its exit code and output.
func imgRun(t *testing.T, img string, cmd ...string) (int64, string, string) {
	t.Helper()
	s := container.New(testenv.Client(t))
	ctx := testenv.Context(t, 2*time.Minute)
	created, err := s.Create(ctx, container.Config{Image: img, Cmd: cmd, Labels: testenv.Labels()},
		container.WithHostConfig(container.HostConfig{NetworkMode: "none"}))
	if err != nil {
		t.Fatalf("create a container of %s: %v", img, err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.Remove(ctx, created.ID, container.Force()); err != nil && !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("remove container: %v", err)
		}
	}()
	if err := s.Start(ctx, created.ID); err != nil {
		t.Fatalf("start: %v", err)
	}
	exit, err := s.Wait(ctx, created.ID)
	if err != nil {
		t.Fatalf("wait: %v", err)
	}
	logs, err := s.Logs(ctx, created.ID, container.Stdout(), container.Stderr())
	if err != nil {
		t.Fatalf("logs: %v", err)
	}
	defer logs.Close()
	var stdout, stderr bytes.Buffer
	if _, err := logs.Demux(&stdout, &stderr); err != nil {
		t.Fatalf("logs: %v", err)
	}
	return exit.StatusCode, stdout.String(), stderr.String()
}

// imgDockerConfig writes a docker CLI config.json into a new directory and
// returns the directory.
func imgDockerConfig(t *testing.T, config map[string]any) string {
	t.Helper()
	dir := t.TempDir()
	b, err := json.Marshal(config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// imgAuthsConfig is a config.json whose "auths" holds user:password for
// addr, as `docker login` writes it without a credential store.
func imgAuthsConfig(addr, user, password string) map[string]any {
	return map[string]any{"auths": map[string]any{
		addr: map[string]string{"auth": base64.StdEncoding.EncodeToString([]byte(user + ":" + password))},
	}}
}

// imgFakeHelper writes an executable docker-credential-NAME into a new
// directory, answering `get` with user and password and recording each
// server address it is asked for in the returned log file.
func imgFakeHelper(t *testing.T, name, user, password string) (binDir, log string) {
	t.Helper()
	binDir = t.TempDir()
	log = filepath.Join(binDir, "calls.log")
	script := fmt.Sprintf(`#!/bin/sh
case "$1" in
get)
	read -r server
	printf '%%s\n' "$server" >> %q
	printf '{"ServerURL":"%%s","Username":%q,"Secret":%q}\n' "$server"
	;;
*)
	echo "unsupported: $1" >&2
	exit 1
	;;
esac
`, log, user, password)
	if err := os.WriteFile(filepath.Join(binDir, "docker-credential-"+name), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return binDir, log
}

// imgTestContext writes a build context directory for the test image: the
// berth-test binary, a Dockerfile, files under data/ and a .dockerignore
// that excludes the big file and the logs but re-includes one of them.
func imgTestContext(t *testing.T, bigSize int64) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := testenv.BuildTestBinary(testenv.Context(t, 3*time.Minute), dir); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"Dockerfile": "FROM scratch\nCOPY berth-test /berth-test\nCOPY data /data\nENTRYPOINT [\"/berth-test\"]\nCMD [\"ls\", \"/data\"]\n",
		".dockerignore": "# the big file stays home\n" +
			"data/big.bin\n" +
			"data/*.log\n" +
			"data/logs\n" +
			"!data/logs/important.log\n" +
			"Dockerfile\n",
		"data/keep.txt":           "keep",
		"data/drop.log":           "drop",
		"data/sub/nested.txt":     "nested",
		"data/logs/debug.log":     "debug",
		"data/logs/important.log": "important",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	big, err := os.Create(filepath.Join(dir, "data", "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(bigSize); err != nil {
		t.Fatal(err)
	}
	big.Close()
	return dir
}

// imgLabels returns the run's labels plus extra ones.
func imgLabels(extra map[string]string) map[string]string {
	l := testenv.Labels()
	maps.Copy(l, extra)
	return l
}

// imgFiles parses the output of the test image's "ls": path -> "mode size".
func imgFiles(out string) map[string]string {
	files := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 {
			files[f[2]] = f[0] + " " + f[1]
		}
	}
	return files
}

// imgServeFile serves content on 127.0.0.1 for the test's duration and
// returns the server's URL.
func imgServeFile(t *testing.T, content *bytes.Reader) string {
	t.Helper()
	data := make([]byte, content.Size())
	if _, err := content.ReadAt(data, 0); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-tar")
		_, _ = w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// runtimeArch returns the daemon's architecture as images name it.
func runtimeArch(t *testing.T) string {
	t.Helper()
	v, err := testenv.Client(t).Version(testenv.Context(t, time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	return v.Arch
}

// imgTagged reports whether tags holds ref. Podman lists references
// qualified (podman-names): docker.io/[library/]NAME:TAG for a name
// without a domain, or localhost/NAME:TAG for an image built or tagged
// locally.
func imgTagged(t *testing.T, tags []string, ref string) bool {
	t.Helper()
	if slices.Contains(tags, ref) {
		return true
	}
	r, err := image.ParseReference(ref)
	return err == nil && testenv.ServerOf(t).Podman &&
		(slices.Contains(tags, r.Name()+":"+r.WithDefaultTag().Tag) || slices.Contains(tags, "localhost/"+ref))
}
