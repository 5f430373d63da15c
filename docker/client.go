package docker

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/berth-go/berth/internal/httpx"
)

// Client talks to one Docker Engine. It is safe for concurrent use by
// multiple goroutines; create one per daemon and share it. The zero value is
// not usable: call New.
//
// A Client keeps one pool of keep-alive connections. Close releases the idle
// ones; it does not interrupt requests or streams in flight.
type Client struct {
	host      *hostSpec
	base      url.URL           // scheme and host used in request URLs (plus a base path)
	rt        http.RoundTripper // where requests go: own, or WithTransport's
	own       *http.Transport   // the transport New made; nil when the user supplied one
	hc        *http.Client      // WithHTTPClient's client (a copy); requests go through it when set
	dial      dialFunc          // opens a raw connection to the daemon for hijacked sessions
	tlsConfig *tls.Config       // nil for plain connections
	// handshakeTimeout bounds TLS handshakes of hijacked sessions
	// (tlsHandshakeTimeout, as the transport's; tests shorten it).
	handshakeTimeout time.Duration

	pinned      string       // a version set with WithAPIVersion: no negotiation
	negotiated  atomic.Value // string, once negotiation succeeded
	negotiateMu sync.Mutex   // one negotiation at a time
	libpod      atomic.Bool  // a response named Podman's API (see FramingInContentType)

	userAgent  string
	baseHeader http.Header // User-Agent and WithHeader's headers; never modified after New
	buffers    sync.Pool   // *bytes.Buffer for JSON responses (see DoJSON)
	timeout    time.Duration
	logger     debugLogger // nil: no logging
}

// DefaultUserAgent is sent when WithUserAgent is not given.
const DefaultUserAgent = "berth-go"

// New returns a Client configured by opts; later options win over earlier
// ones. Without options it talks to the platform's default socket
// (unix:///var/run/docker.sock, or the docker_engine named pipe on Windows).
//
// New does no network I/O and reads no environment or files unless an option
// says so (FromEnv, WithContext, WithTLSFiles). An option that fails (a
// malformed host, unreadable certificates, an unknown context) makes New
// return its error.
func New(opts ...Option) (*Client, error) {
	s := &settings{host: DefaultHost, hostSource: "the default host"}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	return s.build()
}

// Close releases the idle connections of the Client's pool. Requests and
// streams still open keep working until they end. Close is safe to call more
// than once; a Client is still usable after Close (it dials anew).
func (c *Client) Close() error {
	switch {
	case c.hc != nil:
		c.hc.CloseIdleConnections()
	case c.own != nil:
		c.own.CloseIdleConnections()
	default:
		if ci, ok := c.rt.(interface{ CloseIdleConnections() }); ok {
			ci.CloseIdleConnections()
		}
	}
	return nil
}

// Host returns the daemon address the Client uses, e.g. "unix:///var/run/docker.sock".
func (c *Client) Host() string { return c.host.raw }

// Request describes one call to the Engine for Do, DoJSON, Hijack and the
// stream helpers. Resource packages build these; users need them only for
// endpoints berth does not wrap.
type Request struct {
	Method string // GET when empty
	// Path is the endpoint path without the version prefix, already escaped,
	// e.g. "/containers/abc/json". Do adds "/v{version}".
	Path   string
	Query  url.Values
	Header http.Header
	// Body is sent as is: with a Content-Length when it is a *bytes.Reader,
	// *bytes.Buffer or *strings.Reader, else streamed (chunked) as it is
	// read. Like net/http, the Client closes a Body that is an io.Closer
	// once it is sent, and also when the call ends early (an error answer,
	// ctx cancelled): an *io.PipeReader's writer then gets an error instead
	// of blocking. JSON, when not nil, is marshalled and sent instead, with
	// Content-Type application/json.
	Body io.Reader
	JSON any
	// MinVersion, when set, makes the call fail with ErrVersion before
	// anything is sent if the negotiated API version is older. What names
	// the operation in that error (defaults to "METHOD PATH").
	MinVersion string
	What       string
	// Stream marks a long-lived response (logs, events, stats, pulls):
	// WithTimeout does not apply to it.
	Stream bool

	unversioned bool // _ping and the negotiation fallback
}

func (r *Request) method() string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

func (r *Request) what() string {
	if r.What != "" {
		return r.What
	}
	return r.method() + " " + displayPath(r.Path)
}

// Do sends req and returns the response, whose body the caller must close.
// It negotiates the API version first when needed, prefixes the path with
// /v{version}, and adds the User-Agent and the configured headers. Any status
// of 400 or more becomes a *Error (its body is read, capped, and closed); a
// transport failure says where the client looked for the daemon.
//
// Do is the escape hatch for endpoints berth does not wrap.
func (c *Client) Do(ctx context.Context, req *Request) (*http.Response, error) {
	if ctx == nil {
		return nil, errors.New("docker: nil context")
	}
	hreq, end, err := c.newHTTPRequest(ctx, req, false)
	if err != nil {
		return nil, err
	}
	logging := c.logger != nil && c.logger.enabled(ctx) // no formatting at all when not
	var start time.Time
	if logging {
		start = time.Now()
	}
	resp, err := c.roundTrip(hreq)
	if err != nil {
		if end != nil {
			end()
		}
		err = c.transportError(ctx, req, err)
		if logging {
			c.logger.debug(ctx, "docker: request failed", "method", req.method(), "path", req.Path, "error", err, "duration", time.Since(start))
		}
		return nil, err
	}
	c.noteServer(resp.Header)
	if logging {
		c.logger.debug(ctx, "docker: request", "method", req.method(), "path", req.Path, "status", resp.StatusCode, "duration", time.Since(start))
	}
	if resp.StatusCode >= 400 {
		if end != nil {
			// The daemon may answer before it has read the whole body:
			// the call is over, stop sending.
			defer end()
		}
		defer resp.Body.Close()
		return nil, &Error{
			StatusCode: resp.StatusCode,
			Message:    httpx.ErrorMessage(resp.Body),
			Method:     req.method(),
			Path:       req.Path,
		}
	}
	raw := resp.Body
	if req.Stream && resp.StatusCode != http.StatusSwitchingProtocols {
		resp.Body = newStreamBody(ctx, raw, req)
	}
	if end == nil {
		return resp, nil
	}
	// Closing the body ends the call: its timeout and its request body
	// are released.
	body := &cancelBody{ReadCloser: resp.Body, cancel: end}
	if rw, ok := raw.(io.ReadWriteCloser); ok && resp.StatusCode == http.StatusSwitchingProtocols {
		// An upgraded connection's body is also its write side; keep it
		// writable (net/http documents this for 101 responses).
		resp.Body = &upgradedBody{cancelBody: body, w: rw}
		return resp, nil
	}
	resp.Body = body
	return resp, nil
}

// roundTrip sends hreq through the Client's transport, or through the
// user's client. Errors are wrapped in *url.Error either way, as
// http.Client.Do wraps them. The transport is used without an http.Client
// around it: the Client never follows redirects (the Engine sends none, and
// one would come from path cleaning), and http.Client.Do would add nothing
// else but a copy of the headers.
func (c *Client) roundTrip(hreq *http.Request) (*http.Response, error) {
	if c.hc != nil {
		return c.hc.Do(hreq)
	}
	resp, err := c.rt.RoundTrip(hreq)
	if err != nil {
		return nil, &url.Error{Op: urlErrorOp(hreq.Method), URL: hreq.URL.String(), Err: err}
	}
	return resp, nil
}

// urlErrorOp is the Op of the *url.Error that http.Client.Do returns for
// method: "Get", "Post", ...
func urlErrorOp(method string) string {
	if method == "" {
		return "Get"
	}
	return method[:1] + strings.ToLower(method[1:])
}

// upgradedBody is the body of a 101 response: readable, writable, and
// releasing the call's timeout on Close.
type upgradedBody struct {
	*cancelBody
	w io.Writer
}

func (b *upgradedBody) Write(p []byte) (int, error) { return b.w.Write(p) }

// DoJSON sends req and decodes a JSON response into out (skipped when out is
// nil), then closes the body. Unknown fields in the response are ignored.
func (c *Client) DoJSON(ctx context.Context, req *Request, out any) error {
	resp, err := c.Do(ctx, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // let the connection be reused
		return nil
	}
	buf := c.buffer()
	defer c.recycle(buf)
	if err := httpx.UnmarshalBody(resp.Body, out, buf); err != nil {
		return fmt.Errorf("docker: %s: %w", req.what(), err)
	}
	return nil
}

// maxPooledBuffer caps the buffers kept for reuse: one huge response should
// not pin its memory.
const maxPooledBuffer = 4 << 20

// buffer returns a buffer for reading a JSON response, from the Client's
// pool when one is free.
func (c *Client) buffer() *bytes.Buffer {
	if b, ok := c.buffers.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

func (c *Client) recycle(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		b.Reset()
		c.buffers.Put(b)
	}
}

// getJSON is DoJSON for the negotiation path.
func (c *Client) getJSON(ctx context.Context, req *Request, out any) error {
	return c.DoJSON(ctx, req, out)
}

// transportError explains a failure to reach the daemon.
func (c *Client) transportError(ctx context.Context, req *Request, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("docker: %s: %w", req.what(), ctxErr)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return &DaemonUnreachableError{Host: c.host.raw, Source: c.host.source, Err: err}
	}
	return fmt.Errorf("docker: %s: %w", req.what(), err)
}

// DaemonUnreachableError is returned when the daemon cannot be dialled: the
// socket is missing, nothing listens, or permission is denied. Its message
// says where the client looked and how to point it elsewhere; errors.Is
// still sees the underlying cause (syscall.ECONNREFUSED, fs.ErrNotExist, ...).
type DaemonUnreachableError struct {
	Host   string // the address dialled, e.g. unix:///var/run/docker.sock
	Source string // where that address came from: "DOCKER_HOST", `context "ci"`, ...
	Err    error
}

func (e *DaemonUnreachableError) Error() string {
	return fmt.Sprintf("docker: cannot reach the daemon at %s (from %s): %v; is the daemon running? "+
		"Set DOCKER_HOST, or choose a context with DOCKER_CONTEXT or `docker context use`, to use another daemon",
		e.Host, e.Source, e.Err)
}

func (e *DaemonUnreachableError) Unwrap() error { return e.Err }

func decodeJSON(resp *http.Response, out any, what string) error {
	return httpx.DecodeJSON(resp.Body, out, what)
}

// debugLogger is where a Client writes its Debug lines; a nil one means
// nowhere. Only WithLogger makes one (slogLogger), so a program that never
// calls WithLogger links none of log/slog's handler code: about 80 KB of a
// minimal program's binary.
type debugLogger interface {
	enabled(ctx context.Context) bool
	debug(ctx context.Context, msg string, args ...any)
}

// slogLogger logs to a *slog.Logger at level Debug.
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) enabled(ctx context.Context) bool { return s.l.Enabled(ctx, slog.LevelDebug) }

func (s slogLogger) debug(ctx context.Context, msg string, args ...any) {
	s.l.DebugContext(ctx, msg, args...)
}
