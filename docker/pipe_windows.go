//go:build windows && go1.25

package docker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
)

// Flags for CreateFile that syscall does not name. SECURITY_SQOS_PRESENT
// with SECURITY_ANONYMOUS (zero) keeps whoever serves the pipe from
// impersonating the caller: the pipe's name is all that was checked.
const (
	securitySQOSPresent = 0x00100000
	securityAnonymous   = 0
	errorPipeBusy       = syscall.Errno(231) // ERROR_PIPE_BUSY
)

// pipeBusyWait bounds how long a dial keeps retrying while every instance
// of the pipe is busy, when ctx does not end it sooner. The daemon opens a
// new instance as soon as one is taken, so a longer wait means it is stuck.
const pipeBusyWait = 10 * time.Second

// dialPipe connects to a Windows named pipe (e.g. \\.\pipe\docker_engine).
//
// The handle is opened for overlapped (asynchronous) I/O. net/http keeps a
// Read pending on every connection while it writes the next request, and
// hijacked sessions read and write at once; on a synchronous handle Windows
// runs one I/O at a time per file object, so the Write would wait behind
// the Read forever, and deadlines could not interrupt either. From Go 1.25,
// os.NewFile puts an overlapped handle on the runtime's I/O completion
// port, which gives the *os.File concurrent Read and Write and deadlines.
//
// CreateFile itself does not wait for a local pipe, so ctx is checked
// between attempts and ends the wait for a free instance.
func dialPipe(ctx context.Context, path string) (net.Conn, error) {
	addr := pipeAddr(path)
	dialErr := func(err error) error { return &net.OpError{Op: "dial", Net: "npipe", Addr: addr, Err: err} }
	name, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return nil, dialErr(err)
	}
	giveUp := time.Now().Add(pipeBusyWait)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		if err := ctx.Err(); err != nil {
			return nil, dialErr(err)
		}
		h, err := syscall.CreateFile(name, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil,
			syscall.OPEN_EXISTING, syscall.FILE_FLAG_OVERLAPPED|securitySQOSPresent|securityAnonymous, 0)
		if err == nil {
			f := os.NewFile(uintptr(h), path)
			// NewFile falls back to synchronous I/O, where deadlines
			// fail, when the handle cannot join the completion port:
			// such a connection would hang as described above.
			if err := f.SetDeadline(time.Time{}); err != nil {
				_ = f.Close()
				return nil, dialErr(fmt.Errorf("pipe handle without overlapped I/O: %w", err))
			}
			return &pipeConn{f: f, addr: addr}, nil
		}
		// Busy: every instance is connected and the server has not yet
		// opened the next one. Anything else (no such pipe, access
		// denied) will not change by waiting.
		if !errors.Is(err, errorPipeBusy) || time.Now().After(giveUp) {
			return nil, dialErr(err)
		}
		select {
		case <-ctx.Done():
			return nil, dialErr(ctx.Err())
		case <-time.After(delay):
		}
	}
}

type pipeAddr string

func (a pipeAddr) Network() string { return "npipe" }
func (a pipeAddr) String() string  { return string(a) }

// pipeConn is a net.Conn over a named pipe client handle. Named pipes have
// no half-close, so it has no CloseWrite.
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
