package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/internal/cliconfig"
)

func runLogin(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "login", "-u USER (--password-stdin | -p PASSWORD) [--no-store] [SERVER]")
	user := fs.String("u", "", "the user name")
	password := fs.String("p", "", "the password (visible to other users of this machine: prefer --password-stdin)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	noStore := fs.Bool("no-store", false, "only check the credentials")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return errors.New("login takes at most one server")
	}
	if *user == "" {
		return errors.New("login needs -u USER")
	}
	switch {
	case *fromStdin && *password != "":
		return errors.New("-p and --password-stdin exclude each other")
	case *fromStdin:
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading the password: %w", err)
		}
		*password = strings.TrimRight(line, "\r\n")
	case *password != "":
		fmt.Fprintln(e.stderr, "WARNING! Using -p on the command line is insecure: use --password-stdin.")
	default:
		return errors.New("login needs --password-stdin or -p")
	}
	if *password == "" {
		return errors.New("the password is empty")
	}
	server := registry.IndexServer
	if fs.NArg() == 1 {
		server = loginKey(fs.Arg(0))
	}
	auth := registry.AuthConfig{Username: *user, Password: *password, ServerAddress: server}
	res, err := e.cli.Login(ctx, auth)
	if err != nil {
		return err
	}
	if !*noStore {
		if res.IdentityToken != "" {
			auth.Password, auth.IdentityToken = "", res.IdentityToken
		}
		path, err := storeLogin(auth)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "WARNING! Your credentials are stored unencrypted in %s.\n", path)
	}
	fmt.Fprintln(e.stdout, res.Status)
	return nil
}

// loginKey returns the config.json key for a registry as given on the
// command line: Docker Hub's names become registry.IndexServer, and other
// registries are keyed by host[:port], without scheme or path.
func loginKey(server string) string {
	s := strings.TrimSpace(server)
	for _, scheme := range []string{"https://", "http://"} {
		s = strings.TrimPrefix(s, scheme)
	}
	s, _, _ = strings.Cut(s, "/")
	return registry.ServerAddress(s)
}

// storeLogin writes auth into the "auths" of the docker CLI's config.json
// ($DOCKER_CONFIG or ~/.docker), as the CLI does without a credential store,
// keeping everything else in the file. It refuses when the file names a
// credential helper for the registry: berth does not write through helpers.
// It returns the file's path.
func storeLogin(auth registry.AuthConfig) (string, error) {
	dir := cliconfig.Dir(os.Getenv)
	path := filepath.Join(dir, "config.json")
	cfg := map[string]json.RawMessage{}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := cliconfig.Unmarshal(data, &cfg); err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return "", err
	}
	var helpers struct {
		CredsStore  string            `json:"credsStore"`
		CredHelpers map[string]string `json:"credHelpers"`
	}
	_ = cliconfig.Unmarshal(data, &helpers) // checked above
	if helpers.CredsStore != "" || helpers.CredHelpers[auth.ServerAddress] != "" {
		return "", fmt.Errorf("%s names a credential helper, which berth cannot store through; use `docker login`, or --no-store", path)
	}
	auths := map[string]map[string]string{}
	if raw, ok := cfg["auths"]; ok {
		if err := cliconfig.Unmarshal(raw, &auths); err != nil {
			return "", fmt.Errorf("%s: auths: %w", path, err)
		}
		if auths == nil {
			auths = map[string]map[string]string{}
		}
	}
	entry := map[string]string{"auth": base64.StdEncoding.EncodeToString([]byte(auth.Username + ":" + auth.Password))}
	if auth.IdentityToken != "" {
		entry["identitytoken"] = auth.IdentityToken
	}
	auths[auth.ServerAddress] = entry
	if cfg["auths"], err = json.Marshal(auths); err != nil {
		return "", err
	}
	out, err := json.MarshalIndent(cfg, "", "\t")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, "config.json.tmp-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(out, '\n')); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp.Name(), path)
}
