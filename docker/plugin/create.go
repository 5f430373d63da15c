package plugin

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// Create creates a plugin named name from a creation context: an
// uncompressed tar stream holding config.json (a Config) and the plugin's
// root file system under rootfs/. WriteContext writes one. The plugin is
// created disabled. The context is streamed as read, so WithTimeout does not
// cut a large upload; ctx does.
//
// A name already in use is docker.ErrConflict; a context without
// config.json or rootfs is refused with a *docker.Error. Engine 20.10 also
// refuses, with docker.ErrConflict ("content sha256:...: already exists"),
// a context whose rootfs is byte for byte one it stores already for another
// plugin: make each rootfs differ (a file naming the plugin will do). An
// empty name or a nil context is a local error.
//
// API: POST /plugins/create
func (s *Service) Create(ctx context.Context, name string, tarContext io.Reader) error {
	if name == "" {
		return errors.New("docker: plugin name is empty")
	}
	if tarContext == nil {
		return errors.New("docker: plugin create: nil context")
	}
	var q httpx.Query
	q.Set("name", name)
	return s.cli.DoJSON(ctx, &docker.Request{
		Method: http.MethodPost,
		Path:   "/plugins/create",
		Query:  q.Values(),
		Header: http.Header{"Content-Type": {"application/x-tar"}},
		Body:   tarContext,
		Stream: true,
	}, nil)
}

// readLinkFS is the shape of file systems that can read symbolic links
// (os.DirFS can, from Go 1.25).
type readLinkFS interface {
	ReadLink(name string) (string, error)
}

// WriteContext writes a plugin creation context for Create to w: cfg as
// config.json, then every file of rootfs under rootfs/, keeping modes and
// modification times. Symbolic links are copied when rootfs can read them
// (it has a ReadLink(name) (string, error) method, as os.DirFS has from Go
// 1.25); otherwise WriteContext fails on the first one. Special files
// (devices, sockets, pipes) are refused.
func WriteContext(w io.Writer, cfg Config, rootfs fs.FS) error {
	tw := tar.NewWriter(w)
	b, err := json.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("docker: plugin context: encoding config.json: %w", err)
	}
	if err := tw.WriteHeader(&tar.Header{Name: "config.json", Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	if _, err := tw.Write(b); err != nil {
		return err
	}
	err = fs.WalkDir(rootfs, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		target := ""
		if info.Mode()&fs.ModeSymlink != 0 {
			rl, ok := rootfs.(readLinkFS)
			if !ok {
				return fmt.Errorf("docker: plugin context: %s is a symbolic link and the file system cannot read links", name)
			}
			if target, err = rl.ReadLink(name); err != nil {
				return err
			}
		}
		hdr, err := tar.FileInfoHeader(info, target)
		if err != nil {
			return fmt.Errorf("docker: plugin context: %s: %w", name, err)
		}
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeDir, tar.TypeSymlink:
		default:
			return fmt.Errorf("docker: plugin context: %s: unsupported file type %v", name, info.Mode().Type())
		}
		hdr.Name = path.Join("rootfs", name)
		if hdr.Typeflag == tar.TypeDir {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil
		}
		f, err := rootfs.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := io.Copy(tw, f); err != nil {
			return fmt.Errorf("docker: plugin context: %s: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tw.Close()
}
