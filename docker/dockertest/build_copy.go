package dockertest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// copy runs COPY and ADD: files and directories of the build context (or,
// with --from, of an earlier stage or an image) go into the stage's files.
// ADD also unpacks local tar archives; it cannot fetch URLs.
func (b *builder) copy(in instruction) error {
	st := b.cur
	words, ok := execForm(in.args)
	if !ok {
		words = b.lx.rawWords(in.args)
	}
	for i, w := range words {
		x, err := b.lx.word(w)
		if err != nil {
			return err
		}
		words[i] = x
	}
	if len(words) < 2 {
		return stepErrorf("%s requires at least two arguments, but only one was provided. Destination could not be determined.", in.cmd)
	}
	srcs, dest := words[:len(words)-1], words[len(words)-1]
	from := b.context
	if ref, ok := in.flag("from"); ok {
		if prev := b.stageNamed(ref); prev != nil {
			from = prev.files
		} else {
			im, _, err := b.image(ref)
			if err != nil {
				return err
			}
			from = im.files
		}
	}
	own, err := ownership(in)
	if err != nil {
		return err
	}
	intoDir := strings.HasSuffix(dest, "/") || len(srcs) > 1
	if !path.IsAbs(dest) {
		dest = path.Join("/", st.config.WorkingDir, dest)
	}
	dest = clean(dest)
	if ds, ok := st.files.stat(dest); ok && ds.Mode.IsDir() {
		intoDir = true
	}
	var matches []string
	for _, src := range srcs {
		if in.cmd == "ADD" && (strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://")) {
			return stepErrorf("dockertest: ADD from a URL (%s) is not supported by the fake Engine", src)
		}
		p := clean("/" + src)
		if strings.ContainsAny(src, "*?[") {
			for _, q := range from.Paths() {
				if ok, _ := path.Match(p, q); ok {
					matches = append(matches, q)
				}
			}
			continue
		}
		if _, ok := from.stat(p); !ok {
			return stepErrorf("%s failed: file not found in build context or excluded by .dockerignore: stat %s: file does not exist", in.cmd, src)
		}
		matches = append(matches, p)
	}
	if len(matches) == 0 {
		return stepErrorf("%s failed: no source files were specified", in.cmd)
	}
	if len(matches) > 1 && !intoDir {
		return stepErrorf("When using %s with more than one source file, the destination must be a directory and end with a /", in.cmd)
	}
	for _, p := range matches {
		if in.cmd == "ADD" {
			if r := archiveReader(from, p); r != nil {
				if err := st.files.MkdirAll(dest, 0o755); err != nil {
					return stepErrorf("%s failed: %v", in.cmd, err)
				}
				if err := st.files.extractTar(r, dest, false, nil, nil); err != nil {
					return stepErrorf("%s failed: %v", in.cmd, err)
				}
				continue
			}
		}
		copyPath(from, p, st.files, dest, intoDir, own)
	}
	return nil
}

// ownership reads --chown (numeric uid[:gid], or root) and --chmod (octal)
// into a function that applies them to a copied node.
func ownership(in instruction) (func(*node), error) {
	uid, gid := 0, 0
	var mode *fs.FileMode
	if v, ok := in.flag("chown"); ok {
		u, g, hasG := strings.Cut(v, ":")
		id := func(s string) (int, error) {
			if s == "root" {
				return 0, nil
			}
			n, err := strconv.Atoi(s)
			if err != nil {
				return 0, stepErrorf("unable to convert uid/gid chown string to host mapping: can't find uid for user %s: no such user: %s", s, s)
			}
			return n, nil
		}
		var err error
		if uid, err = id(u); err != nil {
			return nil, err
		}
		gid = uid
		if hasG {
			if gid, err = id(g); err != nil {
				return nil, err
			}
		}
	}
	if v, ok := in.flag("chmod"); ok {
		n, err := strconv.ParseUint(v, 8, 32)
		if err != nil {
			return nil, stepErrorf("invalid chmod parameter: %s", v)
		}
		m := fs.FileMode(n).Perm()
		mode = &m
	}
	return func(n *node) {
		n.uid, n.gid = uid, gid
		if mode != nil && n.mode&fs.ModeSymlink == 0 {
			n.mode = n.mode&^fs.ModePerm | *mode
		}
	}, nil
}

// copyPath copies src of from to dst of to: a directory's contents into
// dst, a file or link to dst, or into it when intoDir.
func copyPath(from *FS, src string, to *FS, dst string, intoDir bool, own func(*node)) {
	st, _ := from.stat(src)
	entries, _ := from.collect(src, ".")
	target := dst
	if !st.Mode.IsDir() && intoDir {
		target = path.Join(dst, path.Base(src))
	}
	to.mu.Lock()
	defer to.mu.Unlock()
	for _, e := range entries {
		n := e.n
		n.data = append([]byte(nil), n.data...)
		own(&n)
		p := clean(path.Join(target, e.name))
		if old, ok := to.nodes[p]; ok && old.mode.IsDir() && n.mode.IsDir() {
			old.mode, old.uid, old.gid = n.mode, n.uid, n.gid
			continue
		}
		_ = to.put(p, &n)
	}
}

// archiveReader opens a file of from as a tar archive (plain or gzip) if
// it is one, for ADD to unpack; nil otherwise.
func archiveReader(from *FS, p string) io.Reader {
	data, err := from.ReadFile(p)
	if err != nil {
		return nil
	}
	var r io.Reader = bytes.NewReader(data)
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil
		}
		plain, err := io.ReadAll(gz)
		if err != nil {
			return nil
		}
		r, data = bytes.NewReader(plain), plain
	}
	if _, err := tar.NewReader(bytes.NewReader(data)).Next(); err != nil {
		return nil
	}
	return r
}
