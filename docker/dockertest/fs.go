package dockertest

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// FS is a container's (or image's) in-memory file system. It is safe for
// concurrent use. Paths are absolute and cleaned ("a/b" means "/a/b").
type FS struct {
	mu     sync.Mutex
	nodes  map[string]*node
	mounts []fsMount // volumes and tmpfs mounted into it; set at container create, read-only after
}

type node struct {
	mode  fs.FileMode // type bits and permissions
	data  []byte
	link  string // symlink target
	mtime time.Time
	uid   int
	gid   int
}

func newFS() *FS {
	f := &FS{nodes: map[string]*node{}}
	for _, d := range []string{"/", "/etc", "/tmp", "/dev", "/proc", "/sys"} {
		f.nodes[d] = &node{mode: fs.ModeDir | 0o755, mtime: time.Unix(0, 0)}
	}
	return f
}

func clean(name string) string { return path.Clean("/" + name) }

// WriteFile creates or replaces a regular file, creating its parent
// directories.
func (f *FS) WriteFile(name string, data []byte, perm fs.FileMode) error {
	f, p, err := f.route(name, true)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.put(p, &node{mode: perm.Perm(), data: append([]byte(nil), data...), mtime: time.Now()})
}

// ReadFile returns a regular file's content, following symlinks.
func (f *FS) ReadFile(name string) ([]byte, error) {
	f, p, _ := f.route(name, false)
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.resolve(p)
	if err != nil {
		return nil, err
	}
	if n.mode.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	return append([]byte(nil), n.data...), nil
}

// MkdirAll creates a directory and its parents.
func (f *FS) MkdirAll(name string, perm fs.FileMode) error {
	f, p, err := f.route(name, true)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mkdirAll(p, perm)
}

// Symlink creates name as a symbolic link to target.
func (f *FS) Symlink(target, name string) error {
	f, p, err := f.route(name, true)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.put(p, &node{mode: fs.ModeSymlink | 0o777, link: target, mtime: time.Now()})
}

// Remove deletes name and, for a directory, everything below it.
func (f *FS) Remove(name string) error {
	f, p, err := f.route(name, true)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.nodes[p]; !ok || p == "/" {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	for k := range f.nodes {
		if k == p || strings.HasPrefix(k, p+"/") {
			delete(f.nodes, k)
		}
	}
	return nil
}

// Paths lists every path, sorted, those of mounted volumes included.
func (f *FS) Paths() []string {
	f.mu.Lock()
	out := make([]string, 0, len(f.nodes))
	for k := range f.nodes {
		out = append(out, k)
	}
	f.mu.Unlock()
	out = append(out, f.mountedPaths()...)
	sort.Strings(out)
	return slices.Compact(out)
}

func (f *FS) clone() *FS {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &FS{nodes: make(map[string]*node, len(f.nodes))}
	for k, n := range f.nodes {
		cp := *n
		c.nodes[k] = &cp
	}
	return c
}

func (f *FS) mkdirAll(p string, perm fs.FileMode) error {
	if n, ok := f.nodes[p]; ok {
		if !n.mode.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: p, Err: errors.New("not a directory")}
		}
		return nil
	}
	if p != "/" {
		if err := f.mkdirAll(path.Dir(p), 0o755); err != nil {
			return err
		}
	}
	f.nodes[p] = &node{mode: fs.ModeDir | perm.Perm(), mtime: time.Now()}
	return nil
}

func (f *FS) put(p string, n *node) error {
	if err := f.mkdirAll(path.Dir(p), 0o755); err != nil {
		return err
	}
	if old, ok := f.nodes[p]; ok && old.mode.IsDir() && !n.mode.IsDir() {
		for k := range f.nodes {
			if strings.HasPrefix(k, p+"/") {
				delete(f.nodes, k)
			}
		}
	}
	f.nodes[p] = n
	return nil
}

// resolve follows symlinks (at most 40, like Linux).
func (f *FS) resolve(p string) (*node, error) {
	for range 40 {
		n, ok := f.nodes[p]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		}
		if n.mode&fs.ModeSymlink == 0 {
			return n, nil
		}
		if path.IsAbs(n.link) {
			p = clean(n.link)
		} else {
			p = clean(path.Join(path.Dir(p), n.link))
		}
	}
	return nil, &fs.PathError{Op: "open", Path: p, Err: errors.New("too many levels of symbolic links")}
}

// pathStat is the JSON of the X-Docker-Container-Path-Stat header.
type pathStat struct {
	Name       string      `json:"name"`
	Size       int64       `json:"size"`
	Mode       fs.FileMode `json:"mode"`
	Mtime      time.Time   `json:"mtime"`
	LinkTarget string      `json:"linkTarget"`
}

func (f *FS) stat(name string) (pathStat, bool) {
	t, p, _ := f.route(name, false)
	t.mu.Lock()
	defer t.mu.Unlock()
	n, ok := t.nodes[p]
	if !ok {
		return pathStat{}, false
	}
	st := pathStat{Name: path.Base(clean(name)), Size: int64(len(n.data)), Mode: n.mode, Mtime: n.mtime}
	if n.mode&fs.ModeSymlink != 0 {
		// Like the Engine: the size of the link itself, and its target
		// resolved to an absolute path in the container.
		st.Size = int64(len(n.link))
		st.LinkTarget = n.link
		if !path.IsAbs(st.LinkTarget) {
			st.LinkTarget = path.Join(path.Dir(clean(name)), n.link)
		}
	}
	if clean(name) == "/" {
		st.Name = "/"
	}
	return st, true
}

// writeTar writes name (and, for a directory, its tree) as a tar stream
// whose entries start with name's base name, as GET /containers/{id}/archive
// does. With name "/", entries are relative to the root (export).
func (f *FS) writeTar(w io.Writer, name string) error {
	p := clean(name)
	base := path.Base(p)
	if p == "/" {
		base = ""
	}
	t, tp, _ := f.route(p, false)
	entries, ok := t.collect(tp, base)
	if !ok {
		return &fs.PathError{Op: "archive", Path: name, Err: fs.ErrNotExist}
	}
	if t == f {
		mounted, covered := f.mountEntries(p, base)
		entries = slices.DeleteFunc(entries, func(e tarEntry) bool {
			return slices.ContainsFunc(covered, func(at string) bool {
				rel := path.Join(base, strings.TrimPrefix(at, p+"/"))
				return e.name == rel || strings.HasPrefix(e.name, rel+"/")
			})
		})
		entries = append(entries, mounted...)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	tw := tar.NewWriter(w)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: int64(e.n.mode.Perm()), ModTime: e.n.mtime, Uid: e.n.uid, Gid: e.n.gid, Format: tar.FormatPAX}
		switch {
		case e.n.mode.IsDir():
			h.Typeflag, h.Name = tar.TypeDir, e.name+"/"
		case e.n.mode&fs.ModeSymlink != 0:
			h.Typeflag, h.Linkname = tar.TypeSymlink, e.n.link
		default:
			h.Typeflag, h.Size = tar.TypeReg, int64(len(e.n.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := tw.Write(e.n.data); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}

// tarEntry is one entry of an archive being written.
type tarEntry struct {
	name string
	n    node
}

// collect returns the entries of p and the tree below it, named from base
// ("" names them relative to p, as export does); ok is false when p does
// not exist.
func (f *FS) collect(p, base string) (entries []tarEntry, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.nodes[p]; !ok {
		return nil, false
	}
	prefix := strings.TrimSuffix(p, "/") + "/"
	for k, n := range f.nodes {
		switch {
		case k == p && base != "":
			entries = append(entries, tarEntry{base, *n})
		case strings.HasPrefix(k, prefix):
			entries = append(entries, tarEntry{path.Join(base, strings.TrimPrefix(k, prefix)), *n})
		}
	}
	return entries, true
}

// errDirNonDir is what extracting returns when noOverwriteDirNonDir forbids
// replacing a directory with a file or the other way round.
var errDirNonDir = errors.New("cannot overwrite a directory with a non-directory (or the reverse)")

// extractTar unpacks a tar stream under dir, as PUT /containers/{id}/archive
// does.
func (f *FS) extractTar(r io.Reader, dir string, noOverwriteDirNonDir bool, uid, gid *int) error {
	tr := tar.NewReader(r)
	root := clean(dir)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the archive: %w", err)
		}
		p := clean(path.Join(root, h.Name))
		if p != root && !strings.HasPrefix(p, strings.TrimSuffix(root, "/")+"/") {
			return fmt.Errorf("archive entry %q escapes %s", h.Name, dir)
		}
		n := &node{mode: fs.FileMode(h.Mode).Perm(), mtime: h.ModTime, uid: h.Uid, gid: h.Gid}
		if uid != nil {
			n.uid, n.gid = *uid, *gid
		}
		switch h.Typeflag {
		case tar.TypeDir:
			n.mode |= fs.ModeDir
		case tar.TypeSymlink:
			n.mode, n.link = fs.ModeSymlink|0o777, h.Linkname
		case tar.TypeReg, tar.TypeRegA:
			b, err := io.ReadAll(tr)
			if err != nil {
				return fmt.Errorf("reading %s from the archive: %w", h.Name, err)
			}
			n.data = b
		default:
			continue // devices, fifos and hard links are not kept
		}
		t, tp, err := f.route(p, true) // entries below a mount point land in the mounted volume
		if err != nil {
			return err
		}
		t.mu.Lock()
		old, exists := t.nodes[tp]
		if exists && noOverwriteDirNonDir && old.mode.IsDir() != n.mode.IsDir() {
			t.mu.Unlock()
			return fmt.Errorf("%s: %w", p, errDirNonDir)
		}
		if exists && old.mode.IsDir() && n.mode.IsDir() {
			old.mode, old.mtime = n.mode, n.mtime
			t.mu.Unlock()
			continue
		}
		err = t.put(tp, n)
		t.mu.Unlock()
		if err != nil {
			return err
		}
	}
}

// sortChanges sorts a slice by the path key returns for each index.
func sortChanges[T any](s []T, key func(i int) string) {
	sort.SliceStable(s, func(i, j int) bool { return key(i) < key(j) })
}
