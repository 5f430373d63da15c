package stream

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Conn is a hijacked connection to the Engine: an attach or exec session
// after the HTTP upgrade. Read returns the container's output (multiplexed
// frames or raw TTY bytes, see Multiplexed), Write sends raw bytes to its
// stdin, and CloseWrite tells it stdin has ended while output keeps coming.
//
// Conn implements net.Conn. One goroutine may Read (or Demux) while another
// Writes; Close and CloseWrite may be called from any goroutine, and Close
// unblocks pending Reads and Writes. The caller must Close it.
type Conn struct {
	ctx         context.Context
	nc          net.Conn
	multiplexed bool

	// buffered holds bytes read past the HTTP response headers during the
	// upgrade; they come out of Read before anything else. Only Read uses it.
	buffered *bufio.Reader

	stop      func() bool // releases the context hook
	closeOnce sync.Once
	closeErr  error
}

var _ net.Conn = (*Conn)(nil)

// NewConn returns a Conn over the hijacked connection nc, multiplexed or raw
// as the response's Content-Type and the TTY flag say (see IsMultiplexed).
// buffered, which may be nil, is the reader that parsed the HTTP response: the
// bytes it holds beyond the headers are returned by Read first; Conn never
// reads from buffered beyond them. The Conn owns nc.
//
// When ctx is done the Conn closes itself, which ends pending Reads and
// Writes with an error wrapping the context's cause; Close releases that
// hook.
func NewConn(ctx context.Context, nc net.Conn, buffered *bufio.Reader, multiplexed bool) *Conn {
	c := &Conn{ctx: ctx, nc: nc, multiplexed: multiplexed}
	if buffered != nil && buffered.Buffered() > 0 {
		c.buffered = buffered
	}
	c.stop = context.AfterFunc(ctx, func() { c.closeOnce.Do(c.close) })
	return c
}

// Multiplexed reports whether the output is in the multiplexed format (false:
// the raw bytes of a TTY).
func (c *Conn) Multiplexed() bool { return c.multiplexed }

// NetConn returns the underlying connection.
func (c *Conn) NetConn() net.Conn { return c.nc }

// Read reads the container's output as it comes from the Engine, starting
// with the bytes buffered during the upgrade.
func (c *Conn) Read(p []byte) (int, error) {
	if c.buffered != nil {
		if c.buffered.Buffered() > 0 {
			return c.buffered.Read(p)
		}
		c.buffered = nil
	}
	n, err := c.nc.Read(p)
	return n, c.mapErr(err)
}

// Write sends p to the container's stdin. Stdin is never framed.
func (c *Conn) Write(p []byte) (int, error) {
	n, err := c.nc.Write(p)
	return n, c.mapErr(err)
}

// mapErr reports an I/O error caused by the context ending as that.
func (c *Conn) mapErr(err error) error {
	if err == nil || err == io.EOF || c.ctx.Err() == nil {
		return err
	}
	return fmt.Errorf("stream: connection closed: %w", context.Cause(c.ctx))
}

// closeWriter is implemented by connections that can be half-closed:
// *net.TCPConn, *net.UnixConn, *tls.Conn and others.
type closeWriter interface {
	CloseWrite() error
}

// CloseWrite half-closes the connection: the container reads end of file on
// stdin, and its output can still be read. It works on unix and TCP
// connections, on TLS (where it sends close_notify, then half-closes the
// TCP connection under it) and on any connection with a CloseWrite() error
// method; on others it returns an error and changes nothing.
func (c *Conn) CloseWrite() error {
	cw, ok := c.nc.(closeWriter)
	if !ok {
		return fmt.Errorf("stream: cannot half-close a %T: it has no CloseWrite method", c.nc)
	}
	if err := cw.CloseWrite(); err != nil {
		if c.ctx.Err() != nil {
			return c.mapErr(err)
		}
		return fmt.Errorf("stream: half-closing connection: %w", err)
	}
	if tc, ok := c.nc.(*tls.Conn); ok {
		// Peers that wait for the transport's end of file (a proxy, say)
		// get it too. Errors are not interesting: close_notify is sent.
		if raw, ok := tc.NetConn().(closeWriter); ok {
			_ = raw.CloseWrite()
		}
	}
	return nil
}

// Close closes the connection and releases the context hook. It is safe to
// call more than once; later calls return what the first returned.
func (c *Conn) Close() error {
	c.stop()
	c.closeOnce.Do(c.close)
	return c.closeErr
}

func (c *Conn) close() { c.closeErr = c.nc.Close() }

// LocalAddr returns the local address of the underlying connection.
func (c *Conn) LocalAddr() net.Addr { return c.nc.LocalAddr() }

// RemoteAddr returns the remote address of the underlying connection.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// SetDeadline sets the read and write deadlines of the underlying connection.
func (c *Conn) SetDeadline(t time.Time) error { return c.nc.SetDeadline(t) }

// SetReadDeadline sets the read deadline of the underlying connection.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.nc.SetReadDeadline(t) }

// SetWriteDeadline sets the write deadline of the underlying connection.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.nc.SetWriteDeadline(t) }

// Demux copies the rest of the output to stdout and stderr until the Engine
// closes it, and returns the number of payload bytes written: split as by
// the package-level Demux when multiplexed, everything to stdout when raw. A
// nil writer discards its stream. Demux does not close the Conn.
func (c *Conn) Demux(stdout, stderr io.Writer) (int64, error) {
	if c.multiplexed {
		return Demux(stdout, stderr, c)
	}
	return copyRaw(stdout, c)
}
