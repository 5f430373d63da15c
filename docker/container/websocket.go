package container

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/websocket"

	"github.com/berth-go/berth/docker"
)

// AttachWebsocket attaches to a container like Attach, over a WebSocket:
// reading the returned *WebsocketConn gives the raw output (stdout and
// stderr interleaved, never multiplexed) and writing it sends stdin. The
// options and their defaults are Attach's (both output streams unless
// Stdout or Stderr chooses one); daemons before API 1.42 ignore Stdin,
// Stdout and Stderr and attach all three streams. A WebSocket cannot be half-closed:
// closing it ends the session.
//
// The WebSocket (golang.org/x/net/websocket) runs on a connection of its
// own to the Client's daemon, made with the Client's dialer and TLS
// settings and carrying its headers, as Attach's does. The caller must
// close the WebsocketConn; cancelling ctx closes it too.
//
// An unknown container gives an error matching docker.ErrNotFound; any
// other refusal by the daemon is a *docker.Error with its message.
//
// API: GET /containers/{id}/attach/ws
func (s *Service) AttachWebsocket(ctx context.Context, id string, opts ...AttachOption) (*WebsocketConn, error) {
	path, err := containerPath("/containers/{}/attach/ws", id)
	if err != nil {
		return nil, err
	}
	var set settings
	for _, o := range opts {
		o.applyAttach(&set)
	}
	attachQuery(&set)
	req := &docker.Request{Path: path, Stream: true}
	set.apply(req)
	nc, hreq, err := s.cli.Dial(ctx, req)
	if err != nil {
		return nil, err
	}
	conn := &wsConn{Conn: nc}
	ws, err := clientHandshake(ctx, conn, hreq, path)
	if err != nil {
		return nil, err
	}
	ws.PayloadType = websocket.BinaryFrame // stdin is bytes, not UTF-8 text
	c := &WebsocketConn{ctx: ctx, ws: ws, conn: conn}
	c.stop = context.AfterFunc(ctx, func() { _ = c.shutdown() })
	return c, nil
}

// closeTimeout bounds how long Close waits for the daemon to take the
// close frame before it closes the connection anyway.
const closeTimeout = time.Second

// WebsocketConn is an attach session over a WebSocket, from
// AttachWebsocket. Read returns the container's output: the payloads of
// the daemon's messages, one after the other; it returns io.EOF when the
// daemon ends the session (the container exited or the attach ended), and
// keeps returning it. Write sends p to the container's stdin as one binary
// message. Close sends the WebSocket close frame and closes the
// connection; it never blocks for long: while a Write is under way it
// skips the frame, and a daemon that does not take the frame within a
// second has the connection closed under it.
//
// One goroutine may Read while another Writes; Close may be called from
// any goroutine, more than once, and ends pending Reads and Writes (they
// then return an error matching net.ErrClosed). The caller must Close it;
// cancelling the context given to AttachWebsocket closes it too, and Read
// and Write then return an error wrapping the context's error.
type WebsocketConn struct {
	ctx  context.Context
	ws   *websocket.Conn
	conn *wsConn     // the connection under ws
	stop func() bool // releases the ctx hook

	rmu     sync.Mutex // one Read at a time: readErr
	readErr error      // why reading stopped

	wmu sync.Mutex // held by Write, and by Close while it sends the close frame

	closing   atomic.Bool // set when Close or ctx starts closing the session
	closeOnce sync.Once
	closeErr  error
}

// Read reads the container's output.
func (c *WebsocketConn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if c.readErr != nil {
		return 0, c.readErr
	}
	if len(p) == 0 {
		return 0, nil
	}
	n, err := c.ws.Read(p)
	if err != nil {
		// Reading stops for good: after the daemon's close frame, x/net
		// would wait for yet another frame.
		c.readErr = c.mapErr(err)
		return n, c.readErr
	}
	return n, nil
}

// Write sends p to the container's stdin.
func (c *WebsocketConn) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil // an empty message means nothing to the container
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.ws.Write(p); err != nil {
		return 0, c.mapErr(err)
	}
	return len(p), nil
}

// Close ends the session; later calls return what the first returned.
func (c *WebsocketConn) Close() error {
	c.stop()
	return c.shutdown()
}

// shutdown closes the session once, for Close and for the ctx hook.
func (c *WebsocketConn) shutdown() error {
	c.closeOnce.Do(func() {
		c.closing.Store(true)
		// x/net's Close waits for a Write in progress, which may be
		// blocked on a daemon that reads no stdin: send the close frame
		// only when no Write holds the connection, and bound it.
		if c.wmu.TryLock() {
			_ = c.conn.SetWriteDeadline(time.Now().Add(closeTimeout))
			_ = c.ws.Close() // the close frame, then the connection
			c.wmu.Unlock()
		}
		c.closeErr = c.mapErr(c.conn.Close())
	})
	return c.closeErr
}

// mapErr prefixes errors other than the daemon's io.EOF, and reports those
// caused by the context ending as that. Once the session is being closed,
// even io.EOF is its effect (the daemon answering the close frame), not
// the daemon's end of the session.
func (c *WebsocketConn) mapErr(err error) error {
	closing := c.closing.Load()
	switch {
	case err == nil:
		return nil
	case err == io.EOF && !closing:
		return err
	case c.ctx.Err() != nil:
		return fmt.Errorf("docker: attach websocket: %w", c.ctx.Err())
	case err == io.EOF:
		return fmt.Errorf("docker: attach websocket: %w", net.ErrClosed)
	}
	return fmt.Errorf("docker: attach websocket: %w", err)
}
