package cliconfig

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrContextNotFound is wrapped by the error LoadContext returns when the
// store has no context of the given name.
var ErrContextNotFound = errors.New("context not found")

// Context is a docker CLI context as far as the Engine is concerned: where it
// is and how to reach it.
type Context struct {
	Name          string    // the name asked for
	Description   string    // Metadata.Description, if any
	Host          string    // Endpoints.docker.Host, e.g. "tcp://build.local:2376"; empty means the default host
	SkipTLSVerify bool      // Endpoints.docker.SkipTLSVerify
	TLS           *TLSFiles // nil when the context has no TLS directory
	MetaPath      string    // the meta.json that was read (absolute)
}

// TLSFiles are the absolute paths of a context's TLS files. A field is empty
// when its file does not exist.
type TLSFiles struct {
	CA   string // ca.pem: the CA that signs the Engine's certificate
	Cert string // cert.pem: the client certificate
	Key  string // key.pem: the client certificate's private key
}

// ContextID returns the directory name the CLI's context store uses for a
// context: the hex-encoded SHA-256 of its name.
func ContextID(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

// LoadContext reads the context called name from the store under dir (the
// config directory): dir/contexts/meta/<ContextID>/meta.json and, when it
// exists, the directory dir/contexts/tls/<ContextID>/docker holding ca.pem,
// cert.pem and key.pem (each optional).
//
// The name "default" is not special here: the CLI's default context is not
// stored on disk, and callers treat it themselves. A missing context gives an
// error wrapping ErrContextNotFound that names the context and the path looked
// at; a meta.json that is not valid JSON, or that has no docker endpoint, gives
// an error naming the file.
func LoadContext(dir, name string) (*Context, error) {
	if name == "" {
		return nil, errors.New("docker: context name is empty")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("docker: context %q: %w", name, err)
	}
	id := ContextID(name)
	metaPath := filepath.Join(abs, "contexts", "meta", id, "meta.json")
	data, err := os.ReadFile(metaPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("docker: %w: %q (no %s)", ErrContextNotFound, name, metaPath)
	}
	if err != nil {
		return nil, fmt.Errorf("docker: context %q: %w", name, err)
	}
	c, err := parseMeta(name, metaPath, data)
	if err != nil {
		return nil, err
	}
	c.TLS, err = loadTLSFiles(filepath.Join(abs, "contexts", "tls", id, "docker"))
	if err != nil {
		return nil, fmt.Errorf("docker: context %q: %w", name, err)
	}
	return c, nil
}

// contextMeta is the shape of meta.json. Only the docker endpoint is
// decoded: other endpoints (kubernetes, from older CLIs) are ignored, and
// Metadata is kept raw so that a plugin's strange metadata does not make the
// context unreadable.
type contextMeta struct {
	Name      string
	Metadata  json.RawMessage
	Endpoints struct {
		Docker *dockerEndpoint `json:"docker"`
	}
}

type dockerEndpoint struct {
	Host          string
	SkipTLSVerify bool
}

// parseMeta decodes a meta.json read from path for the context name.
func parseMeta(name, path string, data []byte) (*Context, error) {
	var meta contextMeta
	if err := Unmarshal(data, &meta); err != nil {
		return nil, fmt.Errorf("docker: context %q: %s: %w", name, path, err)
	}
	ep := meta.Endpoints.Docker
	if ep == nil {
		return nil, fmt.Errorf("docker: context %q: %s has no docker endpoint", name, path)
	}
	c := &Context{
		Name:          name,
		Host:          ep.Host,
		SkipTLSVerify: ep.SkipTLSVerify,
		MetaPath:      path,
	}
	var md struct{ Description string }
	if json.Unmarshal(meta.Metadata, &md) == nil {
		c.Description = md.Description
	}
	return c, nil
}

// loadTLSFiles reports which of the TLS files exist in dir; nil when dir
// itself does not exist.
func loadTLSFiles(dir string) (*TLSFiles, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var t TLSFiles
	for _, f := range []struct {
		name string
		dst  *string
	}{{"ca.pem", &t.CA}, {"cert.pem", &t.Cert}, {"key.pem", &t.Key}} {
		p := filepath.Join(dir, f.name)
		_, err := os.Stat(p)
		switch {
		case err == nil:
			*f.dst = p
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
	}
	return &t, nil
}
