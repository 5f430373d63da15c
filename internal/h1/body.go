package h1

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"sync"
)

// errBodyClosed is what reading a response body after Close returns.
var errBodyClosed = errors.New("h1: read on closed response body")

// respBody is a response body that owns its connection until the end: then
// the connection goes back to the pool if the exchange left it clean.
//
// Read and Close may be called from different goroutines; Close during a
// blocked Read closes the connection to end that Read.
type respBody struct {
	c      *conn    // nil once released
	nc     net.Conn // c.nc, kept for Close while a Read holds c
	ctx    context.Context
	stop   func() bool // stops the ctx watch; nil when ctx cannot end
	writer *bodyWriter // the request body's writer, if still running
	keep   bool        // the connection may be reused after this body
	kind   framing
	left   int64         // bytes left, bodyFixed
	chunks chunkedReader // bodyChunked
	err    error         // sticky: io.EOF at the end, or what ended the body

	mu       sync.Mutex // held by Read; Close uses TryLock to see a Read in flight
	state    sync.Mutex // guards aborted and released
	aborted  bool       // Close ran while a Read was in flight
	released bool       // the connection was handed back or closed
}

func (b *respBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return 0, b.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	n, err := b.read(p)
	switch {
	case err == io.EOF:
		b.err = io.EOF
		b.finish(b.keep)
	case err != nil:
		b.err = b.failure(err)
		b.finish(false)
	}
	return n, b.err
}

func (b *respBody) read(p []byte) (int, error) {
	switch b.kind {
	case bodyFixed:
		if int64(len(p)) > b.left {
			p = p[:b.left]
		}
		n, err := b.c.br.Read(p)
		b.left -= int64(n)
		if b.left == 0 {
			return n, io.EOF // with the last bytes: a decoder need not ask again
		}
		return n, eofUnexpected(err)
	case bodyChunked:
		return b.chunks.Read(p)
	default:
		return b.c.br.Read(p)
	}
}

// failure explains an error that ended the body.
func (b *respBody) failure(err error) error {
	b.state.Lock()
	aborted := b.aborted
	b.state.Unlock()
	if aborted {
		return errBodyClosed
	}
	if ctxErr := b.ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}

// Close releases the connection: back to the pool when the body was read to
// its end (or its end is already buffered), closed otherwise.
func (b *respBody) Close() error {
	if b.mu.TryLock() {
		defer b.mu.Unlock()
		if b.c != nil {
			b.finish(b.keep && b.drainBuffered())
		}
		b.err = errBodyClosed
		return nil
	}
	// A Read is in flight: closing the connection ends it, unless that
	// Read has just handed the connection back.
	b.state.Lock()
	b.aborted = true
	released := b.released
	b.state.Unlock()
	if !released {
		_ = b.nc.Close()
	}
	return nil
}

// drainBuffered consumes the rest of the body if it is all in the read
// buffer already; it never waits for the daemon.
func (b *respBody) drainBuffered() bool {
	switch b.kind {
	case bodyFixed:
		if int64(b.c.br.Buffered()) < b.left {
			return false
		}
		_, _ = b.c.br.Discard(int(b.left))
		b.left = 0
		return true
	case bodyChunked:
		return b.chunks.drainBuffered()
	}
	return false
}

// finish ends the body's hold on its connection, pooling it when reuse
// holds and nothing else spoiled the exchange. Called with b.mu held.
func (b *respBody) finish(reuse bool) {
	c := b.c
	if c == nil {
		return
	}
	b.c = nil
	if b.stop != nil && !b.stop() {
		reuse = false // ctx ended: the watch closed the connection
	}
	if w := b.writer; w != nil {
		if !w.finished() {
			// The daemon answered without reading the whole request.
			reuse = false
			_ = c.nc.Close()
		}
		if w.wait() != nil {
			reuse = false
		}
	}
	b.state.Lock()
	if b.aborted {
		reuse = false
	}
	b.released = true
	b.state.Unlock()
	if reuse {
		c.t.put(c)
	} else {
		_ = c.nc.Close()
	}
}

// upgraded is the body of a 101 response: the connection itself, readable
// (bytes buffered behind the head first) and writable. Closing it or
// ending the request's context closes the connection.
type upgraded struct {
	br   *bufio.Reader
	nc   net.Conn
	stop func() bool
}

func (u *upgraded) Read(p []byte) (int, error) {
	if u.br.Buffered() > 0 {
		return u.br.Read(p)
	}
	return u.nc.Read(p)
}

func (u *upgraded) Write(p []byte) (int, error) { return u.nc.Write(p) }

// CloseWrite half-closes the connection when it can be half-closed.
func (u *upgraded) CloseWrite() error {
	if cw, ok := u.nc.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.New("h1: connection cannot be half-closed")
}

func (u *upgraded) Close() error {
	if u.stop != nil {
		u.stop()
	}
	return u.nc.Close()
}
