package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// footprintPrograms are the minimal programs under footprint/, each its own
// module, that ping the daemon and list its containers: one per library and
// one with the standard library only.
var footprintPrograms = []string{"berth", "moby", "docker", "fsouza", "stdlib"}

// footprint is what one program costs its users.
type footprint struct {
	binary int64 // bytes of the program built with -trimpath -ldflags='-s -w'
	graph  int   // lines of `go list -m all`: the module graph, the program's own module included
	linked int   // modules that provide a package linked into the program, its own included
}

var footprints sync.Map // program name -> *lazy[footprint]

// measureFootprint builds footprint/<name> and counts its modules, once per
// process.
func measureFootprint(tb testing.TB, name string) footprint {
	tb.Helper()
	l, _ := footprints.LoadOrStore(name, new(lazy[footprint]))
	fp, err := l.(*lazy[footprint]).get(func() (footprint, error) {
		var fp footprint
		dir := filepath.Join("footprint", name)
		out := filepath.Join(tb.TempDir(), name)
		if _, err := goCmd(dir, "build", "-trimpath", "-ldflags=-s -w", "-o", out, "."); err != nil {
			return fp, err
		}
		st, err := os.Stat(out)
		if err != nil {
			return fp, err
		}
		fp.binary = st.Size()
		all, err := goCmd(dir, "list", "-m", "all")
		if err != nil {
			return fp, err
		}
		fp.graph = bytes.Count(all, []byte("\n"))
		deps, err := goCmd(dir, "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", ".")
		if err != nil {
			return fp, err
		}
		seen := map[string]bool{}
		for _, m := range strings.Fields(string(deps)) {
			seen[m] = true
		}
		fp.linked = len(seen)
		return fp, nil
	})
	if err != nil {
		tb.Fatalf("footprint of %s: %v", name, err)
	}
	return fp
}

// goCmd runs the go command in dir, outside any workspace, and returns its
// standard output.
func goCmd(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, stderr.Bytes())
	}
	return out, nil
}

// BenchmarkFootprint reports what a minimal program that pings the daemon
// and lists its containers costs with each library: the size of its
// stripped binary, the modules in its graph (`go list -m all`) and the
// modules it links. Nothing is timed (ns/op is reported as 0); the numbers
// are measured once per process.
func BenchmarkFootprint(b *testing.B) {
	for _, name := range footprintPrograms {
		b.Run("client="+name, func(b *testing.B) {
			fp := measureFootprint(b, name)
			for b.Loop() {
			}
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(fp.binary), "binary-bytes")
			b.ReportMetric(float64(fp.graph), "modules")
			b.ReportMetric(float64(fp.linked), "linked-modules")
		})
	}
}
