package docker

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
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

// Defaults of the docker CLI for parts of a host left out.
const (
	defaultTCPHost    = "localhost"
	defaultTCPPort    = "2375"
	defaultUnixSocket = "/var/run/docker.sock"
	defaultPipe       = "//./pipe/docker_engine"
)

// parseHost parses a daemon address as the docker CLI parses DOCKER_HOST
// and -H (its opts.ParseHost), and completes it the same way:
//
//   - surrounding spaces are dropped;
//   - an address without a scheme is tcp ("localhost:2375"), or a unix
//     socket when it is a path starting with "/" or "./";
//   - tcp://[host][:port][/base]: the host defaults to localhost and the
//     port to 2375, with TLS too (a daemon serving TLS on 2376 must be named
//     with its port, as with the CLI);
//   - unix://path and npipe://path, the default socket or pipe when the path
//     is left out;
//   - ssh://[user@]host[:port], http://host[:port] and https://host[:port]
//     (berth's, as the Engine's Go client takes them; ports 80 and 443).
//
// Unlike the CLI, a port must be a number from 1 to 65535 (the CLI lets an
// out-of-range port through to fail when dialling). Whether requests use
// TLS is the Client's settings' business (see urlScheme).
func parseHost(raw string) (*hostSpec, error) {
	given := raw
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("docker: empty host")
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		rest = raw
		scheme = "tcp"
		if strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "./") {
			scheme = "unix"
		}
	}
	h := &hostSpec{raw: raw, scheme: strings.ToLower(scheme)}
	switch h.scheme {
	case "unix", "npipe":
		if strings.Contains(rest, "://") {
			return nil, fmt.Errorf("docker: invalid host %q: want %s://path", given, h.scheme)
		}
		if rest == "" {
			rest = defaultUnixSocket
			if h.scheme == "npipe" {
				rest = defaultPipe
			}
		}
		h.raw = h.scheme + "://" + rest
		h.addr = rest
		if h.scheme == "npipe" {
			h.addr = strings.ReplaceAll(rest, "/", `\`)
		}
		h.httpHost = "docker" // what the CLI sends over a socket or pipe
	case "tcp", "http", "https":
		if strings.Contains(rest, "://") {
			return nil, fmt.Errorf("docker: invalid host %q: want %s://host:port", given, h.scheme)
		}
		u, err := url.Parse(h.scheme + "://" + rest)
		if err != nil {
			return nil, fmt.Errorf("docker: invalid host %q: %w", given, err)
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
			return nil, fmt.Errorf("docker: invalid host %q: user info, query and fragment are not allowed", given)
		}
		host, port := u.Hostname(), u.Port()
		if h.scheme == "tcp" {
			if host == "" {
				host = defaultTCPHost
			}
			if port == "" {
				port = defaultTCPPort
			}
		} else {
			if host == "" {
				return nil, fmt.Errorf("docker: invalid host %q: no host name", given)
			}
			if port == "" {
				port = "80"
				if h.scheme == "https" {
					port = "443"
				}
			}
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("docker: invalid host %q: port %s is out of range (1 to 65535)", given, port)
		}
		h.addr = net.JoinHostPort(host, port)
		h.basePath = strings.TrimSuffix(u.Path, "/")
		if h.scheme == "tcp" {
			h.raw = "tcp://" + h.addr + u.Path
		}
	case "ssh":
		t, err := parseSSH(raw)
		if err != nil {
			return nil, err
		}
		h.ssh = t
		h.addr = t.host
		h.httpHost = "docker"
	case "fd":
		return nil, fmt.Errorf("docker: invalid host %q: fd:// is a daemon listener, not a client address", given)
	default:
		return nil, fmt.Errorf("docker: invalid host %q: unknown scheme %q (want unix, tcp, http, https, ssh or npipe)", given, scheme)
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
