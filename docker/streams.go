package docker

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"

	"github.com/berth-go/berth/stream"
)

// StreamJSON returns the JSON objects of a streaming response (events,
// stats, progress) as an iterator. Nothing is sent until the loop starts;
// the response body is closed when the loop ends, including on break, and
// cancelling ctx ends the stream at once with ctx's error. Each object is
// yielded with a nil error; a failure is yielded once, as the last element.
//
// It is exported for resource packages and for endpoints berth does not wrap.
func StreamJSON[T any](ctx context.Context, c *Client, req *Request) iter.Seq2[T, error] {
	return streamJSON[T](ctx, c, req, nil)
}

// streamJSON is StreamJSON; body, when not nil, chooses the reader the
// objects are decoded from (events unwrap a JSON text sequence with it).
func streamJSON[T any](ctx context.Context, c *Client, req *Request, body func(*http.Response) io.Reader) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		r := *req
		r.Stream = true
		resp, err := c.Do(ctx, &r)
		if err != nil {
			yield(zero, err)
			return
		}
		defer resp.Body.Close()
		var src io.Reader = resp.Body
		if body != nil {
			src = body(resp)
		}
		for v, err := range stream.Decode[T](src) {
			if err != nil {
				if ctxErr := ctx.Err(); ctxErr != nil {
					err = fmt.Errorf("docker: %s: %w", r.what(), ctxErr)
				}
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			yield(zero, fmt.Errorf("docker: %s: %w", r.what(), ctxErr))
		}
	}
}

// StreamProgress is StreamJSON for progress messages (pull, push, build,
// load, import, plugins). A message that carries an error ends the stream
// with a *StreamError; the messages before it are yielded as usual.
func StreamProgress(ctx context.Context, c *Client, req *Request) iter.Seq2[stream.Progress, error] {
	return func(yield func(stream.Progress, error) bool) {
		for p, err := range StreamJSON[stream.Progress](ctx, c, req) {
			if err == nil {
				if msg, code, failed := p.Failed(); failed {
					yield(p, &StreamError{Code: code, Message: msg})
					return
				}
			}
			if !yield(p, err) || err != nil {
				return
			}
		}
	}
}

// DecodeAux decodes the aux field of a progress message (a build's image id,
// a push's digest) into v.
func DecodeAux(aux []byte, v any) error {
	return json.Unmarshal(aux, v)
}
