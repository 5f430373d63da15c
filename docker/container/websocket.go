package container

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"

	"github.com/berth-go/berth/docker"
	"golang.org/x/net/websocket"
)

// AttachWebsocket attaches to a container like Attach, over a WebSocket:
// the returned *websocket.Conn carries the raw output (stdout and stderr
// interleaved, never multiplexed) in binary frames as Read returns them,
// and Write sends stdin. The options are Attach's; daemons before API 1.42
// ignore Stdin, Stdout and Stderr and attach all three streams. A WebSocket
// cannot be half-closed: closing it ends the session.
//
// The connection goes through the Client's transport (its dialer, TLS and
// headers) like any request. The caller must close the Conn; cancelling
// ctx closes it too.
//
// An unknown container gives an error matching docker.ErrNotFound.
//
// API: GET /containers/{id}/attach/ws
func (s *Service) AttachWebsocket(ctx context.Context, id string, opts ...AttachOption) (*websocket.Conn, error) {
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

	// websocket.NewClient speaks the handshake itself over the connection
	// it is given; wsConn forwards the key it chooses in a real upgrade
	// request sent through the Client, and hands it the daemon's answer.
	cfg, err := websocket.NewConfig("ws://docker"+path, "http://localhost")
	if err != nil {
		return nil, fmt.Errorf("docker: attach websocket: %w", err)
	}
	wc := &wsConn{ctx: ctx, cli: s.cli, req: req}
	ws, err := websocket.NewClient(cfg, wc)
	if err != nil {
		wc.Close()
		if wc.err != nil {
			return nil, wc.err
		}
		return nil, fmt.Errorf("docker: attach websocket: %w", err)
	}
	ws.PayloadType = websocket.BinaryFrame
	return ws, nil
}

// wsConn is the connection websocket.NewClient works on. Until the
// handshake is done it collects the handshake request NewClient writes,
// sends an equivalent upgrade through the docker.Client, and serves the
// daemon's answer back; afterwards it reads from the upgraded response
// body and writes to the connection under it.
type wsConn struct {
	ctx context.Context
	cli *docker.Client
	req *docker.Request

	handshake bytes.Buffer  // NewClient's handshake request, until complete
	answer    *bytes.Reader // the handshake response NewClient reads first

	body io.ReadCloser // the daemon's side of the upgraded connection
	nc   net.Conn      // the connection under body, for writes and deadlines
	stop func() bool   // releases the ctx hook

	err       error // why the upgrade failed
	closeOnce sync.Once
}

// Write collects the handshake, then writes to the daemon.
func (c *wsConn) Write(p []byte) (int, error) {
	if c.nc != nil {
		return c.nc.Write(p)
	}
	if c.err != nil {
		return 0, c.err
	}
	c.handshake.Write(p)
	if !bytes.Contains(c.handshake.Bytes(), []byte("\r\n\r\n")) {
		return len(p), nil
	}
	if err := c.upgrade(); err != nil {
		c.err = err
		return 0, err
	}
	return len(p), nil
}

// upgrade sends the handshake NewClient wrote as a request of the Client.
func (c *wsConn) upgrade() error {
	hs, err := http.ReadRequest(bufio.NewReader(&c.handshake))
	if err != nil {
		return fmt.Errorf("docker: attach websocket: reading the handshake: %w", err)
	}
	req := *c.req
	req.Header = http.Header{}
	for _, k := range []string{"Upgrade", "Connection", "Sec-Websocket-Key", "Sec-Websocket-Version", "Origin"} {
		if v := hs.Header.Get(k); v != "" {
			req.Header.Set(k, v)
		}
	}
	var nc net.Conn
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { nc = info.Conn }}
	resp, err := c.cli.Do(httptrace.WithClientTrace(c.ctx, trace), &req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		resp.Body.Close()
		return fmt.Errorf("docker: %s %s: status %d instead of a WebSocket upgrade", http.MethodGet, c.req.Path, resp.StatusCode)
	}
	if nc == nil {
		resp.Body.Close()
		return errors.New("docker: attach websocket: the Client's transport does not report its connections (httptrace GotConn)")
	}
	c.body, c.nc = resp.Body, nc
	c.stop = context.AfterFunc(c.ctx, func() { c.Close() })
	var b strings.Builder
	b.WriteString("HTTP/1.1 101 Switching Protocols\r\n")
	for _, k := range []string{"Upgrade", "Connection", "Sec-Websocket-Accept", "Sec-Websocket-Protocol"} {
		if v := resp.Header.Get(k); v != "" {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	c.answer = bytes.NewReader([]byte(b.String()))
	return nil
}

// Read serves the handshake answer, then the daemon's frames.
func (c *wsConn) Read(p []byte) (int, error) {
	if c.answer != nil && c.answer.Len() > 0 {
		return c.answer.Read(p)
	}
	if c.body == nil {
		if c.err != nil {
			return 0, c.err
		}
		return 0, errors.New("docker: attach websocket: read before the upgrade")
	}
	n, err := c.body.Read(p)
	if err != nil && err != io.EOF && c.ctx.Err() != nil {
		err = fmt.Errorf("docker: attach websocket: %w", c.ctx.Err())
	}
	return n, err
}

// Close closes the connection; it is safe to call more than once.
func (c *wsConn) Close() error {
	var err error
	c.closeOnce.Do(func() {
		if c.stop != nil {
			c.stop()
		}
		if c.body != nil {
			err = c.body.Close()
		}
		if c.nc != nil {
			_ = c.nc.Close()
		}
	})
	return err
}

// The net.Conn methods websocket.Conn uses for addresses and deadlines.

func (c *wsConn) LocalAddr() net.Addr {
	if c.nc == nil {
		return nil
	}
	return c.nc.LocalAddr()
}

func (c *wsConn) RemoteAddr() net.Addr {
	if c.nc == nil {
		return nil
	}
	return c.nc.RemoteAddr()
}

func (c *wsConn) SetDeadline(t time.Time) error {
	if c.nc == nil {
		return errors.New("docker: attach websocket: not connected")
	}
	return c.nc.SetDeadline(t)
}

func (c *wsConn) SetReadDeadline(t time.Time) error {
	if c.nc == nil {
		return errors.New("docker: attach websocket: not connected")
	}
	return c.nc.SetReadDeadline(t)
}

func (c *wsConn) SetWriteDeadline(t time.Time) error {
	if c.nc == nil {
		return errors.New("docker: attach websocket: not connected")
	}
	return c.nc.SetWriteDeadline(t)
}
