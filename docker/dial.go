package docker

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Dial opens a new connection to the daemon for a protocol that runs its
// own exchange on it, such as a WebSocket handshake, and returns it with
// the HTTP request the Client would send for req: the URL with the
// /v{version} prefix (the version negotiated first when needed) and req's
// query, the Host, and the User-Agent, the configured headers and req's
// own headers. Nothing is sent: the caller writes what it needs. The
// request has no body (req.Body and req.JSON are not used).
//
// The connection is dialled as Hijack dials its own (see WithTransport and
// WithDialer) and TLS-wrapped, handshake done, when the Client uses TLS; it
// never comes from the Client's pool of idle connections. ctx bounds the
// dial and the TLS handshake only; the caller owns the connection and must
// close it. WithTimeout does not apply.
//
// A daemon that cannot be reached gives a *DaemonUnreachableError.
func (c *Client) Dial(ctx context.Context, req *Request) (net.Conn, *http.Request, error) {
	if ctx == nil {
		return nil, nil, errors.New("docker: nil context")
	}
	r := *req
	r.Stream = true           // a session: no per-call timeout
	r.Body, r.JSON = nil, nil // and nothing the Client would send for it
	hreq, end, err := c.newHTTPRequest(ctx, &r, true)
	if err != nil {
		return nil, nil, err
	}
	if end != nil {
		end() // nothing of a call outlives Dial
	}
	start := time.Now()
	nc, err := c.openConn(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	if c.logger != nil {
		c.logger.debug(ctx, "docker: dial", "method", req.method(), "path", req.Path, "duration", time.Since(start))
	}
	return nc, hreq, nil
}
