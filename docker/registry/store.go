package registry

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/berth-go/berth/internal/cliconfig"
)

// Store finds registry credentials the way the docker CLI does, from a CLI
// configuration directory's config.json and the credential helpers it names.
// The file is read once, by NewStore; helpers run on every Get and All.
//
// A Store is safe for concurrent use. It holds no open resources, so there is
// nothing to close.
type Store struct {
	file     *cliconfig.File
	lookPath func(string) (string, error)
}

// StoreOption configures NewStore. An option can fail, which makes NewStore
// fail.
type StoreOption func(*storeConfig) error

type storeConfig struct {
	lookPath func(string) (string, error)
}

// WithLookPath sets how the Store finds a credential helper's executable from
// its name ("docker-credential-desktop"); the default is exec.LookPath, which
// searches $PATH. Tests and programs that keep helpers in a directory of their
// own use it to search there instead of changing the process's PATH.
func WithLookPath(lookPath func(file string) (string, error)) StoreOption {
	return func(c *storeConfig) error {
		if lookPath == nil {
			return errors.New("docker: WithLookPath: nil function")
		}
		c.lookPath = lookPath
		return nil
	}
}

// NewStore reads configDir/config.json (a missing file means no credentials)
// and returns a Store over it. An empty configDir means the CLI's directory,
// $DOCKER_CONFIG or $HOME/.docker (see the docker CLI's documentation), read
// from the process environment.
func NewStore(configDir string, opts ...StoreOption) (*Store, error) {
	cfg := storeConfig{lookPath: exec.LookPath}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if configDir == "" {
		configDir = cliconfig.Dir(os.Getenv)
	}
	f, err := cliconfig.Load(configDir)
	if err != nil {
		return nil, err
	}
	return &Store{file: f, lookPath: cfg.lookPath}, nil
}

// Get returns the credentials for serverAddress, which is first passed through
// ServerAddress (so "docker.io" and "" mean Docker Hub). As the CLI does, it
// asks, in this order, and only the first that applies:
//
//  1. the helper that config.json's "credHelpers" names for the registry;
//  2. the default helper named by "credsStore";
//  3. the entry of "auths", whose "auth" field is decoded into Username and
//     Password.
//
// Registry keys match when they are equal, or else when they name the same
// host: "https://registry.local:5000/v2/", "http://registry.local:5000" and
// "registry.local:5000" are one registry, and so are all of Docker Hub's names.
//
// A helper runs as `docker-credential-<name> get` with the server address on
// its standard input; a helper's username "<token>" means its secret is an
// identity token. No credentials (no entry, or a helper answering "credentials
// not found") give the zero AuthConfig and a nil error. A helper that is not
// installed, that fails, or that prints something other than credentials gives
// an error; cancelling ctx kills the helper and Get returns ctx's error.
func (s *Store) Get(ctx context.Context, serverAddress string) (AuthConfig, error) {
	addr := ServerAddress(serverAddress)
	if _, helper, ok := lookup(s.file.CredHelpers, addr); ok {
		return s.helperGet(ctx, helper, addr)
	}
	if s.file.CredsStore != "" {
		return s.helperGet(ctx, s.file.CredsStore, addr)
	}
	key, e, ok := lookup(s.file.Auths, addr)
	if !ok {
		return AuthConfig{}, nil
	}
	return s.fromEntry(key, e)
}

// All returns every credential the configuration knows, keyed by registry
// address, as a build's X-Registry-Config wants them (see EncodeConfigs):
// first the "auths" entries; then, when a "credsStore" is set, every registry
// its `list` reports, with the credentials its `get` gives; then each
// "credHelpers" registry with its helper's answer, which wins over the others.
//
// Like the CLI, All skips a "credHelpers" registry whose helper fails, so that
// one broken helper does not stop a build that may not need it; any other
// failure (an undecodable "auth", a failing "credsStore") is an error, and so is
// a cancelled ctx.
func (s *Store) All(ctx context.Context) (map[string]AuthConfig, error) {
	all := make(map[string]AuthConfig)
	for _, key := range slices.Sorted(maps.Keys(s.file.Auths)) {
		a, err := s.fromEntry(key, s.file.Auths[key])
		if err != nil {
			return nil, err
		}
		all[key] = a
	}
	if s.file.CredsStore != "" {
		servers, err := s.helperList(ctx, s.file.CredsStore)
		if err != nil {
			return nil, err
		}
		for _, server := range servers {
			a, err := s.helperGet(ctx, s.file.CredsStore, server)
			if err != nil {
				return nil, err
			}
			all[server] = a
		}
	}
	for _, key := range slices.Sorted(maps.Keys(s.file.CredHelpers)) {
		a, err := s.helperGet(ctx, s.file.CredHelpers[key], key)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			continue
		}
		all[key] = a
	}
	return all, nil
}

// fromEntry turns an "auths" entry stored under key into an AuthConfig, as the
// CLI does when it loads the file: "auth" is decoded into Username and
// Password and dropped, and ServerAddress is the key.
func (s *Store) fromEntry(key string, e cliconfig.AuthEntry) (AuthConfig, error) {
	a := AuthConfig{
		Username:      e.Username,
		Password:      e.Password,
		Email:         e.Email,
		ServerAddress: key,
		IdentityToken: e.IdentityToken,
		RegistryToken: e.RegistryToken,
	}
	if e.Auth != "" {
		user, pass, err := decodeBasic(e.Auth)
		if err != nil {
			return AuthConfig{}, fmt.Errorf("docker: config file %s: auths[%q]: %w", s.file.Path, key, err)
		}
		a.Username, a.Password = user, pass
	}
	return a, nil
}

// decodeBasic decodes config.json's "auth": standard base64 (padding
// optional) of "username:password". The password loses trailing NUL bytes,
// which some old tools wrote. Errors never include the value.
func decodeBasic(auth string) (user, pass string, err error) {
	data, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(auth), "="))
	if err != nil {
		return "", "", errors.New(`"auth" is not valid base64`)
	}
	user, pass, ok := strings.Cut(string(data), ":")
	if !ok {
		return "", "", errors.New(`"auth" does not decode to "username:password"`)
	}
	return user, strings.TrimRight(pass, "\x00"), nil
}

// lookup finds addr in m: the exact key, or else the first key in sorted order
// that names the same registry (see normalize).
func lookup[V any](m map[string]V, addr string) (string, V, bool) {
	if v, ok := m[addr]; ok {
		return addr, v, true
	}
	if want := normalize(addr); want != "" {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if normalize(k) == want {
				return k, m[k], true
			}
		}
	}
	var zero V
	return "", zero, false
}

// normalize reduces a registry address to what identifies the registry: the
// scheme and any path are dropped, the host is lower-cased, and Docker Hub's
// names become IndexServer. "https://Registry.local:5000/v2/" gives
// "registry.local:5000"; an address with no host gives "".
func normalize(addr string) string {
	h := strings.TrimSpace(addr)
	lower := strings.ToLower(h)
	for _, scheme := range []string{"https://", "http://"} {
		if strings.HasPrefix(lower, scheme) {
			h = h[len(scheme):]
			break
		}
	}
	h, _, _ = strings.Cut(h, "/")
	if h == "" {
		return ""
	}
	return ServerAddress(strings.ToLower(h))
}
