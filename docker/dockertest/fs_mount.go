package dockertest

import (
	"io/fs"
	"path"
	"sort"
	"strings"
	"syscall"
	"time"
)

// fsMount is a file system mounted into a container's FS: a volume's,
// shared with every container that mounts it, or a private tmpfs.
type fsMount struct {
	at   string // the mount point in the container, clean and absolute
	fs   *FS
	root string // the directory of fs seen at the mount point: "/" or a volume subpath
	ro   bool
}

// newEmptyFS returns a file system holding only its root directory, as a
// new volume or tmpfs starts.
func newEmptyFS() *FS {
	return &FS{nodes: map[string]*node{"/": {mode: fs.ModeDir | 0o755, mtime: time.Now()}}}
}

// setMounts installs the mounts of a container's FS, creating their mount
// points. It must be called before the FS is shared (at container create).
func (f *FS) setMounts(ms []fsMount) error {
	for _, m := range ms {
		if err := f.MkdirAll(m.at, 0o755); err != nil {
			return err
		}
	}
	sort.Slice(ms, func(i, j int) bool { return len(ms[i].at) > len(ms[j].at) }) // deepest first
	f.mounts = ms
	return nil
}

// route returns the file system holding name and name's path in it: the
// deepest mount at or above name, or f itself. write asks for a place to
// write: a read-only mount answers EROFS, as the kernel does.
func (f *FS) route(name string, write bool) (*FS, string, error) {
	p := clean(name)
	for _, m := range f.mounts {
		if p != m.at && !strings.HasPrefix(p, strings.TrimSuffix(m.at, "/")+"/") {
			continue
		}
		if write && m.ro {
			return nil, "", &fs.PathError{Op: "open", Path: name, Err: syscall.EROFS}
		}
		return m.fs, clean(path.Join(m.root, strings.TrimPrefix(p, m.at))), nil
	}
	return f, p, nil
}

// mountedPaths lists the paths the mounts of f add, as the container sees
// them.
func (f *FS) mountedPaths() []string {
	var out []string
	for _, m := range f.mounts {
		for _, p := range m.fs.Paths() {
			if p == m.root || strings.HasPrefix(p, strings.TrimSuffix(m.root, "/")+"/") {
				out = append(out, clean(path.Join(m.at, strings.TrimPrefix(p, m.root))))
			}
		}
	}
	return out
}

// mountEntries returns the archive entries of the mounts below p (the
// directory being archived, whose entries are named from base), and the
// mount points they cover: f's own entries there are hidden by the mounts.
func (f *FS) mountEntries(p, base string) ([]tarEntry, []string) {
	var out []tarEntry
	var covered []string
	for _, m := range f.mounts {
		if p == "/" || !strings.HasPrefix(m.at, p+"/") {
			continue // the root (export) shows no mounts, like the Engine's export
		}
		covered = append(covered, m.at)
		es, _ := m.fs.collect(m.root, path.Join(base, strings.TrimPrefix(m.at, p+"/")))
		out = append(out, es...)
	}
	return out, covered
}

// copyTree copies the tree at src in f to dst in other (a new volume takes
// the image's files at its mount point).
func (f *FS) copyTree(src string, other *FS, dst string) {
	f.mu.Lock()
	var nodes []struct {
		rel string
		n   node
	}
	src = clean(src)
	for k, n := range f.nodes {
		if k == src || strings.HasPrefix(k, strings.TrimSuffix(src, "/")+"/") {
			nodes = append(nodes, struct {
				rel string
				n   node
			}{strings.TrimPrefix(k, src), *n})
		}
	}
	f.mu.Unlock()
	other.mu.Lock()
	defer other.mu.Unlock()
	for _, e := range nodes {
		n := e.n
		n.data = append([]byte(nil), n.data...)
		_ = other.put(clean(path.Join(dst, e.rel)), &n)
	}
}

// isEmpty reports whether f holds nothing but its root directory.
func (f *FS) isEmpty() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.nodes) <= 1
}

// size is the bytes f's files hold.
func (f *FS) size() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var n int64
	for _, nd := range f.nodes {
		n += int64(len(nd.data))
	}
	return n
}
