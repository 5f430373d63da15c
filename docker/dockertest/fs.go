package dockertest

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
)

// FS is a container's (or image's) in-memory file system. It is safe for
// concurrent use. Paths are absolute and cleaned ("a/b" means "/a/b").
type FS struct {
	mu    sync.Mutex
	nodes map[string]*node
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
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.put(clean(name), &node{mode: perm.Perm(), data: append([]byte(nil), data...), mtime: time.Now()})
}

// ReadFile returns a regular file's content, following symlinks.
func (f *FS) ReadFile(name string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.resolve(clean(name))
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
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mkdirAll(clean(name), perm)
}

// Symlink creates name as a symbolic link to target.
func (f *FS) Symlink(target, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.put(clean(name), &node{mode: fs.ModeSymlink | 0o777, link: target, mtime: time.Now()})
}

// Remove deletes name and, for a directory, everything below it.
func (f *FS) Remove(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := clean(name)
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

// Paths lists every path, sorted.
func (f *FS) Paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.nodes))
	for k := range f.nodes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
	f.mu.Lock()
	defer f.mu.Unlock()
	p := clean(name)
	n, ok := f.nodes[p]
	if !ok {
		return pathStat{}, false
	}
	st := pathStat{Name: path.Base(p), Size: int64(len(n.data)), Mode: n.mode, Mtime: n.mtime}
	if n.mode&fs.ModeSymlink != 0 {
		// Like the Engine: the size of the link itself, and its target
		// resolved to an absolute path in the container.
		st.Size = int64(len(n.link))
		st.LinkTarget = n.link
		if !path.IsAbs(st.LinkTarget) {
			st.LinkTarget = path.Join(path.Dir(p), n.link)
		}
	}
	if p == "/" {
		st.Name = "/"
	}
	return st, true
}

// writeTar writes name (and, for a directory, its tree) as a tar stream
// whose entries start with name's base name, as GET /containers/{id}/archive
// does. With name "/", entries are relative to the root (export).
func (f *FS) writeTar(w io.Writer, name string) error {
	f.mu.Lock()
	p := clean(name)
	if _, ok := f.nodes[p]; !ok {
		f.mu.Unlock()
		return &fs.PathError{Op: "archive", Path: name, Err: fs.ErrNotExist}
	}
	type entry struct {
		name string
		n    node
	}
	var entries []entry
	base, prefix := path.Base(p), p+"/"
	if p == "/" {
		base, prefix = "", "/"
	}
	for k, n := range f.nodes {
		switch {
		case k == p && p != "/":
			entries = append(entries, entry{base, *n})
		case strings.HasPrefix(k, prefix) && k != "/":
			entries = append(entries, entry{path.Join(base, strings.TrimPrefix(k, prefix)), *n})
		}
	}
	f.mu.Unlock()
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
		f.mu.Lock()
		old, exists := f.nodes[p]
		if exists && noOverwriteDirNonDir && old.mode.IsDir() != n.mode.IsDir() {
			f.mu.Unlock()
			return fmt.Errorf("%s: %w", p, errDirNonDir)
		}
		if exists && old.mode.IsDir() && n.mode.IsDir() {
			old.mode, old.mtime = n.mode, n.mtime
			f.mu.Unlock()
			continue
		}
		err = f.put(p, n)
		f.mu.Unlock()
		if err != nil {
			return err
		}
	}
}

// sortChanges sorts a slice by the path key returns for each index.
func sortChanges[T any](s []T, key func(i int) string) {
	sort.SliceStable(s, func(i, j int) bool { return key(i) < key(j) })
}
