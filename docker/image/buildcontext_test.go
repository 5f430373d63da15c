package image

import (
	"archive/tar"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type entry struct {
	Name     string
	Type     byte
	Mode     int64
	Size     int64
	Linkname string
	UID, GID int
	Data     string
}

func readEntries(t *testing.T, r io.Reader) []entry {
	t.Helper()
	tr := tar.NewReader(r)
	var out []entry
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{h.Name, h.Typeflag, h.Mode, h.Size, h.Linkname, h.Uid, h.Gid, string(b)})
	}
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestContextFromDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"Dockerfile":    "FROM scratch\n",
		".dockerignore": "*.log\nsecret\n",
		"app/main.go":   "package main\n",
		"app/debug.log": "x",
		"run.log":       "x",
		"secret/key":    "k",
	})
	if err := os.Chmod(filepath.Join(dir, "app/main.go"), fs.ModeSetuid|0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("app/main.go", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	rc, err := ContextFromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := readEntries(t, rc)
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	want := []entry{
		{Name: ".dockerignore", Type: tar.TypeReg, Mode: 0o644, Size: 13, Data: "*.log\nsecret\n"},
		{Name: "Dockerfile", Type: tar.TypeReg, Mode: 0o644, Size: 13, Data: "FROM scratch\n"},
		{Name: "app/", Type: tar.TypeDir, Mode: 0o755},
		{Name: "app/debug.log", Type: tar.TypeReg, Mode: 0o644, Size: 1, Data: "x"}, // "*.log" is for the root only
		{Name: "app/main.go", Type: tar.TypeReg, Mode: 0o4750, Size: 13, Data: "package main\n"},
		{Name: "link", Type: tar.TypeSymlink, Mode: 0o777, Linkname: "app/main.go"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
}

func TestContextFromDirErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		opts  []ContextOption
	}{
		{"no Dockerfile", map[string]string{"a": ""}, nil},
		{"Dockerfile outside", map[string]string{"Dockerfile": ""}, []ContextOption{Dockerfile("../Dockerfile")}},
		{"Dockerfile is a directory", map[string]string{"build/x": ""}, []ContextOption{Dockerfile("build")}},
		{"bad pattern", map[string]string{"Dockerfile": "", ".dockerignore": "[\n"}, nil},
		{"lone exclamation mark", map[string]string{"Dockerfile": "", ".dockerignore": "!\n"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, tt.files)
			rc, err := ContextFromDir(dir, tt.opts...)
			if err == nil {
				rc.Close()
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "docker: ") {
				t.Errorf("error %q lacks the prefix", err)
			}
		})
	}
}

func TestContextFromDirUnreadable(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root reads everything")
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Dockerfile": "", "locked": "x"})
	if err := os.Chmod(filepath.Join(dir, "locked"), 0); err != nil {
		t.Fatal(err)
	}
	rc, err := ContextFromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Errorf("error = %v, want one naming the file", err)
	}
}

// TestContextFromDirClose checks that the writer goroutine starts only when
// the context is read, and that Close stops it at once, mid-stream too.
func TestContextFromDirClose(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Dockerfile": "FROM scratch\n"})
	if err := os.WriteFile(filepath.Join(dir, "big"), make([]byte, 4<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	// Closed unread: nothing to wait for.
	rc, err := ContextFromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Read(make([]byte, 1)); err == nil {
		t.Error("Read after Close succeeded")
	}
	// Closed mid-stream.
	rc, err = ContextFromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(rc, make([]byte, 64<<10)); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		rc.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
}

// TestContextFromDirConstantMemory streams a context holding a 256 MiB
// (sparse) file and checks that the whole read allocates little: the
// archive is never held in memory.
func TestContextFromDirConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 256 MiB")
	}
	const size = 256 << 20
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"Dockerfile": "FROM scratch\n"})
	if err := os.Truncate(filepath.Join(dir, "Dockerfile"), 13); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "big"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rc, err := ContextFromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.CopyBuffer(io.Discard, rc, make([]byte, 32<<10))
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if n < size {
		t.Errorf("read %d bytes", n)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("streamed %d MiB, allocated %d KiB", n>>20, allocated>>10)
	if allocated > 4<<20 {
		t.Errorf("allocated %d bytes for a %d-byte context", allocated, n)
	}
}

func TestContextFromFiles(t *testing.T) {
	t.Parallel()
	r, err := ContextFromFiles(
		ContextFile{Name: "Dockerfile", Data: []byte("FROM scratch\nCOPY bin /bin/\n")},
		ContextFile{Name: "./bin/tool", Data: []byte("#!"), Mode: 0o755},
		ContextFile{Name: "empty", Mode: fs.ModeDir},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []entry{
		{Name: "Dockerfile", Type: tar.TypeReg, Mode: 0o644, Size: 28, Data: "FROM scratch\nCOPY bin /bin/\n"},
		{Name: "bin/tool", Type: tar.TypeReg, Mode: 0o755, Size: 2, Data: "#!"},
		{Name: "empty/", Type: tar.TypeDir, Mode: 0o755},
	}
	if diff := cmp.Diff(want, readEntries(t, r)); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
	for name, files := range map[string][]ContextFile{
		"absolute":     {{Name: "/etc/passwd"}},
		"escapes":      {{Name: "../x"}},
		"empty name":   {{Name: ""}},
		"dot":          {{Name: "."}},
		"twice":        {{Name: "a"}, {Name: "./a"}},
		"dir has data": {{Name: "d", Mode: fs.ModeDir, Data: []byte("x")}},
	} {
		if _, err := ContextFromFiles(files...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
