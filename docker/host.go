package docker

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// dialFunc opens one connection to the daemon.
type dialFunc func(ctx context.Context) (net.Conn, error)

// hostSpec is a parsed daemon address.
type hostSpec struct {
	raw      string // as given
	source   string // where it came from, for error hints
	scheme   string // unix, tcp, http, https, ssh, npipe
	addr     string // socket path, host:port, or pipe path
	basePath string // optional path prefix (tcp/http/https)
	httpHost string // Host header to send; "" keeps the URL's host
	ssh      *sshTarget
}

// parseHost parses a daemon address: unix:///path, tcp://host[:port][/base],
// http://host[:port], https://host[:port], ssh://[user@]host[:port],
// npipe:////./pipe/name. tlsOn decides tcp's default port (2376 with TLS,
// 2375 without).
func parseHost(raw string, tlsOn bool) (*hostSpec, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, fmt.Errorf("docker: empty host")
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return nil, fmt.Errorf("docker: invalid host %q: want scheme://address (unix://, tcp://, http://, https://, ssh://, npipe://)", raw)
	}
	h := &hostSpec{raw: raw, scheme: strings.ToLower(scheme)}
	switch h.scheme {
	case "unix":
		if rest == "" {
			return nil, fmt.Errorf("docker: invalid host %q: no socket path", raw)
		}
		h.addr = rest
		h.httpHost = "docker" // what the CLI sends over a unix socket
	case "npipe":
		if rest == "" {
			return nil, fmt.Errorf("docker: invalid host %q: no pipe path", raw)
		}
		h.addr = strings.ReplaceAll(rest, "/", `\`)
		h.httpHost = "docker"
	case "tcp", "http", "https":
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("docker: invalid host %q: %w", raw, err)
		}
		if u.Host == "" || u.Hostname() == "" {
			return nil, fmt.Errorf("docker: invalid host %q: no host name", raw)
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("docker: invalid host %q: user info, query and fragment are not allowed", raw)
		}
		port := u.Port()
		if port == "" {
			switch {
			case h.scheme == "http":
				port = "80"
			case h.scheme == "https":
				port = "443"
			case tlsOn:
				port = "2376"
			default:
				port = "2375"
			}
		}
		h.addr = net.JoinHostPort(u.Hostname(), port)
		h.basePath = strings.TrimSuffix(u.Path, "/")
	case "ssh":
		t, err := parseSSH(raw)
		if err != nil {
			return nil, err
		}
		h.ssh = t
		h.addr = t.host
		h.httpHost = "docker"
	case "fd":
		return nil, fmt.Errorf("docker: invalid host %q: fd:// is a daemon listener, not a client address", raw)
	default:
		return nil, fmt.Errorf("docker: invalid host %q: unknown scheme %q (want unix, tcp, http, https, ssh or npipe)", raw, scheme)
	}
	return h, nil
}

// urlScheme is the scheme of request URLs for this host.
func (h *hostSpec) urlScheme(tlsOn bool) string {
	switch h.scheme {
	case "https":
		return "https"
	case "http":
		return "http"
	case "tcp":
		if tlsOn {
			return "https"
		}
	}
	return "http"
}

// urlHost is the host part of request URLs.
func (h *hostSpec) urlHost() string {
	switch h.scheme {
	case "tcp", "http", "https":
		return h.addr
	}
	return "docker"
}

// dialer returns how to open a raw connection to the daemon (before TLS).
func (h *hostSpec) dialer(custom func(ctx context.Context, network, addr string) (net.Conn, error)) dialFunc {
	network, addr := "tcp", h.addr
	switch h.scheme {
	case "unix":
		network = "unix"
	case "npipe":
		return func(ctx context.Context) (net.Conn, error) {
			if custom != nil {
				return custom(ctx, "npipe", addr)
			}
			return dialPipe(ctx, addr)
		}
	case "ssh":
		t := h.ssh
		return func(ctx context.Context) (net.Conn, error) {
			if custom != nil {
				return custom(ctx, "ssh", t.host)
			}
			return t.dial(ctx)
		}
	}
	if custom != nil {
		return func(ctx context.Context) (net.Conn, error) { return custom(ctx, network, addr) }
	}
	var d net.Dialer
	d.KeepAlive = 30e9
	return func(ctx context.Context) (net.Conn, error) { return d.DialContext(ctx, network, addr) }
}
