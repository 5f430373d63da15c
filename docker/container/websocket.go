package container

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/websocket"
)

// AttachWebsocket attaches to a container like Attach, over a WebSocket:
// reading the returned *WebsocketConn gives the raw output (stdout and
// stderr interleaved, never multiplexed) and writing it sends stdin. The
// options are Attach's; daemons before API 1.42 ignore Stdin, Stdout and
// Stderr and attach all three streams. A WebSocket cannot be half-closed:
// closing it ends the session.
//
// The connection goes through the Client's transport (its dialer, TLS and
// headers) like any request. The caller must close the WebsocketConn;
// cancelling ctx closes it too.
//
// An unknown container gives an error matching docker.ErrNotFound.
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
	key := websocket.NewKey()
	req := &docker.Request{Path: path, Stream: true, Header: http.Header{}}
	websocket.SetRequestHeaders(req.Header, key)
	set.apply(req)

	// The body of a 101 answer is the connection, writable too with the
	// transport net/http makes. For a transport that wraps bodies without
	// keeping that, writes go to the connection the request went out on.
	var nc net.Conn
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { nc = info.Conn }}
	resp, err := s.cli.Do(httptrace.WithClientTrace(ctx, trace), req)
	if err != nil {
		return nil, err
	}
	if err := websocket.CheckResponse(resp, key); err != nil {
		resp.Body.Close()
		return nil, fmt.Errorf("docker: %s %s: %w", http.MethodGet, path, err)
	}
	var w io.Writer
	switch {
	case isWriter(resp.Body):
		w = resp.Body.(io.Writer)
	case nc != nil:
		w = nc
	default:
		resp.Body.Close()
		return nil, errors.New("docker: attach websocket: the Client's transport gives neither a writable upgraded body nor its connection (httptrace GotConn)")
	}
	body := &upgraded{ReadCloser: resp.Body, nc: nc}
	c := &WebsocketConn{ctx: ctx, ws: websocket.NewConn(bufio.NewReader(resp.Body), w, body, websocket.Client)}
	c.stop = context.AfterFunc(ctx, func() { c.ws.Close() })
	return c, nil
}

func isWriter(r io.Reader) bool {
	_, ok := r.(io.Writer)
	return ok
}

// upgraded closes an upgraded body and the connection under it, when known.
type upgraded struct {
	io.ReadCloser
	nc net.Conn
}

func (u *upgraded) Close() error {
	err := u.ReadCloser.Close()
	if u.nc != nil {
		_ = u.nc.Close()
	}
	return err
}

// WebsocketConn is an attach session over a WebSocket, from
// AttachWebsocket. Read returns the container's output: the payloads of
// the daemon's messages, one after the other; it returns io.EOF when the
// daemon ends the session (the container exited or the attach ended).
// Write sends p to the container's stdin as one binary message. Close
// sends the WebSocket close frame and closes the connection.
//
// One goroutine may Read while another Writes; Close may be called from
// any goroutine, more than once, and ends pending Reads and Writes. The
// caller must Close it; cancelling the context given to AttachWebsocket
// closes it too, and Read and Write then return an error wrapping the
// context's error.
type WebsocketConn struct {
	ctx  context.Context
	ws   *websocket.Conn
	stop func() bool // releases the ctx hook
}

// Read reads the container's output.
func (c *WebsocketConn) Read(p []byte) (int, error) {
	n, err := c.ws.Read(p)
	return n, c.mapErr(err)
}

// Write sends p to the container's stdin.
func (c *WebsocketConn) Write(p []byte) (int, error) {
	n, err := c.ws.Write(p)
	return n, c.mapErr(err)
}

// Close ends the session; later calls return what the first returned.
func (c *WebsocketConn) Close() error {
	c.stop()
	return c.mapErr(c.ws.Close())
}

// mapErr prefixes errors other than io.EOF, and reports those caused by
// the context ending as that.
func (c *WebsocketConn) mapErr(err error) error {
	switch {
	case err == nil || err == io.EOF:
		return err
	case c.ctx.Err() != nil:
		return fmt.Errorf("docker: attach websocket: %w", c.ctx.Err())
	}
	return fmt.Errorf("docker: attach websocket: %w", err)
}
