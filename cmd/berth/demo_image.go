package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// imageProgramPackage is the program the tour's image runs on a daemon:
// the integration tests' static multi-tool (echo, cat, sleep, exit, ...),
// as the image may not be pulled and FROM scratch has no programs.
const imageProgramPackage = "github.com/berth-go/berth/testdata/testimage"

// imageProgram compiles imageProgramPackage for the daemon's platform,
// statically, and returns the binary. It needs the go command and berth's
// module, which `go run ./cmd/berth demo` has.
func (t *tour) imageProgram(ctx context.Context) ([]byte, error) {
	v, err := t.cli.Version(ctx)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "berth-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "berth-test")
	t.step("CGO_ENABLED=0 GOOS=%s GOARCH=%s go build -trimpath -ldflags=-s -o berth-test %s    # the image's program",
		v.Os, v.Arch, imageProgramPackage)
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s", "-o", out, imageProgramPackage)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+v.Os, "GOARCH="+v.Arch)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building the image's program (the tour of a daemon needs the go command, run in berth's module): %v\n%s", err, b)
	}
	bin, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(t.out, "berth-test: %.1f MB, static: the image's only program\n", float64(len(bin))/(1<<20))
	return bin, nil
}
