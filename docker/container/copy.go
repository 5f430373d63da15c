package container

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// CopyIn copies a local file or directory (with everything below it) into
// the directory dstDir of the container, under its base name: CopyIn(ctx,
// id, "/home/me/site", "/srv") creates /srv/site. Symbolic links are copied
// as links, not followed; file modes and modification times are kept.
// Sockets, devices and named pipes are not supported.
//
// The tar stream is built while it is sent, so memory use does not grow
// with the size of the tree. Options and errors are those of CopyTo.
func (s *Service) CopyIn(ctx context.Context, id, src, dstDir string, opts ...CopyToOption) error {
	if _, err := os.Lstat(src); err != nil {
		return fmt.Errorf("docker: copying into container: %w", err)
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { // ends when the tar is written or the pipe's reader is closed
		err := writeTar(pw, src)
		pw.CloseWithError(err)
		done <- err
	}()
	err := s.CopyTo(ctx, id, dstDir, pr, opts...)
	pr.CloseWithError(errCopyEnded) // unblocks the writer if the request stopped reading early
	if tarErr := <-done; tarErr != nil && !errors.Is(tarErr, errCopyEnded) && !errors.Is(tarErr, io.ErrClosedPipe) {
		if err == nil {
			return fmt.Errorf("docker: copying %s into container %s: %w", src, id, tarErr)
		}
		return fmt.Errorf("%w (reading %s: %v)", err, src, tarErr)
	}
	return err
}

// errCopyEnded stops CopyIn's tar writer once the request is over.
var errCopyEnded = errors.New("docker: copy ended")

// writeTar writes src (a file, a symbolic link or a directory tree) as a
// tar stream whose entries are named below base(src).
func writeTar(w io.Writer, src string) error {
	tw := tar.NewWriter(w)
	src = filepath.Clean(src)
	base := filepath.Base(src)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		name := path.Join(base, filepath.ToSlash(rel))
		return writeTarEntry(tw, p, name)
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// writeTarEntry writes the header (and content) of the file at p as name.
func writeTarEntry(tw *tar.Writer, p, name string) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	link := ""
	switch mode := fi.Mode(); {
	case mode.IsRegular(), mode.IsDir():
	case mode&fs.ModeSymlink != 0:
		if link, err = os.Readlink(p); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%s: cannot copy a %s", p, fileKind(mode))
	}
	hdr, err := tar.FileInfoHeader(fi, link)
	if err != nil {
		return err
	}
	hdr.Name = name
	if fi.IsDir() {
		hdr.Name += "/"
	}
	hdr.Uname, hdr.Gname = "", "" // numeric ids only
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := io.Copy(tw, f)
	if err != nil {
		return err
	}
	if n != hdr.Size {
		return fmt.Errorf("%s: changed size while being copied", p)
	}
	return nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// CopyOut copies a file or directory of the container into the local
// directory dstDir, which must exist, under its base name: CopyOut(ctx, id,
// "/var/log", "/tmp/out") creates /tmp/out/log. Symbolic links are created
// as links; file modes and modification times are kept, owners are not.
// Devices and named pipes in the tree are skipped.
//
// The tar stream is extracted while it is read, so memory use does not
// grow with its size. Nothing is ever written outside dstDir: an entry
// whose name or path would leave it (through ".." or a symbolic link) stops
// the copy with an error. An absolute entry name is read as relative to
// the copied path itself: the Engine names the entries of the container's
// root so ("/", "/etc/hosts"), and Podman those of a volume's directory in
// a stopped container ("/", "/result.txt" for /data), so "/x" lands at
// dstDir/BASE/x (dstDir/x for the root) as "BASE/x" would. An existing
// file of the same name is replaced.
func (s *Service) CopyOut(ctx context.Context, id, src, dstDir string) error {
	rc, _, err := s.CopyFrom(ctx, id, src)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := extractTar(rc, dstDir, copyBase(src)); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("docker: copying %s out of container %s: %w", src, id, ctx.Err())
		}
		return fmt.Errorf("docker: copying %s out of container %s: %w", src, id, err)
	}
	return nil
}

// copyBase is the name the archive of the container path src is rooted
// at: its base name, or "." for the root.
func copyBase(src string) string {
	base := path.Base(path.Clean(strings.ReplaceAll(src, `\`, "/")))
	if base == "/" {
		return "."
	}
	return base
}

// extractTar extracts a tar stream below dst, confined to it. Absolute
// entry names are taken below base (see CopyOut).
func extractTar(r io.Reader, dst, base string) error {
	root, err := os.OpenRoot(dst)
	if err != nil {
		return err
	}
	defer root.Close()
	type dirTimes struct {
		name  string
		mode  fs.FileMode
		mtime time.Time
	}
	var dirs []dirTimes // modes and times applied at the end, deepest first
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name, err := localName(hdr.Name, base)
		if err != nil {
			return err
		}
		if name == "." {
			continue
		}
		if err := mkdirAll(root, path.Dir(name)); err != nil {
			return err
		}
		mode := hdr.FileInfo().Mode().Perm()
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := mkdirAll(root, name); err != nil {
				return err
			}
			dirs = append(dirs, dirTimes{name, mode, hdr.ModTime})
		case tar.TypeReg, tar.TypeRegA:
			if err := extractFile(root, dst, name, mode, hdr.ModTime, tr); err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := replace(root, name); err != nil {
				return err
			}
			if err := os.Symlink(hdr.Linkname, filepath.Join(dst, filepath.FromSlash(name))); err != nil {
				return err
			}
		case tar.TypeLink:
			target, err := localName(hdr.Linkname, base)
			if err != nil {
				return err
			}
			if fi, err := root.Lstat(target); err != nil || !fi.Mode().IsRegular() {
				return fmt.Errorf("tar entry %q: hard link to %q, which is not a regular file extracted before", hdr.Name, hdr.Linkname)
			}
			if err := replace(root, name); err != nil {
				return err
			}
			if err := os.Link(filepath.Join(dst, filepath.FromSlash(target)), filepath.Join(dst, filepath.FromSlash(name))); err != nil {
				return err
			}
		default:
			// Devices, named pipes and PAX global headers are skipped.
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		d := dirs[i]
		f, err := root.Open(d.name)
		if err != nil {
			return err
		}
		err = f.Chmod(d.mode)
		f.Close()
		if err != nil {
			return err
		}
		if err := setTimes(root, dst, d.name, d.mtime); err != nil {
			return err
		}
	}
	return nil
}

// localName cleans a tar entry name and rejects one that climbs out of
// the extraction directory. An absolute name is taken below base; cleaning
// it first drops any ".." that would climb above its root.
func localName(name, base string) (string, error) {
	clean := path.Clean(strings.ReplaceAll(name, `\`, "/"))
	if strings.HasPrefix(clean, "/") {
		clean = path.Join(base, clean[1:])
	}
	if !filepath.IsLocal(filepath.FromSlash(clean)) && clean != "." {
		return "", fmt.Errorf("tar entry %q would be written outside the destination", name)
	}
	return clean, nil
}

// mkdirAll creates dir and its parents inside root; each must end up a
// directory (symbolic links are followed only inside root).
func mkdirAll(root *os.Root, dir string) error {
	if dir == "." || dir == "" {
		return nil
	}
	cur := ""
	for _, elem := range strings.Split(dir, "/") {
		cur = path.Join(cur, elem)
		err := root.Mkdir(cur, 0o755)
		if err == nil {
			continue
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		fi, err := root.Stat(cur)
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return fmt.Errorf("%s exists and is not a directory", cur)
		}
	}
	return nil
}

// replace removes name inside root if it exists and is not a directory, so
// a link can take its place.
func replace(root *os.Root, name string) error {
	fi, err := root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s exists and is a directory", name)
	}
	return root.Remove(name)
}

// extractFile writes one regular file.
func extractFile(root *os.Root, dst, name string, mode fs.FileMode, mtime time.Time, r io.Reader) error {
	if fi, err := root.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// Write a new file rather than through an old link.
		if err := root.Remove(name); err != nil {
			return err
		}
	}
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return setTimes(root, dst, name, mtime)
}

// setTimes sets the modification time of name, which must not be a
// symbolic link (os.Chtimes would follow it).
func setTimes(root *os.Root, dst, name string, mtime time.Time) error {
	if mtime.IsZero() {
		return nil
	}
	fi, err := root.Lstat(name)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil
	}
	return os.Chtimes(filepath.Join(dst, filepath.FromSlash(name)), time.Time{}, mtime)
}
