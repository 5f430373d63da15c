package testenv

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

var testImage struct {
	once sync.Once
	ref  string
	id   string
	err  error
}

// ImageRef is the tag of this run's test image.
func ImageRef() string { return "berth-test:" + RunID }

// Image builds the test image once per test binary (a FROM scratch image
// whose entrypoint is testdata/testimage compiled statically) through
// berth's own POST /build, and returns its tag. It fails the test when the
// build fails.
func Image(t testing.TB) string {
	t.Helper()
	cli := Client(t)
	testImage.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		testImage.id, testImage.err = buildTestImage(ctx, cli, ImageRef())
		testImage.ref = ImageRef()
	})
	if testImage.err != nil {
		t.Fatalf("building the test image: %v", testImage.err)
	}
	return testImage.ref
}

// RepoRoot returns the module's root directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..") // from internal/testing/testenv
}

// BuildTestBinary compiles testdata/testimage for linux into dir and returns
// the binary's path.
func BuildTestBinary(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "berth-test")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./testdata/testimage")
	cmd.Dir = RepoRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./testdata/testimage: %v\n%s", err, b)
	}
	return out, nil
}

func buildTestImage(ctx context.Context, cli *docker.Client, ref string) (string, error) {
	dir, err := os.MkdirTemp("", "berth-testimage-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	bin, err := BuildTestBinary(ctx, dir)
	if err != nil {
		return "", err
	}
	dockerfile, err := os.ReadFile(filepath.Join(RepoRoot(), "testdata", "testimage", "Dockerfile"))
	if err != nil {
		return "", err
	}
	pr, pw := io.Pipe()
	go func() { // ends when the tar is written or the request stops reading
		pw.CloseWithError(writeContext(pw, dockerfile, bin))
	}()
	defer pr.Close()

	var q httpx.Query
	q.Set("t", ref)
	q.Flag("rm", true)
	q.Flag("forcerm", true)
	if err := q.JSON("labels", map[string]string{LabelRun: RunID}); err != nil {
		return "", err
	}
	req := &docker.Request{
		Method: http.MethodPost,
		Path:   "/build",
		Query:  q.Values(),
		Header: http.Header{"Content-Type": {"application/x-tar"}},
		Body:   pr,
	}
	var id string
	for p, err := range docker.StreamProgress(ctx, cli, req) {
		if err != nil {
			return "", err
		}
		if len(p.Aux) > 0 {
			var aux struct{ ID string }
			if docker.DecodeAux(p.Aux, &aux) == nil && aux.ID != "" {
				id = aux.ID
			}
		}
	}
	return id, nil
}

// writeContext writes a build context holding the Dockerfile and the binary.
func writeContext(w io.Writer, dockerfile []byte, bin string) error {
	tw := tar.NewWriter(w)
	if err := tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(dockerfile))}); err != nil {
		return err
	}
	if _, err := tw.Write(dockerfile); err != nil {
		return err
	}
	f, err := os.Open(bin)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: "berth-test", Mode: 0o755, Size: st.Size()}); err != nil {
		return err
	}
	if _, err := io.Copy(tw, f); err != nil {
		return err
	}
	return tw.Close()
}
