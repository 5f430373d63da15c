package container

import (
	"archive/tar"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/google/go-cmp/cmp"
)

func TestParsePathStatGolden(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("testdata", "engine-20.10", "archive-stat.txt"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := parsePathStat(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	want := PathStat{Name: "berth-test", Size: 3492181, Mode: 0o755, Mtime: time.Date(2026, 11, 22, 18, 25, 4, 0, time.UTC)}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParsePathStat(t *testing.T) {
	t.Parallel()
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct {
		name, header string
		want         PathStat
		wantErr      bool
	}{
		{name: "dir", header: enc(`{"name":"etc","size":4096,"mode":2147484141,"mtime":"2020-01-02T03:04:05Z","linkTarget":""}`),
			want: PathStat{Name: "etc", Size: 4096, Mode: fs.ModeDir | 0o755, Mtime: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)}},
		{name: "symlink", header: enc(`{"name":"l","size":3,"mode":134218239,"mtime":"2020-01-02T03:04:05Z","linkTarget":"/tmp"}`),
			want: PathStat{Name: "l", Size: 3, Mode: fs.ModeSymlink | 0o777, Mtime: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), LinkTarget: "/tmp"}},
		// Podman 4.3 (the header of a stopped container's volume).
		{name: "podman dir", header: "eyJuYW1lIjoiZGF0YSIsInNpemUiOjQwOTYsIm1vZGUiOjIxNDc0ODQxNDEsIm10aW1lIjoiMjAyNi0xMi0wM1QxMDozMjo1My40Mjk3MTMyNTZaIiwiaXNEaXIiOnRydWUsImxpbmtUYXJnZXQiOiIvZGF0YSJ9",
			want: PathStat{Name: "data", Size: 4096, Mode: fs.ModeDir | 0o755, Mtime: time.Date(2026, 12, 3, 10, 32, 53, 429713256, time.UTC)}},
		{name: "unpadded", header: strings.TrimRight(enc(`{"name":"a"}`), "="), want: PathStat{Name: "a"}},
		{name: "missing", header: "", wantErr: true},
		{name: "not base64", header: "!!!", wantErr: true},
		{name: "not json", header: enc("<html>"), wantErr: true},
		{name: "too long", header: strings.Repeat("A", maxPathStatHeader+4), wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := parsePathStat(tc.header)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParsePathStat(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "engine-20.10", "archive-stat.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(strings.TrimSpace(string(b)))
	f.Add("")
	f.Add("e30=")
	f.Add(base64.StdEncoding.EncodeToString([]byte(`{"mode":-1,"size":"x"}`)))
	f.Fuzz(func(t *testing.T, header string) {
		st, err := parsePathStat(header)
		if err != nil {
			return
		}
		// What decoded must encode and decode to the same value.
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", st, err)
		}
		again, err := parsePathStat(base64.StdEncoding.EncodeToString(b))
		if err != nil || !again.Mtime.Equal(st.Mtime) || again.Name != st.Name || again.Mode != st.Mode {
			t.Fatalf("round trip of %+v gave %+v, %v", st, again, err)
		}
	})
}

// testTar builds a tar from entries: a name ending in "/" is a directory,
// "name -> target" a symlink, "name => target" a hard link, otherwise a
// file whose content follows a ":".
func testTar(t testing.TB, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		var hdr tar.Header
		var content string
		switch {
		case strings.Contains(e, " -> "):
			name, target, _ := strings.Cut(e, " -> ")
			hdr = tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777}
		case strings.Contains(e, " => "):
			name, target, _ := strings.Cut(e, " => ")
			hdr = tar.Header{Typeflag: tar.TypeLink, Name: name, Linkname: target, Mode: 0o644}
		case strings.HasSuffix(e, "/"):
			hdr = tar.Header{Typeflag: tar.TypeDir, Name: e, Mode: 0o750}
		default:
			var name string
			name, content, _ = strings.Cut(e, ":")
			hdr = tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o640, Size: int64(len(content))}
		}
		hdr.ModTime = time.Unix(1600000000, 0)
		if err := tw.WriteHeader(&hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExtractTarConfined(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		entries []string
	}{
		{"dotdot", []string{"../evil:x"}},
		{"nested dotdot", []string{"a/../../evil:x"}},
		{"absolute below a climbing base", []string{"/evil:x"}},
		{"backslash", []string{`..\evil:x`}},
		{"through symlink", []string{"link -> ..", "link/evil:x"}},
		{"through absolute symlink", []string{"link -> /", "link/evil:x"}},
		{"dir through symlink", []string{"link -> ../", "link/sub/"}},
		{"symlink under symlink", []string{"link -> ..", "link/l2 -> x"}},
		{"file over escaping symlink", []string{"f -> ../evil", "f:x"}},
		{"hard link out", []string{"h => ../evil"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			dst := filepath.Join(parent, "dst")
			if err := os.Mkdir(dst, 0o755); err != nil {
				t.Fatal(err)
			}
			base := "tree"
			if strings.HasPrefix(tc.name, "absolute") {
				base = ".." // what copyBase("..") gives: an absolute name must not follow it up
			}
			err := extractTar(bytes.NewReader(testTar(t, tc.entries...)), dst, base)
			if tc.name == "file over escaping symlink" {
				// The link is replaced by a file inside dst: no error, nothing outside.
				if err != nil {
					t.Fatal(err)
				}
			} else if err == nil {
				t.Fatal("no error")
			}
			names, _ := os.ReadDir(parent)
			if len(names) != 1 {
				t.Errorf("something was written next to dst: %v", names)
			}
			if _, err := os.Lstat(filepath.Join(parent, "evil")); err == nil {
				t.Error("evil was written outside dst")
			}
		})
	}
}

// TestExtractTarAbsoluteNames: an absolute entry name is relative to the
// copied path, as the Engine names the root's entries and Podman those of
// a volume's directory in a stopped container, and stays inside dst.
func TestExtractTarAbsoluteNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, src string
		entries   []string
		want      []string
	}{
		{"podman volume", "/data", []string{"/", "/result.txt:hello", "/sub/", "/sub/f:x", "/h => /result.txt"},
			[]string{"drwxr-x--- data", "-rw-r----- data/h hello", "-rw-r----- data/result.txt hello", "drwxr-x--- data/sub", "-rw-r----- data/sub/f x"}},
		{"engine root", "/", []string{"/", "/.dockerenv:", "/etc/", "/etc/hosts:127.0.0.1"},
			[]string{"-rw-r----- .dockerenv ", "drwxr-x--- etc", "-rw-r----- etc/hosts 127.0.0.1"}},
		{"climbing", "/data/", []string{"/../../evil:x", "/a/../../../evil2:y"},
			[]string{"drwxr-xr-x data", "-rw-r----- data/evil x", "-rw-r----- data/evil2 y"}},
		{"relative names as before", "/data", []string{"data/", "data/f:z"},
			[]string{"drwxr-x--- data", "-rw-r----- data/f z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			dst := filepath.Join(parent, "dst")
			if err := os.Mkdir(dst, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := extractTar(bytes.NewReader(testTar(t, tc.entries...)), dst, copyBase(tc.src)); err != nil {
				t.Fatal(err)
			}
			got := listTree(t, dst)[1:] // without dst itself
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("extracted (-want +got):\n%s", diff)
			}
			if names, _ := os.ReadDir(parent); len(names) != 1 {
				t.Errorf("something was written next to dst: %v", names)
			}
		})
	}
}

func TestCopyBase(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]string{"/": ".", "/data": "data", "/data/": "data", "/a/b/.": "b", "rel/x": "x", "/a/..": ".", `\win\dir`: "dir"} {
		if got := copyBase(src); got != want {
			t.Errorf("copyBase(%q) = %q, want %q", src, got, want)
		}
	}
}

// TestTarRoundTrip writes a local tree as a tar and extracts it elsewhere.
func TestTarRoundTrip(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "tree")
	mtime := time.Unix(1500000000, 0)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(src, "a", "b"), 0o755))
	must(os.WriteFile(filepath.Join(src, "a", "b", "file"), []byte("hello"), 0o600))
	must(os.WriteFile(filepath.Join(src, "empty"), nil, 0o644))
	must(os.Symlink("a/b/file", filepath.Join(src, "link")))
	must(os.Chmod(filepath.Join(src, "a"), 0o700))
	must(os.Chtimes(filepath.Join(src, "a", "b", "file"), mtime, mtime))

	var buf bytes.Buffer
	must(writeTar(&buf, src))
	dst := t.TempDir()
	must(extractTar(&buf, dst, "tree"))
	if diff := cmp.Diff(listTree(t, src), listTree(t, filepath.Join(dst, "tree"))); diff != "" {
		t.Errorf("tree (-src +extracted):\n%s", diff)
	}
	fi, err := os.Stat(filepath.Join(dst, "tree", "a", "b", "file"))
	if err != nil || !fi.ModTime().Equal(mtime) {
		t.Errorf("mtime %v, %v; want %v", fi.ModTime(), err, mtime)
	}

	// A special file is refused.
	if err := writeTar(io.Discard, os.DevNull); err == nil {
		t.Error("writeTar of a device: no error")
	}
}

// listTree describes a tree: mode, size, content and link of every entry.
func listTree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		line := fi.Mode().String() + " " + rel
		switch {
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += " " + string(b)
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			line += " -> " + target
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestArchiveRequests(t *testing.T) {
	t.Parallel()
	f := setup(t)
	stat := base64.StdEncoding.EncodeToString([]byte(`{"name":"tree","size":4096,"mode":2147484141,"mtime":"2020-01-02T03:04:05Z","linkTarget":""}`))
	tarball := testTar(t, "tree/", "tree/f:data", "tree/l -> f")
	var put struct {
		query       url.Values
		contentType string
		body        []byte
	}
	f.handle("HEAD /containers/c/archive", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("path") != "/srv/tree" {
			w.WriteHeader(404)
			return
		}
		w.Header().Set(pathStatHeader, stat)
	})
	f.handle("GET /containers/c/archive", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(pathStatHeader, stat)
		w.Header().Set("Content-Type", "application/x-tar")
		_, _ = w.Write(tarball)
	})
	f.handle("PUT /containers/c/archive", func(w http.ResponseWriter, r *http.Request) {
		put.query, put.contentType = r.URL.Query(), r.Header.Get("Content-Type")
		put.body, _ = io.ReadAll(r.Body)
	})
	f.handle("GET /containers/c/export", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(tarball) })
	ctx := t.Context()

	st, err := f.svc.Stat(ctx, "c", "/srv/tree")
	if err != nil || st.Name != "tree" || !st.Mode.IsDir() {
		t.Errorf("Stat = %+v, %v", st, err)
	}
	if _, err := f.svc.Stat(ctx, "c", "/missing"); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("Stat of a missing path: %v, want ErrNotFound", err)
	}
	if _, err := f.svc.Stat(ctx, "c", ""); err == nil {
		t.Error("Stat of an empty path: no error")
	}

	rc, st, err := f.svc.CopyFrom(ctx, "c", "/srv/tree")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, tarball) || st.Name != "tree" {
		t.Errorf("CopyFrom: %d bytes, stat %+v, %v", len(got), st, err)
	}

	if err := f.svc.CopyTo(ctx, "c", "/srv", bytes.NewReader(tarball), NoOverwriteDirNonDir(), CopyUIDGID()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(url.Values{"path": {"/srv"}, "noOverwriteDirNonDir": {"1"}, "copyUIDGID": {"1"}}, put.query); diff != "" {
		t.Errorf("CopyTo query (-want +got):\n%s", diff)
	}
	if put.contentType != "application/x-tar" || !bytes.Equal(put.body, tarball) {
		t.Errorf("CopyTo sent %q, %d bytes", put.contentType, len(put.body))
	}

	// CopyOut then CopyIn: the tree goes out and comes back the same.
	out := t.TempDir()
	if err := f.svc.CopyOut(ctx, "c", "/srv/tree", out); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "tree", "f")); err != nil || string(b) != "data" {
		t.Errorf("extracted file: %q, %v", b, err)
	}
	if err := f.svc.CopyIn(ctx, "c", filepath.Join(out, "tree"), "/srv"); err != nil {
		t.Fatal(err)
	}
	back := t.TempDir()
	if err := extractTar(bytes.NewReader(put.body), back, "tree"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(listTree(t, filepath.Join(out, "tree")), listTree(t, filepath.Join(back, "tree"))); diff != "" {
		t.Errorf("CopyIn sent another tree (-want +got):\n%s", diff)
	}
	if err := f.svc.CopyIn(ctx, "c", filepath.Join(out, "missing"), "/srv"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("CopyIn of a missing path: %v", err)
	}

	ex, err := f.svc.Export(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(ex)
	ex.Close()
	if err != nil || !bytes.Equal(got, tarball) {
		t.Errorf("Export: %d bytes, %v", len(got), err)
	}
}

// TestCopyInDaemonError checks that a refused upload ends CopyIn's tar
// writer and reports the daemon's error.
func TestCopyInDaemonError(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle("PUT /containers/c/archive", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, 403, "container rootfs is marked read-only")
	})
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "big"), bytes.Repeat([]byte("x"), 8<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	err := f.svc.CopyIn(t.Context(), "c", src, "/")
	if !errors.Is(err, docker.ErrForbidden) {
		t.Fatalf("err = %v, want ErrForbidden", err)
	}
}
