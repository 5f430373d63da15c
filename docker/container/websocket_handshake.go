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
	"net/url"
	"sync"

	"golang.org/x/net/websocket"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// clientHandshake runs x/net's client handshake on conn for hreq, the
// request Dial made for path: its URL, Host, User-Agent and headers. ctx
// bounds the handshake. An answer other than a WebSocket upgrade is an
// error; the daemon's refusals (4xx, 5xx) are *docker.Error with its
// message. On error conn is closed.
func clientHandshake(ctx context.Context, conn *wsConn, hreq *http.Request, path string) (*websocket.Conn, error) {
	scheme := "ws"
	if hreq.URL.Scheme == "https" {
		scheme = "wss"
	}
	cfg := &websocket.Config{
		Location: &url.URL{Scheme: scheme, Host: hreq.Host, Path: hreq.URL.Path, RawPath: hreq.URL.RawPath, RawQuery: hreq.URL.RawQuery},
		// The Engine checks no Origin, but x/net sends one: the daemon's
		// own address is the honest value.
		Origin:  &url.URL{Scheme: hreq.URL.Scheme, Host: hreq.Host},
		Version: websocket.ProtocolVersionHybi13,
		Header:  hreq.Header, // NewClient writes all but the handshake's own
	}
	conn.record = new(recording)
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	ws, err := websocket.NewClient(cfg, conn)
	switch {
	case errors.Is(err, websocket.ErrBadStatus):
		err = refusal(conn, hreq, path)
	case err != nil:
		err = fmt.Errorf("docker: %s %s: WebSocket handshake: %w", http.MethodGet, path, err)
	}
	conn.record = nil
	if !stop() {
		// ctx ended during the handshake and closed the connection.
		err = fmt.Errorf("docker: %s %s: %w", http.MethodGet, path, ctx.Err())
	}
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	return ws, nil
}

// refusal reads the daemon's answer to the handshake again, from the bytes
// the handshake read (x/net drains the body of a refusal) and whatever of
// it is still on the connection, and returns the error it means.
func refusal(conn *wsConn, hreq *http.Request, path string) error {
	answer := io.Reader(bytes.NewReader(conn.record.buf))
	if !conn.record.cut {
		answer = io.MultiReader(answer, conn.Conn)
	}
	resp, err := http.ReadResponse(bufio.NewReader(answer), hreq)
	if err != nil {
		return fmt.Errorf("docker: %s %s: reading the answer to the WebSocket handshake: %w", http.MethodGet, path, err)
	}
	defer resp.Body.Close()
	msg := httpx.ErrorMessage(resp.Body) // of a cut answer, its start
	if resp.StatusCode >= 400 {
		return &docker.Error{StatusCode: resp.StatusCode, Message: msg, Method: http.MethodGet, Path: path}
	}
	return fmt.Errorf("docker: %s %s: status %d instead of a WebSocket upgrade: %s", http.MethodGet, path, resp.StatusCode, msg)
}

// maxRecorded bounds what a handshake keeps of the answer: the headers
// and more of the body than an error message is read from.
const maxRecorded = httpx.MaxErrorBody + 16<<10

// recording is the start of what the handshake read.
type recording struct {
	buf []byte
	cut bool // more was read than buf holds
}

func (r *recording) add(p []byte) {
	n := min(len(p), maxRecorded-len(r.buf))
	r.buf = append(r.buf, p[:n]...)
	r.cut = r.cut || n < len(p)
}

// wsConn is the connection under a WebSocket. It closes once (x/net's
// Close and WebsocketConn's both close it; the first result is kept), and
// during the opening handshake it keeps the bytes read, so that a refusal
// can be read again: x/net reports only that the status was not 101.
type wsConn struct {
	net.Conn
	record *recording // set only while the handshake runs

	closeOnce sync.Once
	closeErr  error
}

func (c *wsConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if c.record != nil {
		c.record.add(p[:n])
	}
	return n, err
}

func (c *wsConn) Close() error {
	c.closeOnce.Do(func() { c.closeErr = c.Conn.Close() })
	return c.closeErr
}
