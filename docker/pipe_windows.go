//go:build windows

package docker

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"
)

// dialPipe opens a Windows named pipe (e.g. \\.\pipe\docker_engine) as a file.
// Deadlines work only as far as *os.File supports them for the pipe handle.
func dialPipe(ctx context.Context, path string) (net.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "npipe", Err: fmt.Errorf("open %s: %w", path, err)}
	}
	return &pipeConn{f: f, addr: pipeAddr(path)}, nil
}

type pipeAddr string

func (a pipeAddr) Network() string { return "npipe" }
func (a pipeAddr) String() string  { return string(a) }

type pipeConn struct {
	f    *os.File
	addr pipeAddr
}

func (c *pipeConn) Read(p []byte) (int, error)         { return c.f.Read(p) }
func (c *pipeConn) Write(p []byte) (int, error)        { return c.f.Write(p) }
func (c *pipeConn) Close() error                       { return c.f.Close() }
func (c *pipeConn) LocalAddr() net.Addr                { return c.addr }
func (c *pipeConn) RemoteAddr() net.Addr               { return c.addr }
func (c *pipeConn) SetDeadline(t time.Time) error      { return c.f.SetDeadline(t) }
func (c *pipeConn) SetReadDeadline(t time.Time) error  { return c.f.SetReadDeadline(t) }
func (c *pipeConn) SetWriteDeadline(t time.Time) error { return c.f.SetWriteDeadline(t) }
