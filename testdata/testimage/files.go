package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func cmdWriteFile(args []string) error {
	if len(args) != 2 {
		return usagef("want PATH CONTENT")
	}
	if err := os.MkdirAll(filepath.Dir(args[0]), 0o755); err != nil {
		return err
	}
	return os.WriteFile(args[0], []byte(args[1]), 0o644)
}

func cmdMkdir(args []string) error {
	if len(args) != 1 {
		return usagef("want PATH")
	}
	return os.MkdirAll(args[0], 0o755)
}

func cmdLs(args []string) error {
	if len(args) != 1 {
		return usagef("want DIR")
	}
	root := args[0]
	type entry struct{ path, line string }
	var entries []entry
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if path == root {
			return err
		}
		// An entry that vanished during the walk (as under /proc) is skipped.
		if err != nil {
			return skipGone(err)
		}
		info, err := d.Info()
		if err != nil {
			return skipGone(err)
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		var size int64
		if info.Mode().IsRegular() {
			size = info.Size()
		}
		rel = filepath.ToSlash(rel)
		line := fmt.Sprintf("%s %d %s", info.Mode(), size, rel)
		if info.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			line += " -> " + target
		}
		entries = append(entries, entry{path: rel, line: line})
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.path, b.path) })
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.line)
		b.WriteByte('\n')
	}
	_, err = io.WriteString(os.Stdout, b.String())
	return err
}

// skipGone returns nil for an error saying a file does not exist, else err.
func skipGone(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func cmdSHA256(args []string) error {
	if len(args) == 0 {
		return usagef("want PATH...")
	}
	for _, path := range args {
		sum, err := fileSHA256(path)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(os.Stdout, "%s  %s\n", sum, path); err != nil {
			return err
		}
	}
	return nil
}

// fileSHA256 returns the hex sha256 of the file at path.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func cmdCatFile(args []string) error {
	if len(args) != 1 {
		return usagef("want PATH")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(os.Stdout, f)
	return err
}
