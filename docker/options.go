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
	"net/url"
	"os"
	"runtime"
	"time"

	"github.com/berth-go/berth/internal/h1"
)

// Option configures a Client in New. Options are applied in order and later
// ones win. An Option can fail, and New returns its error.
type Option func(*settings) error

// settings collects what the options say before New builds the Client.
type settings struct {
	host       string
	hostSource string
	apiVersion string
	custom     *customTransport // WithTransport or WithHTTPClient
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
// is), ssh://[user@]host[:port] or npipe:////./pipe/name.
func WithHost(host string) Option {
	return func(s *settings) error {
		if _, err := parseHost(host, false); err != nil {
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

// WithTransport sets the http.RoundTripper requests go through, for example
// one that wraps another for tracing or recording. Hijacked connections
// (attach, exec) cannot ride a RoundTripper; they still dial the host
// directly, with the dialer of rt when rt is an *http.Transport, else with
// the Client's own dialer and TLS settings.
func WithTransport(rt http.RoundTripper) Option {
	return func(s *settings) error {
		if rt == nil {
			return errors.New("docker: WithTransport: nil transport")
		}
		s.custom = &customTransport{
			send: func(r *http.Request) (*http.Response, error) {
				resp, err := rt.RoundTrip(r)
				if err != nil {
					// As http.Client.Do would wrap it.
					return nil, &url.Error{Op: urlErrorOp(r.Method), URL: r.URL.String(), Err: err}
				}
				return resp, nil
			},
			closeIdle: func() {
				if ci, ok := rt.(interface{ CloseIdleConnections() }); ok {
					ci.CloseIdleConnections()
				}
			},
			dialContext: transportDialContext(rt),
		}
		return nil
	}
}

// WithHTTPClient makes requests go through hc (a copy of it: berth sets its
// own redirect policy, never following redirects). Hijacked connections dial
// the host as WithTransport describes.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return errors.New("docker: WithHTTPClient: nil client")
		}
		own := *hc
		own.CheckRedirect = func(*http.Request, []*http.Request) error {
			// The Engine never redirects; a redirect would come from path
			// cleaning, and following it could reach another endpoint.
			return http.ErrUseLastResponse
		}
		s.custom = &customTransport{
			send:        own.Do,
			closeIdle:   own.CloseIdleConnections,
			dialContext: transportDialContext(own.Transport),
		}
		return nil
	}
}

// WithDialer sets how connections to the daemon are opened, for requests and
// for hijacked sessions alike. network and addr are those of the host:
// ("unix", "/var/run/docker.sock"), ("tcp", "host:2376"), ("ssh", "host"),
// ("npipe", `\\.\pipe\docker_engine`). TLS, when configured, is layered on
// top of the returned connection.
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

// build turns the settings into a Client.
func (s *settings) build() (*Client, error) {
	tlsOn := s.tlsConfig != nil
	h, err := parseHost(s.host, tlsOn)
	if err != nil {
		return nil, err
	}
	h.source = s.hostSource
	if h.scheme == "https" && s.tlsConfig == nil {
		s.tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		tlsOn = true
	}
	if h.scheme == "http" {
		tlsOn = false
	}
	c := &Client{
		host:      h,
		pinned:    s.apiVersion,
		userAgent: s.userAgent,
		timeout:   s.timeout,
		logger:    s.logger,
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	c.baseHeader = make(http.Header, len(s.headers)+1)
	for k, vs := range s.headers {
		c.baseHeader[k] = append([]string(nil), vs...)
	}
	c.baseHeader["User-Agent"] = []string{c.userAgent}
	if tlsOn {
		c.tlsConfig = s.tlsConfig.Clone()
		c.handshakeTimeout = tlsHandshakeTimeout
	}
	c.base.Scheme = h.urlScheme(tlsOn)
	c.base.Host = h.urlHost()
	c.base.Path = h.basePath

	c.dial = h.dialer(s.dialer)
	if s.custom != nil {
		c.custom = s.custom
		if s.custom.dialContext != nil && s.dialer == nil {
			c.dial = transportDial(s.custom.dialContext, h)
		}
		return c, nil
	}
	c.pool = &h1.Transport{Dial: c.connect, MaxIdle: 100, IdleTimeout: 90 * time.Second}
	return c, nil
}

// customTransport is how requests go when the user supplied the transport
// (WithTransport) or the whole client (WithHTTPClient). Everything that
// touches the user's value lives in these funcs, made by those options, so
// a program that uses neither links none of net/http's Transport.
type customTransport struct {
	send        func(*http.Request) (*http.Response, error)
	closeIdle   func()
	dialContext func(ctx context.Context, network, addr string) (net.Conn, error) // for hijacks; may be nil
}

// transportDialContext returns the DialContext of rt when it is an
// *http.Transport that has one.
func transportDialContext(rt http.RoundTripper) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if t, ok := rt.(*http.Transport); ok {
		return t.DialContext
	}
	return nil
}

// transportDial uses a user transport's DialContext for hijacked sessions.
func transportDial(dialContext func(ctx context.Context, network, addr string) (net.Conn, error), h *hostSpec) dialFunc {
	network := "tcp"
	if h.scheme == "unix" {
		network = "unix"
	}
	return func(ctx context.Context) (net.Conn, error) {
		return dialContext(ctx, network, h.addr)
	}
}
