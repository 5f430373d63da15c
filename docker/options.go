package docker

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"time"
)

// Option configures a Client in New. Options are applied in order and later
// ones win. An Option can fail, and New returns its error.
type Option func(*settings) error

// settings collects what the options say before New builds the Client.
type settings struct {
	host       string
	hostSource string
	apiVersion string
	transport  http.RoundTripper // WithTransport
	httpClient *http.Client      // WithHTTPClient
	dialer     func(ctx context.Context, network, addr string) (net.Conn, error)
	tlsConfig  *tls.Config
	userAgent  string
	headers    http.Header
	timeout    time.Duration
	logger     debugLogger
}

// DefaultHost is the daemon address used when no option names one.
var DefaultHost = defaultHost()

func defaultHost() string {
	if runtime.GOOS == "windows" {
		return "npipe:////./pipe/docker_engine"
	}
	return "unix:///var/run/docker.sock"
}

// WithHost sets the daemon address: unix:///path, tcp://host:port,
// http://host:port, https://host:port (an httptest server's URL works as
// is), ssh://[user@]host[:port] or npipe:////./pipe/name. It is read as the
// docker CLI reads DOCKER_HOST: "host:port" without a scheme is tcp, a tcp
// port left out is 2375, "unix://" alone is the default socket; a port out
// of the range 1 to 65535 is an error. Named pipes work only on Windows, in
// programs built with Go 1.25 or newer (whose os package drives the
// overlapped pipe handles a connection needs).
func WithHost(host string) Option {
	return func(s *settings) error {
		if _, err := parseHost(host); err != nil {
			return err
		}
		s.host, s.hostSource = host, "WithHost"
		return nil
	}
}

// WithAPIVersion pins the API version ("1.41"): no negotiation happens, and
// every request uses exactly this version.
func WithAPIVersion(version string) Option {
	return func(s *settings) error {
		if !validVersion(version) {
			return fmt.Errorf("docker: invalid API version %q: want MAJOR.MINOR such as %s", version, MaxAPIVersion)
		}
		s.apiVersion = version
		return nil
	}
}

// WithTransport sets the http.RoundTripper requests go through, instead
// of the *http.Transport New makes: for example one that wraps another for
// tracing or recording. Hijacked connections (attach, exec) cannot ride a
// RoundTripper; they still dial the host directly, with the DialContext of
// rt when rt is an *http.Transport that has one, else with the Client's own
// dialer and TLS settings.
func WithTransport(rt http.RoundTripper) Option {
	return func(s *settings) error {
		if rt == nil {
			return errors.New("docker: WithTransport: nil transport")
		}
		s.transport, s.httpClient = rt, nil
		return nil
	}
}

// WithHTTPClient makes requests go through hc (a copy of it: berth sets its
// own redirect policy, never following redirects); its Timeout and Jar
// apply. Hijacked connections dial the host as WithTransport describes.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return errors.New("docker: WithHTTPClient: nil client")
		}
		s.httpClient, s.transport = hc, nil
		return nil
	}
}

// WithDialer sets how connections to the daemon are opened, for requests and
// for hijacked sessions alike. network and addr are those of the host:
// ("unix", "/var/run/docker.sock"), ("tcp", "host:2376"), ("ssh", "host"),
// ("npipe", `\\.\pipe\docker_engine`). TLS, when configured, is layered on
// top of the returned connection. For tcp:// and https:// hosts, requests
// ask for the address of the proxy instead when the environment names one
// (HTTP_PROXY, HTTPS_PROXY, NO_PROXY: see http.ProxyFromEnvironment).
func WithDialer(dial func(ctx context.Context, network, addr string) (net.Conn, error)) Option {
	return func(s *settings) error {
		if dial == nil {
			return errors.New("docker: WithDialer: nil dialer")
		}
		s.dialer = dial
		return nil
	}
}

// WithTLSConfig sets the TLS configuration for tcp:// and https:// hosts
// (a clone of cfg is kept). Certificates are verified unless cfg says
// otherwise.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(s *settings) error {
		if cfg == nil {
			s.tlsConfig = nil
			return nil
		}
		s.tlsConfig = cfg.Clone()
		return nil
	}
}

// WithTLSFiles loads a CA bundle and a client key pair from PEM files, as
// the docker CLI's --tlscacert, --tlscert and --tlskey do. Any of them may be
// empty: no CA means the system roots, no cert/key means no client
// certificate (cert and key go together). The server is always verified.
func WithTLSFiles(caFile, certFile, keyFile string) Option {
	return func(s *settings) error {
		cfg, err := loadTLSFiles(caFile, certFile, keyFile)
		if err != nil {
			return err
		}
		s.tlsConfig = cfg
		return nil
	}
}

func loadTLSFiles(caFile, certFile, keyFile string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("docker: reading the TLS CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("docker: TLS CA file %s holds no PEM certificate", caFile)
		}
		cfg.RootCAs = pool
	}
	if (certFile == "") != (keyFile == "") {
		return nil, fmt.Errorf("docker: TLS client certificate and key go together: got cert %q and key %q", certFile, keyFile)
	}
	if certFile != "" {
		certPEM, err := os.ReadFile(certFile)
		if err != nil {
			return nil, fmt.Errorf("docker: reading the TLS certificate: %w", err)
		}
		keyPEM, err := os.ReadFile(keyFile)
		if err != nil {
			return nil, fmt.Errorf("docker: reading the TLS key: %w", err)
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			// The error names no key material, only what is wrong.
			return nil, fmt.Errorf("docker: TLS certificate %s and key %s: %w", certFile, keyFile, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// WithUserAgent sets the User-Agent header of every request.
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		s.userAgent = ua
		return nil
	}
}

// WithHeader adds a header sent with every request (as the CLI's
// config.json HttpHeaders do). It may be given several times.
func WithHeader(key, value string) Option {
	return func(s *settings) error {
		if key == "" {
			return errors.New("docker: WithHeader: empty header name")
		}
		if s.headers == nil {
			s.headers = http.Header{}
		}
		s.headers.Add(key, value)
		return nil
	}
}

// WithTimeout bounds each non-streaming call (inspect, list, create, ...),
// including reading its response. Streams (logs, events, stats, attach,
// pull, build) are never cut by it: bound those with their context.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("docker: WithTimeout: negative timeout %v", d)
		}
		s.timeout = d
		return nil
	}
}

// WithLogger sets where the Client logs one Debug line per request (method,
// path, status, duration). Credentials are never logged. The default
// discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		s.logger = nil
		if l != nil {
			s.logger = slogLogger{l}
		}
		return nil
	}
}
