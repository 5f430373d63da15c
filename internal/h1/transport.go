package h1

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Defaults for the Transport fields left zero.
const (
	DefaultMaxIdle     = 100
	DefaultIdleTimeout = 90 * time.Second
)

// Buffer sizes per connection. Reads larger than the read buffer go
// straight to the connection, so big bodies do not pass through it.
const (
	readBufferSize  = 8 << 10
	writeBufferSize = 4 << 10
)

// Transport is an http.RoundTripper that speaks HTTP/1.1 to the one address
// its Dial reaches; the request URL's scheme and host only fill the Host
// header. It keeps idle connections for reuse. It is safe for concurrent use;
// the zero value needs Dial set before use.
type Transport struct {
	// Dial opens a connection to the daemon, TLS included when the daemon
	// uses it. It must honour ctx.
	Dial func(ctx context.Context) (net.Conn, error)
	// MaxIdle caps the idle connections kept (DefaultMaxIdle when 0).
	MaxIdle int
	// IdleTimeout is how long an idle connection is kept for reuse
	// (DefaultIdleTimeout when 0); then it is closed.
	IdleTimeout time.Duration

	mu    sync.Mutex
	idle  []*conn     // oldest first; reuse takes the newest
	sweep *time.Timer // closes expired idle connections; nil when none are idle
	arms  uint64      // counts sweeps set, so a stale one does nothing
}

// conn is one connection and its buffers.
type conn struct {
	t      *Transport
	nc     net.Conn
	br     *bufio.Reader
	bw     *bufio.Writer
	abort  func()    // closes nc; made once, for context.AfterFunc
	head   []byte    // scratch for a response head, reused
	idleAt time.Time // when it went back to the pool
	reused bool      // it served a request before this one
}

// RoundTrip sends req and returns the response once its head has arrived.
// The caller must close the response body; the connection goes back to the
// pool when the body has been read to its end (or closed right at it). It
// always closes req.Body. Cancelling the request's context closes the
// connection, which ends a blocked read or write of the body too.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	body := req.Body
	if body == http.NoBody {
		body = nil
	}
	if err := checkRequest(req); err != nil {
		closeBody(body)
		return nil, err
	}
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		c, err := t.get(ctx)
		if err != nil {
			closeBody(body)
			return nil, err
		}
		resp, err := c.exchange(ctx, req, body)
		if err == nil {
			return resp, nil
		}
		var stale *staleConnError
		if attempt > 0 || !errors.As(err, &stale) {
			return nil, err
		}
		// The daemon had closed this idle connection before reading the
		// request: send it again on a new one.
		if body != nil {
			if body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
	}
}

// CloseIdleConnections closes the pooled connections. Connections in use
// stay open and go back to the pool when their responses end; the
// Transport stays usable.
func (t *Transport) CloseIdleConnections() {
	t.mu.Lock()
	idle := t.idle
	t.idle = nil
	if t.sweep != nil {
		t.sweep.Stop()
		t.sweep = nil
	}
	t.mu.Unlock()
	closeAll(idle)
}

// armSweep sets the sweep to run after d. Called with t.mu held.
func (t *Transport) armSweep(d time.Duration) {
	t.arms++
	arm := t.arms
	t.sweep = time.AfterFunc(d, func() { t.expire(arm) })
}

// expire closes the idle connections older than the idle timeout, and
// sets the sweep again for the next one to expire, if any. A sweep that
// was stopped or replaced (arm is not the latest) does nothing.
func (t *Transport) expire(arm uint64) {
	now := time.Now()
	t.mu.Lock()
	if arm != t.arms || t.sweep == nil {
		t.mu.Unlock()
		return
	}
	n := 0
	for n < len(t.idle) && now.Sub(t.idle[n].idleAt) >= t.idleTimeout() {
		n++
	}
	expired := append([]*conn(nil), t.idle[:n]...)
	kept := copy(t.idle, t.idle[n:])
	clear(t.idle[kept:]) // no closed connection stays reachable
	t.idle = t.idle[:kept]
	t.sweep = nil
	if len(t.idle) > 0 {
		t.armSweep(t.idle[0].idleAt.Add(t.idleTimeout()).Sub(now))
	}
	t.mu.Unlock()
	closeAll(expired)
}

func (t *Transport) maxIdle() int {
	if t.MaxIdle > 0 {
		return t.MaxIdle
	}
	return DefaultMaxIdle
}

func (t *Transport) idleTimeout() time.Duration {
	if t.IdleTimeout > 0 {
		return t.IdleTimeout
	}
	return DefaultIdleTimeout
}

// get returns the newest idle connection young enough to reuse, or dials.
func (t *Transport) get(ctx context.Context) (*conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := time.Now()
	var expired []*conn
	t.mu.Lock()
	for n := len(t.idle); n > 0; n = len(t.idle) {
		c := t.idle[n-1]
		t.idle[n-1] = nil
		t.idle = t.idle[:n-1]
		if now.Sub(c.idleAt) < t.idleTimeout() {
			t.mu.Unlock()
			closeAll(expired)
			c.reused = true
			return c, nil
		}
		expired = append(expired, c)
	}
	t.mu.Unlock()
	closeAll(expired)
	if t.Dial == nil {
		return nil, errors.New("h1: Transport.Dial is nil")
	}
	nc, err := t.Dial(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{
		t:     t,
		nc:    nc,
		br:    bufio.NewReaderSize(nc, readBufferSize),
		bw:    bufio.NewWriterSize(nc, writeBufferSize),
		abort: func() { _ = nc.Close() },
	}, nil
}

// put returns c to the pool, dropping the oldest connection when full.
func (t *Transport) put(c *conn) {
	c.idleAt = time.Now()
	c.reused = false
	var drop *conn
	t.mu.Lock()
	if len(t.idle) >= t.maxIdle() {
		drop = t.idle[0]
		copy(t.idle, t.idle[1:])
		t.idle[len(t.idle)-1] = c
	} else {
		t.idle = append(t.idle, c)
	}
	if t.sweep == nil {
		t.armSweep(t.idleTimeout())
	}
	t.mu.Unlock()
	if drop != nil {
		_ = drop.nc.Close()
	}
}

func closeAll(cs []*conn) {
	for _, c := range cs {
		_ = c.nc.Close()
	}
}

func closeBody(b io.Closer) {
	if b != nil {
		_ = b.Close()
	}
}
