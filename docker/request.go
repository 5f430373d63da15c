package docker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// requestURL resolves the version and returns the full URL for req.
func (c *Client) requestURL(ctx context.Context, req *Request) (*url.URL, error) {
	if !strings.HasPrefix(req.Path, "/") {
		return nil, fmt.Errorf("docker: request path %q must start with /", req.Path)
	}
	u := c.base
	// Path is already escaped by the caller; keep the escapes on the wire.
	raw := strings.TrimSuffix(c.base.Path, "/") + req.Path
	if !req.unversioned {
		v, err := c.NegotiateAPIVersion(ctx)
		if err != nil {
			return nil, err
		}
		if req.MinVersion != "" {
			if err := requireVersion(v, req.MinVersion, req.what()); err != nil {
				return nil, err
			}
		}
		raw = strings.TrimSuffix(c.base.Path, "/") + "/v" + v + req.Path // one allocation
	}
	unescaped, err := url.PathUnescape(raw)
	if err != nil {
		return nil, fmt.Errorf("docker: invalid request path %q: %w", req.Path, err)
	}
	u.Path, u.RawPath = unescaped, raw
	if len(req.Query) > 0 {
		u.RawQuery = req.Query.Encode()
	}
	return &u, nil
}

// newHTTPRequest builds the http.Request for req. The returned end func,
// when not nil, must be called once the call is over (the response body
// closed, or the call failed): it releases the call's timeout and the
// caller's streamed request body. ownHeader asks for a header map of the
// request's own, which the caller may modify.
func (c *Client) newHTTPRequest(ctx context.Context, req *Request, ownHeader bool) (*http.Request, func(), error) {
	u, err := c.requestURL(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	body := req.Body
	contentType := ""
	if req.JSON != nil {
		b, err := json.Marshal(req.JSON)
		if err != nil {
			return nil, nil, fmt.Errorf("docker: %s: encoding the request body: %w", req.what(), err)
		}
		body, contentType = bytes.NewReader(b), "application/json"
	}
	var end func()
	if c.timeout > 0 && !req.Stream {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		end = cancel
	}
	// The URL is set below rather than formatted and parsed again: RawPath
	// stays exact.
	hreq, err := http.NewRequestWithContext(ctx, req.method(), "", body)
	if err != nil {
		if end != nil {
			end()
		}
		return nil, nil, fmt.Errorf("docker: %s: %w", req.what(), err)
	}
	hreq.URL = u
	hreq.Host = c.host.httpHost
	if hreq.Host == "" {
		hreq.Host = strings.TrimSuffix(u.Host, ":")
	}
	if body != nil && body != http.NoBody && hreq.GetBody == nil {
		// Not one of the in-memory readers NewRequest knows the length
		// of: the body is streamed, and must be released with the call.
		rb := &requestBody{r: body}
		hreq.Body = rb
		end = rb.releaseWith(ctx, end)
	}
	if !ownHeader && len(req.Header) == 0 && contentType == "" && c.own != nil {
		// net/http's Transport never modifies a request (a RoundTripper
		// must not): every plain request can share one header map. A
		// user's transport gets a copy, in case it does.
		hreq.Header = c.baseHeader
	} else {
		h := make(http.Header, len(c.baseHeader)+len(req.Header)+1)
		for k, vs := range c.baseHeader {
			h[k] = append([]string(nil), vs...)
		}
		for k, vs := range req.Header {
			h[k] = append([]string(nil), vs...)
		}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		hreq.Header = h
	}
	return hreq, end, nil
}

// errBodyReleased is what reading a released request body gives.
var errBodyReleased = errors.New("docker: request body released: the call is over")

// requestBody is a caller's streamed request body (Load, Import, Build,
// CopyTo, ...) as the transport reads it. net/http reads it on a goroutine
// of its own that can still be blocked in Read when the call is over: the
// daemon answered early with an error, or ctx was cancelled. release ends
// that: it closes the caller's reader when it is an io.Closer (an
// *io.PipeReader or a file unblocks at once) and fails every later Read.
//
// Close is what the transport calls when it is done writing; like
// net/http, it closes the caller's reader.
type requestBody struct {
	r        io.Reader
	released atomic.Bool
	once     sync.Once
	closeErr error
}

func (b *requestBody) Read(p []byte) (int, error) {
	if b.released.Load() {
		return 0, errBodyReleased
	}
	return b.r.Read(p)
}

func (b *requestBody) Close() error {
	b.release()
	return b.closeErr
}

func (b *requestBody) release() {
	b.once.Do(func() {
		b.released.Store(true)
		if c, ok := b.r.(io.Closer); ok {
			b.closeErr = c.Close()
		}
	})
}

// releaseWith returns the end func of a call whose body is b: b is released
// when the call ends or when ctx is done, whichever comes first, and then
// the earlier end func (if any) runs.
func (b *requestBody) releaseWith(ctx context.Context, prev func()) func() {
	stop := context.AfterFunc(ctx, b.release)
	return func() {
		stop()
		b.release()
		if prev != nil {
			prev()
		}
	}
}

// cancelBody runs a call's end func when its response body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel func()
	once   sync.Once
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.cancel)
	return err
}

// streamBody is the body of a streamed response (logs, events, an export):
// once ctx is done, a failed read says which call's stream it ended (as
// "docker: GET /containers/web/logs: context canceled") and matches ctx's
// error, instead of net/http's bare context error.
type streamBody struct {
	io.ReadCloser
	ctx context.Context
	// The call as what names it, copied: the caller may reuse its Request.
	call Request
}

func newStreamBody(ctx context.Context, body io.ReadCloser, req *Request) *streamBody {
	return &streamBody{ReadCloser: body, ctx: ctx, call: Request{Method: req.Method, Path: req.Path, What: req.What}}
}

func (b *streamBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		if ctxErr := b.ctx.Err(); ctxErr != nil {
			err = fmt.Errorf("docker: %s: %w", b.call.what(), ctxErr)
		}
	}
	return n, err
}
