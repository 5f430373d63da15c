package docker

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"

	"github.com/berth-go/berth/internal/cliconfig"
)

// FromEnv configures the Client the way the docker CLI reads its
// environment, when New applies it:
//
//   - DOCKER_HOST sets the host, read as the CLI reads it (see WithHost:
//     "localhost:2375" is tcp, a port out of range is an error at New).
//     Without it, DOCKER_CONTEXT names a context
//     of the CLI's store, and without that, config.json's currentContext does
//     (the context "default" means the default host);
//   - DOCKER_API_VERSION pins the API version;
//   - DOCKER_CERT_PATH holds ca.pem, cert.pem and key.pem for TLS (default:
//     the config directory when DOCKER_TLS_VERIFY is set);
//     DOCKER_TLS_VERIFY turns TLS on with verification; DOCKER_TLS alone turns
//     it on without verifying the server, as the CLI's --tls does;
//   - DOCKER_CONFIG is the config directory (default ~/.docker); its
//     config.json's HttpHeaders are sent with every request.
//
// Variables that are unset leave earlier options alone. Unlike the CLI,
// DOCKER_CERT_PATH alone enables TLS with verification rather than without.
func FromEnv() Option {
	return func(s *settings) error { return s.fromEnv(os.Getenv) }
}

// WithContext selects a docker CLI context by name from the store in the
// config directory ($DOCKER_CONFIG or ~/.docker): its docker endpoint's host,
// TLS material and SkipTLSVerify. The name "default" means the default host.
// An unknown name is an error naming the store path looked at.
func WithContext(name string) Option {
	return func(s *settings) error {
		dir := cliconfig.Dir(os.Getenv)
		return s.useContext(dir, name, "WithContext")
	}
}

func (s *settings) fromEnv(getenv func(string) string) error {
	dir := cliconfig.Dir(getenv)
	cfg, err := cliconfig.Load(dir)
	if err != nil {
		return err // names the file
	}
	for k, v := range cfg.HTTPHeaders {
		if s.headers == nil {
			s.headers = make(map[string][]string)
		}
		s.headers.Set(k, v)
	}
	switch {
	case getenv("DOCKER_HOST") != "":
		host := getenv("DOCKER_HOST")
		if _, err := parseHost(host); err != nil {
			return fmt.Errorf("%w (from DOCKER_HOST)", err)
		}
		s.host, s.hostSource = host, "DOCKER_HOST"
	case getenv("DOCKER_CONTEXT") != "":
		if err := s.useContext(dir, getenv("DOCKER_CONTEXT"), "DOCKER_CONTEXT"); err != nil {
			return err
		}
	case cfg.CurrentContext != "":
		if err := s.useContext(dir, cfg.CurrentContext, "currentContext in "+cfg.Path); err != nil {
			return err
		}
	}
	if v := getenv("DOCKER_API_VERSION"); v != "" {
		if !validVersion(v) {
			return fmt.Errorf("docker: invalid DOCKER_API_VERSION %q: want MAJOR.MINOR", v)
		}
		s.apiVersion = v
	}
	verify := getenv("DOCKER_TLS_VERIFY") != ""
	certPath := getenv("DOCKER_CERT_PATH")
	if certPath == "" && verify {
		certPath = dir
	}
	if certPath != "" || getenv("DOCKER_TLS") != "" {
		cfg, err := tlsFromDir(certPath)
		if err != nil {
			return fmt.Errorf("%w (DOCKER_CERT_PATH=%s)", err, certPath)
		}
		cfg.InsecureSkipVerify = !verify && getenv("DOCKER_TLS") != "" // the CLI's --tls without --tlsverify
		s.tlsConfig = cfg
	}
	return nil
}

// tlsFromDir loads ca.pem, cert.pem and key.pem from dir, each if present.
func tlsFromDir(dir string) (*tls.Config, error) {
	if dir == "" {
		return loadTLSFiles("", "", "")
	}
	pick := func(name string) string {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			return ""
		}
		return p
	}
	return loadTLSFiles(pick("ca.pem"), pick("cert.pem"), pick("key.pem"))
}

// useContext applies the docker endpoint of a CLI context.
func (s *settings) useContext(dir, name, source string) error {
	if name == "default" {
		s.host, s.hostSource = DefaultHost, `context "default"`
		return nil
	}
	ctx, err := cliconfig.LoadContext(dir, name)
	if err != nil {
		return fmt.Errorf("%w (context named by %s)", err, source) // err names the context and the path
	}
	host := ctx.Host
	if host == "" {
		host = DefaultHost
	}
	if _, err := parseHost(host); err != nil {
		return fmt.Errorf("%w (context %q, %s)", err, name, ctx.MetaPath)
	}
	s.host, s.hostSource = host, fmt.Sprintf("context %q", name)
	if ctx.TLS != nil || ctx.SkipTLSVerify {
		var files cliconfig.TLSFiles
		if ctx.TLS != nil {
			files = *ctx.TLS
		}
		cfg, err := loadTLSFiles(files.CA, files.Cert, files.Key)
		if err != nil {
			return fmt.Errorf("%w (context %q)", err, name)
		}
		cfg.InsecureSkipVerify = ctx.SkipTLSVerify
		s.tlsConfig = cfg
	}
	return nil
}
