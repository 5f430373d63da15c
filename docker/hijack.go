package docker

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/berth-go/berth/internal/httpx"
	"github.com/berth-go/berth/stream"
)

// Hijack sends req as an HTTP/1.1 upgrade (Connection: Upgrade,
// Upgrade: tcp) and returns the connection the daemon hands over, for attach
// and exec. The daemon answers 101 (or 200 on old versions); any other
// answer becomes a *Error. Bytes the daemon sent right behind its headers
// are kept and read first.
//
// Whether the session is multiplexed comes from the response's Content-Type
// when the daemon sends one of the two stream types (API >= 1.42); otherwise
// tty decides (a TTY session is raw). The returned *stream.Conn must be
// closed by the caller; it also closes when ctx is cancelled.
//
// Hijacked sessions cannot go through an http.RoundTripper, so Hijack dials
// the host itself with the Client's dialer and TLS settings.
func (c *Client) Hijack(ctx context.Context, req *Request, tty bool) (*stream.Conn, error) {
	nc, br, resp, err := c.upgrade(ctx, req, "tcp")
	if err != nil {
		return nil, err
	}
	return stream.NewConn(ctx, nc, br, c.Multiplexed(resp.Header, tty)), nil
}

// openConn opens a connection of its own to the daemon for req's session
// (hijacked or dialled): with the Client's dialer, TLS-wrapped with the
// handshake done when the Client uses TLS. ctx bounds the dial and the
// handshake; a daemon that cannot be dialled gives a *DaemonUnreachableError.
func (c *Client) openConn(ctx context.Context, req *Request) (net.Conn, error) {
	nc, err := c.dial(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("docker: %s: %w", req.what(), ctx.Err())
		}
		return nil, &DaemonUnreachableError{Host: c.host.raw, Source: c.host.source, Err: err}
	}
	if c.tlsConfig == nil {
		return nc, nil
	}
	tc, err := c.handshake(ctx, nc)
	if err != nil {
		_ = nc.Close()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, fmt.Errorf("docker: %s: %w", req.what(), err)
	}
	return tc, nil
}

// tlsHandshakeTimeout bounds a TLS handshake even under a context without
// a deadline: a daemon that has not finished it by then never will.
const tlsHandshakeTimeout = 10 * time.Second

// handshake runs the TLS client handshake on nc, verifying the daemon's
// name unless the configuration names another.
func (c *Client) handshake(ctx context.Context, nc net.Conn) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.handshakeTimeout)
	defer cancel()
	cfg := c.tlsConfig
	if cfg.ServerName == "" {
		cfg = cfg.Clone()
		host, _, _ := net.SplitHostPort(c.host.addr)
		cfg.ServerName = host
	}
	tc := tls.Client(nc, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, fmt.Errorf("TLS handshake: %w", err)
	}
	return tc, nil
}

// Multiplexed decides whether a container output stream (attach, exec,
// logs) with response headers h is multiplexed. Daemons before API 1.42 send
// "raw-stream" for every stream, framed or not, so only from 1.42 on does the
// Content-Type count; before that, when it names neither type, and on
// Podman's Docker-compatible API (which labels framed and raw streams alike),
// the container's (or exec's) TTY setting decides: a TTY stream is raw.
func (c *Client) Multiplexed(h http.Header, tty bool) bool {
	if !c.FramingInContentType() || isLibpod(h) {
		return !tty
	}
	return stream.IsMultiplexed(h.Get("Content-Type"), tty)
}

// FramingInContentType reports whether the daemon's attach, exec and logs
// responses say in their Content-Type whether the stream is multiplexed:
// API 1.42 or newer, from a daemon that is not Podman. When it is false,
// the caller must know the container's TTY setting to read the stream.
// It reflects what the Client has seen so far: call it after negotiation.
func (c *Client) FramingInContentType() bool {
	return CompareVersions(c.APIVersion(), "1.42") >= 0 && !c.libpod.Load()
}

// isLibpod reports whether h comes from Podman, which names its API version
// on every response.
func isLibpod(h http.Header) bool { return h.Get("Libpod-Api-Version") != "" }

// noteServer records what a response says about the daemon.
func (c *Client) noteServer(h http.Header) {
	if !c.libpod.Load() && isLibpod(h) {
		c.libpod.Store(true)
	}
}

// upgrade dials, sends the upgrade request and reads the response headers.
func (c *Client) upgrade(ctx context.Context, req *Request, protocol string) (net.Conn, *bufio.Reader, *http.Response, error) {
	hreq, end, err := c.newHTTPRequest(ctx, req, true)
	if err != nil {
		return nil, nil, nil, err
	}
	if end != nil {
		defer end()
	}
	start := time.Now()
	nc, err := c.openConn(ctx, req)
	if err != nil {
		return nil, nil, nil, err
	}
	// Until the upgrade is done, ctx bounds the exchange.
	stop := context.AfterFunc(ctx, func() { _ = nc.Close() })
	fail := func(err error) (net.Conn, *bufio.Reader, *http.Response, error) {
		stop()
		_ = nc.Close()
		if ctx.Err() != nil {
			err = fmt.Errorf("docker: %s: %w", req.what(), ctx.Err())
		}
		return nil, nil, nil, err
	}
	hreq.Header.Set("Connection", "Upgrade")
	hreq.Header.Set("Upgrade", protocol)
	if err := hreq.Write(nc); err != nil {
		return fail(fmt.Errorf("docker: %s: sending the upgrade request: %w", req.what(), err))
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, hreq)
	if err != nil {
		return fail(fmt.Errorf("docker: %s: reading the upgrade response: %w", req.what(), err))
	}
	c.noteServer(resp.Header)
	if c.logger != nil {
		c.logger.debug(ctx, "docker: hijack", "method", req.method(), "path", req.Path, "status", resp.StatusCode, "duration", time.Since(start))
	}
	switch resp.StatusCode {
	case http.StatusSwitchingProtocols, http.StatusOK:
	default:
		msg := httpx.ErrorMessage(resp.Body)
		if resp.StatusCode < 400 {
			return fail(fmt.Errorf("docker: %s: unexpected status %d for an upgrade: %s", req.what(), resp.StatusCode, msg))
		}
		return fail(&Error{StatusCode: resp.StatusCode, Message: msg, Method: req.method(), Path: req.Path})
	}
	if !stop() {
		// ctx ended while the headers arrived; the connection is closed.
		return fail(errors.New("docker: connection closed"))
	}
	return nc, br, resp, nil
}
