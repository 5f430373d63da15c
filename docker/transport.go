package docker

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// dialContextFunc is the shape of net.Dialer.DialContext and
// http.Transport.DialContext.
type dialContextFunc = func(ctx context.Context, network, addr string) (net.Conn, error)

// build turns the settings into a Client.
func (s *settings) build() (*Client, error) {
	tlsOn := s.tlsConfig != nil
	h, err := parseHost(s.host)
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
		c.tlsConfig = http1Only(s.tlsConfig)
		c.handshakeTimeout = tlsHandshakeTimeout
	}
	c.base.Scheme = h.urlScheme(tlsOn)
	c.base.Host = h.urlHost()
	c.base.Path = h.basePath

	c.dial = h.dialer(s.dialer)
	switch {
	case s.httpClient != nil:
		hc := *s.httpClient
		hc.CheckRedirect = func(*http.Request, []*http.Request) error {
			// The Engine never redirects; a redirect would come from path
			// cleaning, and following it could reach another endpoint.
			return http.ErrUseLastResponse
		}
		c.hc = &hc
		c.rt = hc.Transport
		if dc := transportDialContext(hc.Transport); dc != nil && s.dialer == nil {
			c.dial = transportDial(dc, h)
		}
	case s.transport != nil:
		c.rt = s.transport
		if dc := transportDialContext(s.transport); dc != nil && s.dialer == nil {
			c.dial = transportDial(dc, h)
		}
	default:
		c.own = c.newTransport(s.dialer)
		c.rt = c.own
	}
	return c, nil
}

// newTransport makes the Client's own *http.Transport, shaped by the kind
// of host. custom is WithDialer's dialer, if any.
func (c *Client) newTransport(custom dialContextFunc) *http.Transport {
	t := &http.Transport{
		// Every request goes to the one daemon, so the per-host limit is
		// the pool: concurrent callers each keep a connection instead of
		// dialling and dropping one per call (the default keeps two).
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ExpectContinueTimeout: time.Second,
		// The Engine never compresses its answers: asking would only cost
		// a header on every request.
		DisableCompression: true,
	}
	switch c.host.scheme {
	case "unix", "npipe", "ssh":
		// The socket, pipe or ssh command is the address whatever the URL
		// names, and no proxy can stand in between.
		dial := c.dial
		t.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx) }
	default: // tcp, http, https
		// As the docker CLI and net/http's default: HTTP_PROXY, HTTPS_PROXY
		// and NO_PROXY apply (never to loopback addresses). The transport
		// dials the proxy or the daemon, so the dialer gets its address.
		t.Proxy = http.ProxyFromEnvironment
		if custom == nil {
			d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
			custom = d.DialContext
		}
		t.DialContext = custom
		t.TLSClientConfig = c.tlsConfig
	}
	return t
}

// http1Only returns a clone of cfg that offers only HTTP/1.1 in ALPN. The
// Engine speaks HTTP/1.1 (attach and exec upgrade the connection, which
// HTTP/2 cannot), and net/http's Transport speaks HTTP/1.1 on a connection
// whatever ALPN chose: a user's config offering "h2" to a server that
// takes it would break every request.
func http1Only(cfg *tls.Config) *tls.Config {
	cfg = cfg.Clone()
	cfg.NextProtos = []string{"http/1.1"}
	return cfg
}

// transportDialContext returns the DialContext of rt when it is an
// *http.Transport that has one.
func transportDialContext(rt http.RoundTripper) dialContextFunc {
	if t, ok := rt.(*http.Transport); ok {
		return t.DialContext
	}
	return nil
}

// transportDial uses a user transport's DialContext for hijacked sessions.
func transportDial(dialContext dialContextFunc, h *hostSpec) dialFunc {
	network := "tcp"
	if h.scheme == "unix" {
		network = "unix"
	}
	return func(ctx context.Context) (net.Conn, error) {
		return dialContext(ctx, network, h.addr)
	}
}
