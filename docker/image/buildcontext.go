package image

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

type contextConfig struct {
	dockerfile string
}

// ContextFromDir returns a build context for Build: a tar archive of the
// directory dir, without what dir/.dockerignore excludes (see
// ReadDockerignore and IgnoreMatcher), as the docker CLI sends it. The
// Dockerfile (option Dockerfile; "Dockerfile" by default; it must be inside
// dir) and .dockerignore are sent even when .dockerignore excludes them:
// the daemon needs them, and removes them from what the build sees when
// excluded.
//
// The archive is written while it is read, by a goroutine that starts at
// the first Read, so memory stays constant whatever the directory's size.
// Close stops that goroutine and waits for it; Build closes the context when
// its request ends. Files are owned by root in the archive, modification
// times are kept to the second, symbolic links are sent as links, and
// sockets are left out. A file that cannot be read fails the archive, and
// with it the build, with an error naming the file.
//
// ContextFromDir reads .dockerignore and checks that the Dockerfile exists
// before returning; a malformed pattern is an error.
func ContextFromDir(dir string, opts ...ContextOption) (io.ReadCloser, error) {
	c := contextConfig{dockerfile: "Dockerfile"}
	for _, o := range opts {
		o.applyContext(&c)
	}
	dockerfile := path.Clean(filepath.ToSlash(c.dockerfile))
	if path.IsAbs(dockerfile) || dockerfile == ".." || strings.HasPrefix(dockerfile, "../") {
		return nil, fmt.Errorf("docker: build context: the Dockerfile %q must be inside the context directory", c.dockerfile)
	}
	st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(dockerfile)))
	if err != nil {
		return nil, fmt.Errorf("docker: build context: cannot locate the Dockerfile: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("docker: build context: the Dockerfile %q is not a regular file", c.dockerfile)
	}
	var patterns []string
	f, err := os.Open(filepath.Join(dir, ".dockerignore"))
	switch {
	case err == nil:
		patterns, err = ReadDockerignore(f)
		f.Close()
		if err != nil {
			return nil, err
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("docker: build context: %w", err)
	}
	m, err := NewIgnoreMatcher(patterns)
	if err != nil {
		return nil, err
	}
	// As the CLI does: re-include the files the daemon needs.
	if m.matchesOrParentMatches(".dockerignore") {
		patterns = append(patterns, "!.dockerignore")
	}
	if m.matchesOrParentMatches(dockerfile) {
		patterns = append(patterns, "!"+dockerfile)
	}
	if m, err = NewIgnoreMatcher(patterns); err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	return &dirContext{
		pr:    pr,
		pw:    pw,
		done:  make(chan struct{}),
		write: func(w io.Writer) error { return writeDir(w, dir, m) },
	}, nil
}

// errContextClosed is what a closed context's archive writer sees.
var errContextClosed = errors.New("docker: build context closed")

// dirContext is the reader ContextFromDir returns.
type dirContext struct {
	pr    *io.PipeReader
	pw    *io.PipeWriter
	start sync.Once
	done  chan struct{} // closed when the writer has returned (or never started)
	write func(io.Writer) error
}

func (c *dirContext) Read(p []byte) (int, error) {
	c.start.Do(func() {
		go func() {
			defer close(c.done)
			c.pw.CloseWithError(c.write(c.pw))
		}()
	})
	return c.pr.Read(p)
}

// Close stops the archive's writer and waits for it to return.
func (c *dirContext) Close() error {
	c.pr.CloseWithError(errContextClosed)
	c.start.Do(func() { close(c.done) })
	<-c.done
	return nil
}

// writeDir writes the tar archive of dir, less what m excludes, to w.
func writeDir(w io.Writer, dir string, m *IgnoreMatcher) error {
	tw := tar.NewWriter(w)
	type parentInfo struct {
		dir     string
		matched []bool
	}
	var parents []parentInfo // the directories above the current entry, with their pattern matches
	buf := make([]byte, 32<<10)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("docker: build context: %w", err)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		for len(parents) > 0 && !strings.HasPrefix(rel, parents[len(parents)-1].dir+"/") {
			parents = parents[:len(parents)-1]
		}
		var parent []bool
		if len(parents) > 0 {
			parent = parents[len(parents)-1].matched
		}
		skip, matched := m.matchChild(rel, parent)
		if d.IsDir() {
			parents = append(parents, parentInfo{dir: rel, matched: matched})
		}
		if skip {
			if d.IsDir() && !m.mayReinclude(rel) {
				return filepath.SkipDir
			}
			return nil
		}
		return addEntry(tw, p, rel, d, buf)
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// Permission bits of tar headers beyond fs.FileMode.Perm.
const (
	tarSetuid = 0o4000
	tarSetgid = 0o2000
	tarSticky = 0o1000
)

// addEntry writes the file at p, named rel in the archive.
func addEntry(tw *tar.Writer, p, rel string, d fs.DirEntry, buf []byte) error {
	fi, err := d.Info()
	if err != nil {
		return fmt.Errorf("docker: build context: %w", err)
	}
	mode := fi.Mode()
	hdr := &tar.Header{
		Name:    rel,
		Mode:    int64(mode.Perm()),
		ModTime: fi.ModTime().Truncate(time.Second),
		Format:  tar.FormatPAX,
	}
	if mode&fs.ModeSetuid != 0 {
		hdr.Mode |= tarSetuid
	}
	if mode&fs.ModeSetgid != 0 {
		hdr.Mode |= tarSetgid
	}
	if mode&fs.ModeSticky != 0 {
		hdr.Mode |= tarSticky
	}
	switch {
	case mode.IsRegular():
		hdr.Typeflag, hdr.Size = tar.TypeReg, fi.Size()
	case mode.IsDir():
		hdr.Typeflag, hdr.Name = tar.TypeDir, rel+"/"
	case mode&fs.ModeSymlink != 0:
		target, err := os.Readlink(p)
		if err != nil {
			return fmt.Errorf("docker: build context: %w", err)
		}
		hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, target
	case mode&fs.ModeNamedPipe != 0:
		hdr.Typeflag = tar.TypeFifo
	default:
		return nil // sockets and devices have no place in a build context
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("docker: build context: %s: %w", rel, err)
	}
	if hdr.Typeflag != tar.TypeReg {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("docker: build context: %w", err)
	}
	defer f.Close()
	n, err := io.CopyBuffer(tw, io.LimitReader(f, hdr.Size), buf)
	if err == nil && n < hdr.Size {
		err = fmt.Errorf("file shrank from %d to %d bytes while being read", hdr.Size, n)
	}
	if err != nil {
		return fmt.Errorf("docker: build context: %s: %w", rel, err)
	}
	return nil
}

// ContextFile is one file of an in-memory build context.
type ContextFile struct {
	// Name is the slash-separated path in the context, such as
	// "Dockerfile" or "src/main.go"; parent directories need no entry.
	Name string
	// Data is the file's content.
	Data []byte
	// Mode holds the permission bits (0o644 when zero); with fs.ModeDir
	// the entry is a directory and Data must be empty.
	Mode fs.FileMode
}

// ContextFromFiles returns a build context for Build holding files, as an
// uncompressed tar archive in memory: for small contexts, such as a
// Dockerfile alone. Names must be relative, and may not leave the context
// ("../x") or repeat.
func ContextFromFiles(files ...ContextFile) (*bytes.Reader, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		name := path.Clean(f.Name)
		if f.Name == "" || path.IsAbs(name) || name == "." || name == ".." || strings.HasPrefix(name, "../") {
			return nil, fmt.Errorf("docker: build context: invalid file name %q", f.Name)
		}
		if seen[name] {
			return nil, fmt.Errorf("docker: build context: file %q given twice", f.Name)
		}
		seen[name] = true
		perm := int64(f.Mode.Perm())
		hdr := &tar.Header{Name: name, Mode: perm, Typeflag: tar.TypeReg, Size: int64(len(f.Data)), Format: tar.FormatPAX}
		if f.Mode.IsDir() {
			if len(f.Data) > 0 {
				return nil, fmt.Errorf("docker: build context: directory %q has data", f.Name)
			}
			hdr.Name, hdr.Typeflag, hdr.Size = name+"/", tar.TypeDir, 0
			if perm == 0 {
				hdr.Mode = 0o755
			}
		} else if perm == 0 {
			hdr.Mode = 0o644
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("docker: build context: %s: %w", f.Name, err)
		}
		if _, err := tw.Write(f.Data); err != nil {
			return nil, fmt.Errorf("docker: build context: %s: %w", f.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return bytes.NewReader(buf.Bytes()), nil
}
