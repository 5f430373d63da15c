package h1

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// inlineBodyMax is the largest request body written before the response is
// read, in the calling goroutine. Bigger bodies, and bodies of unknown
// length, are written concurrently (see bodyWriter).
const inlineBodyMax = 64 << 10

// staleConnError reports that a reused connection failed before the daemon
// took the request: the daemon had closed it while idle. RoundTrip retries
// such requests once on a new connection.
type staleConnError struct{ err error }

func (e *staleConnError) Error() string { return e.err.Error() }
func (e *staleConnError) Unwrap() error { return e.err }

// exchange sends req on c and reads the response head. It owns c: on error
// c is closed; on success the response body owns it. It always closes body.
func (c *conn) exchange(ctx context.Context, req *http.Request, body io.ReadCloser) (*http.Response, error) {
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, c.abort)
	}
	fail := func(err error) (*http.Response, error) {
		if stop != nil {
			stop()
		}
		_ = c.nc.Close()
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%w (%v)", ctxErr, err)
		}
		return nil, err
	}

	var w *bodyWriter
	var writeErr error
	if body != nil && (req.ContentLength <= 0 || req.ContentLength > inlineBodyMax) {
		w = startBodyWriter(c, req, body)
	} else if writeErr = c.writeRequest(req, body); writeErr != nil {
		var source *bodyReadError
		if errors.As(writeErr, &source) || ctx.Err() != nil {
			// The daemon waits for the rest of a body that will not come.
			return fail(writeErr)
		}
		// The connection broke. The daemon may have answered first (and
		// closed without reading all of the body): that answer is the
		// result. If nothing came on a reused connection, the daemon had
		// closed it while idle and never saw this request.
	}

	resp, fr, err := c.readResponse(req)
	if err != nil {
		switch {
		case w != nil:
			_ = c.nc.Close() // ends the writer if the daemon stopped reading
			var source *bodyReadError
			if werr := w.wait(); errors.As(werr, &source) {
				err = werr // the cause; the read failed because of it
			} else if werr != nil {
				err = fmt.Errorf("%w (writing the request: %v)", err, werr)
			}
		case writeErr != nil:
			stale := errors.Is(err, errNoResponse)
			err = fmt.Errorf("h1: writing the request: %w", writeErr)
			if stale && c.reused && (body == nil || req.GetBody != nil) {
				err = &staleConnError{err}
			}
		case errors.Is(err, errNoResponse) && c.reused && idempotent(req.Method) && body == nil:
			err = &staleConnError{err}
		}
		return fail(err)
	}
	if writeErr != nil {
		resp.Close = true // the connection is broken
	}
	resp.Request = req
	if resp.StatusCode == http.StatusSwitchingProtocols {
		if w != nil {
			_ = c.nc.Close()
			w.wait()
			return fail(errors.New("h1: 101 Switching Protocols to a request with a streaming body"))
		}
		resp.Body = &upgraded{br: c.br, nc: c.nc, stop: stop}
		return resp, nil
	}
	resp.Body = c.newBody(ctx, req, resp, fr, stop, w)
	return resp, nil
}

// newBody makes the body of resp, framed as fr, which owns c from now on.
// A response without a body releases c at once.
func (c *conn) newBody(ctx context.Context, req *http.Request, resp *http.Response, fr framing, stop func() bool, w *bodyWriter) io.ReadCloser {
	b := &respBody{c: c, nc: c.nc, ctx: ctx, stop: stop, writer: w, keep: !resp.Close && !req.Close, kind: fr}
	switch fr {
	case bodyNone:
		b.err = io.EOF
		b.finish(b.keep)
		return http.NoBody
	case bodyFixed:
		b.left = resp.ContentLength
	case bodyChunked:
		b.chunks.br = c.br
	}
	return b
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// bodyWriter writes a request in its own goroutine, so the response can be
// read while the body is still going out.
type bodyWriter struct {
	done chan struct{}
	err  error // valid once done is closed
}

func startBodyWriter(c *conn, req *http.Request, body io.ReadCloser) *bodyWriter {
	w := &bodyWriter{done: make(chan struct{})}
	go func() {
		defer close(w.done)
		w.err = c.writeRequest(req, body)
		var source *bodyReadError
		if errors.As(w.err, &source) {
			// The daemon would wait for the rest of the body, and the
			// caller for its answer: end both.
			_ = c.nc.Close()
		}
	}()
	return w
}

// finished reports whether the writer is done, without waiting.
func (w *bodyWriter) finished() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// wait waits for the writer to end and returns its error.
func (w *bodyWriter) wait() error {
	<-w.done
	return w.err
}
