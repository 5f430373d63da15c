package plugin

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCreate(t *testing.T) {
	t.Parallel()
	s, f := setup(t)
	var contentType string
	f.Mux.HandleFunc("POST /v1.41/plugins/create", func(w http.ResponseWriter, r *http.Request) {
		contentType = r.Header.Get("Content-Type")
		w.WriteHeader(http.StatusNoContent)
	})
	if err := s.Create(t.Context(), "reg:5000/team/p:1", strings.NewReader("tar bytes")); err != nil {
		t.Fatal(err)
	}
	r := f.Last(t)
	if diff := cmp.Diff(url.Values{"name": {"reg:5000/team/p:1"}}, r.Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	if r.Body != "tar bytes" || contentType != "application/x-tar" {
		t.Errorf("body %q with Content-Type %q", r.Body, contentType)
	}
}

// linkFS adds ReadLink to a MapFS, whose symlink entries hold their target
// as data.
type linkFS struct{ fstest.MapFS }

func (l linkFS) ReadLink(name string) (string, error) {
	f, ok := l.MapFS[name]
	if !ok || f.Mode&fs.ModeSymlink == 0 {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	return string(f.Data), nil
}

// openOnly hides every method but Open.
type openOnly struct{ fs fs.FS }

func (o openOnly) Open(name string) (fs.File, error) { return o.fs.Open(name) }

type tarEntry struct {
	Name     string
	Type     byte
	Mode     int64
	Linkname string
	Data     string
}

func readTar(t *testing.T, b []byte) []tarEntry {
	t.Helper()
	var out []tarEntry
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tarEntry{Name: h.Name, Type: h.Typeflag, Mode: h.Mode & 0o7777, Linkname: h.Linkname, Data: string(data)})
	}
}

func TestWriteContext(t *testing.T) {
	t.Parallel()
	mtime := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	rootfs := fstest.MapFS{
		"bin/tool":     {Data: []byte("#!binary"), Mode: 0o755, ModTime: mtime},
		"etc/conf":     {Data: []byte("x=1\n"), Mode: 0o644, ModTime: mtime},
		"bin/tool-old": {Data: []byte("tool"), Mode: fs.ModeSymlink | 0o777, ModTime: mtime},
	}
	cfg := Config{
		Description: "test plugin",
		Interface:   Interface{Types: []string{"docker.volumedriver/1.0"}, Socket: "p.sock"},
		Entrypoint:  []string{"/bin/tool"},
		Network:     NetworkConfig{Type: "none"},
		Env:         []Env{{Name: "DEBUG", Settable: []string{"value"}, Value: "0"}},
	}
	var buf bytes.Buffer
	if err := WriteContext(&buf, cfg, linkFS{rootfs}); err != nil {
		t.Fatal(err)
	}
	got := readTar(t, buf.Bytes())
	if len(got) == 0 || got[0].Name != "config.json" {
		t.Fatalf("first entry %+v, want config.json", got)
	}
	var back Config
	if err := json.Unmarshal([]byte(got[0].Data), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cfg, back); diff != "" {
		t.Errorf("config.json round trip (-want +got):\n%s", diff)
	}
	if strings.Contains(got[0].Data, "rootfs") || strings.Contains(got[0].Data, "DockerVersion") || strings.Contains(got[0].Data, `"User"`) {
		t.Errorf("config.json carries daemon-only fields: %s", got[0].Data)
	}
	want := []tarEntry{
		{Name: "rootfs/", Type: tar.TypeDir, Mode: 0o555},
		{Name: "rootfs/bin/", Type: tar.TypeDir, Mode: 0o555},
		{Name: "rootfs/bin/tool", Type: tar.TypeReg, Mode: 0o755, Data: "#!binary"},
		{Name: "rootfs/bin/tool-old", Type: tar.TypeSymlink, Mode: 0o777, Linkname: "tool"},
		{Name: "rootfs/etc/", Type: tar.TypeDir, Mode: 0o555},
		{Name: "rootfs/etc/conf", Type: tar.TypeReg, Mode: 0o644, Data: "x=1\n"},
	}
	if diff := cmp.Diff(want, got[1:]); diff != "" {
		t.Errorf("rootfs entries (-want +got):\n%s", diff)
	}
}

func TestWriteContextRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		rootfs fs.FS
		want   string
	}{
		{"symlink without ReadLink", openOnly{fstest.MapFS{"l": {Data: []byte("x"), Mode: fs.ModeSymlink}}}, "cannot read links"},
		{"named pipe", fstest.MapFS{"p": {Mode: fs.ModeNamedPipe}}, "unsupported file type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := WriteContext(io.Discard, Config{}, tc.rootfs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestWriteContextPassesWriteErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk full")
	err := WriteContext(failWriter{boom}, Config{}, fstest.MapFS{"f": {Data: []byte("x")}})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }
