//go:build windows && go1.25

package docker

// These tests serve HTTP on a real named pipe (CreateNamedPipe, as the
// Engine does) and reach it through the public API. They run on Windows,
// and under Wine: GOOS=windows go test -c -o x.exe ./docker/ && wine x.exe -test.run Pipe

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// Named pipe server flags (winbase.h) that syscall does not name.
const (
	pipeAccessDuplex        = 0x3
	fileFlagFirstInstance   = 0x00080000
	pipeRejectRemoteClients = 0x8
	pipeUnlimitedInstances  = 255
	errorPipeConnected      = syscall.Errno(535)
)

// pipeListener is a net.Listener on a named pipe, the server side of the
// tests. One instance of the pipe is always listening, as the Engine
// keeps one: a client that dials before Accept runs still connects.
type pipeListener struct {
	path                   string
	max                    uintptr           // instances allowed
	create, connect, event *syscall.LazyProc // kernel32, for this test only

	done chan struct{}
	once sync.Once
	mu   sync.Mutex     // held by Accept; guards next
	next syscall.Handle // the listening instance
}

// listenPipe serves a fresh pipe with at most max instances until t ends.
func listenPipe(t *testing.T, max uintptr) *pipeListener {
	t.Helper()
	k32 := syscall.NewLazyDLL("kernel32.dll")
	l := &pipeListener{
		path:    `\\.\pipe\berth-test-` + rand.Text(),
		max:     max,
		create:  k32.NewProc("CreateNamedPipeW"),
		connect: k32.NewProc("ConnectNamedPipe"),
		event:   k32.NewProc("CreateEventW"),
		done:    make(chan struct{}),
	}
	h, err := l.newInstance(fileFlagFirstInstance)
	if err != nil {
		t.Fatal(err)
	}
	l.next = h
	t.Cleanup(func() { l.Close() })
	return l
}

// host is the listener's address as a berth host.
func (l *pipeListener) host() string { return "npipe://" + strings.ReplaceAll(l.path, `\`, "/") }

// newInstance opens one more listening instance of the pipe.
func (l *pipeListener) newInstance(flags uintptr) (syscall.Handle, error) {
	name, err := syscall.UTF16PtrFromString(l.path)
	if err != nil {
		return 0, err
	}
	// Overlapped, as the Engine's own pipe: the server reads and writes
	// at once too.
	h, _, err := l.create.Call(uintptr(unsafe.Pointer(name)),
		pipeAccessDuplex|syscall.FILE_FLAG_OVERLAPPED|flags,
		pipeRejectRemoteClients, l.max, 4096, 4096, 0, 0)
	if syscall.Handle(h) == syscall.InvalidHandle {
		return 0, fmt.Errorf("CreateNamedPipe: %w", err)
	}
	return syscall.Handle(h), nil
}

func (l *pipeListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.next == 0 {
		return nil, net.ErrClosed
	}
	h := l.next
	if err := l.waitClient(h); err != nil {
		syscall.CloseHandle(h)
		l.next = 0
		return nil, err
	}
	l.next = 0
	if l.max == pipeUnlimitedInstances {
		next, err := l.newInstance(0)
		if err != nil {
			syscall.CloseHandle(h)
			return nil, err
		}
		l.next = next
	}
	f := os.NewFile(uintptr(h), l.path)
	if err := f.SetDeadline(time.Time{}); err != nil {
		f.Close()
		return nil, fmt.Errorf("server handle is not overlapped: %w", err)
	}
	return &pipeConn{f: f, addr: pipeAddr(l.path)}, nil
}

// waitClient waits until a client connects to instance h, or the listener
// is closed.
func (l *pipeListener) waitClient(h syscall.Handle) error {
	ev, _, err := l.event.Call(0, 1, 0, 0)
	if ev == 0 {
		return fmt.Errorf("CreateEvent: %w", err)
	}
	defer syscall.CloseHandle(syscall.Handle(ev))
	ov := &syscall.Overlapped{HEvent: syscall.Handle(ev)}
	defer runtime.KeepAlive(ov) // the kernel writes it until the wait ends
	ok, _, err := l.connect.Call(uintptr(h), uintptr(unsafe.Pointer(ov)))
	switch {
	case ok != 0 || errors.Is(err, errorPipeConnected):
		return nil
	case !errors.Is(err, syscall.ERROR_IO_PENDING):
		return fmt.Errorf("ConnectNamedPipe: %w", err)
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		select {
		case <-l.done:
			syscall.CancelIoEx(h, ov)
			syscall.WaitForSingleObject(syscall.Handle(ev), 5000)
			return net.ErrClosed
		default:
		}
		r, err := syscall.WaitForSingleObject(syscall.Handle(ev), 20)
		switch r {
		case syscall.WAIT_OBJECT_0:
			return nil
		case syscall.WAIT_TIMEOUT:
		default:
			return fmt.Errorf("WaitForSingleObject: %w", err)
		}
	}
	syscall.CancelIoEx(h, ov)
	syscall.WaitForSingleObject(syscall.Handle(ev), 5000)
	return errors.New("no client within a minute")
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.next != 0 {
		syscall.CloseHandle(l.next)
		l.next = 0
	}
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr(l.path) }

// pipeFake serves mux over a fresh pipe, with /_ping answering API 1.41,
// and counts the connections the server accepted.
func pipeFake(t *testing.T, mux *http.ServeMux) (host string, conns *atomic.Int64) {
	t.Helper()
	l := listenPipe(t, pipeUnlimitedInstances)
	mux.HandleFunc("/_ping", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", "1.41")
		_, _ = io.WriteString(w, "OK")
	})
	conns = new(atomic.Int64)
	srv := &http.Server{Handler: mux, ConnState: func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(l)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-served
	})
	return l.host(), conns
}

// pipeClient returns a Client for host, closed when t ends.
func pipeClient(t *testing.T, host string) *Client {
	t.Helper()
	c, err := New(WithHost(host))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestPipePingReusesConnection(t *testing.T) {
	t.Parallel()
	host, conns := pipeFake(t, http.NewServeMux())
	c := pipeClient(t, host)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for i := range 2 {
		p, err := c.Ping(ctx)
		if err != nil {
			t.Fatalf("ping %d: %v", i, err)
		}
		if p.APIVersion != "1.41" {
			t.Errorf("ping %d: APIVersion = %q, want 1.41", i, p.APIVersion)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("server accepted %d connections, want 1 (kept alive)", n)
	}
}

func TestPipeStreamsRequestBody(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1.41/build", func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		n, err := io.Copy(h, r.Body)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "%d %x %v", n, h.Sum(nil), r.TransferEncoding)
	})
	host, _ := pipeFake(t, mux)
	c := pipeClient(t, host)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()

	// Far more than the pipe's 4 KiB buffers, in pieces, through a body
	// of unknown length: the request is sent while it is produced.
	chunk := []byte(strings.Repeat("berth-", 1000))
	const chunks = 200
	want := sha256.New()
	for range chunks {
		want.Write(chunk)
	}
	pr, pw := io.Pipe()
	go func() {
		for range chunks {
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		pw.Close()
	}()
	resp, err := c.Do(ctx, &Request{Method: "POST", Path: "/build", Body: pr})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if w := fmt.Sprintf("%d %x [chunked]", chunks*len(chunk), want.Sum(nil)); string(got) != w {
		t.Errorf("server read %q, want %q", got, w)
	}
}

func TestPipeHijackReadsWhileWritingAndDeadlines(t *testing.T) {
	t.Parallel()
	var handlers sync.WaitGroup
	t.Cleanup(handlers.Wait)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1.41/containers/c1/attach", func(w http.ResponseWriter, r *http.Request) {
		handlers.Add(1)
		defer handlers.Done()
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		_, _ = io.WriteString(conn, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n")
		// Echo line by line until the client goes away.
		for {
			line, err := rw.ReadString('\n')
			if err != nil {
				return
			}
			if _, err := io.WriteString(conn, "echo "+line); err != nil {
				return
			}
		}
	})
	host, _ := pipeFake(t, mux)
	c := pipeClient(t, host)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	conn, err := c.Hijack(ctx, &Request{Method: "POST", Path: "/containers/c1/attach"}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)

	for i := range 3 {
		// The read is pending before the write starts: on a
		// synchronous handle the write would queue behind it forever.
		type result struct {
			line string
			err  error
		}
		read := make(chan result, 1)
		go func() {
			line, err := br.ReadString('\n')
			read <- result{line, err}
		}()
		time.Sleep(50 * time.Millisecond)
		if _, err := fmt.Fprintf(conn, "line %d\n", i); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		select {
		case r := <-read:
			if want := fmt.Sprintf("echo line %d\n", i); r.line != want || r.err != nil {
				t.Fatalf("read %d = %q, %v; want %q", i, r.line, r.err, want)
			}
		case <-time.After(10 * time.Second):
			conn.Close() // ends the read
			<-read
			t.Fatalf("read %d: no echo within 10s", i)
		}
	}

	// Nothing more comes: a read deadline must end the wait, and the
	// session must still work after it.
	if err := conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := br.ReadByte(); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read past the deadline: %v, want os.ErrDeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the deadline fired after %v", d)
	}
	if err := conn.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, "again\n"); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if line, err := br.ReadString('\n'); line != "echo again\n" || err != nil {
		t.Errorf("after the timeout: read %q, %v; want %q", line, err, "echo again\n")
	}
}

func TestPipeDialErrors(t *testing.T) {
	t.Parallel()
	t.Run("no such pipe", func(t *testing.T) {
		t.Parallel()
		c := pipeClient(t, "npipe:////./pipe/berth-test-missing-"+rand.Text())
		_, err := c.Ping(t.Context())
		var due *DaemonUnreachableError
		if !errors.As(err, &due) || !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Ping = %v, want a *DaemonUnreachableError matching fs.ErrNotExist", err)
		}
	})
	t.Run("busy until ctx ends", func(t *testing.T) {
		t.Parallel()
		l := listenPipe(t, 1) // one instance, and no next one
		first, err := dialPipe(t.Context(), l.path)
		if err != nil {
			t.Fatal(err)
		}
		defer first.Close()
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err = dialPipe(ctx, l.path)
		var op *net.OpError
		if !errors.As(err, &op) || op.Op != "dial" || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("dial while busy = %v, want a dial *net.OpError with context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d < 250*time.Millisecond {
			t.Errorf("gave up after %v, before ctx ended", d)
		}
	})
	t.Run("cancelled ctx", func(t *testing.T) {
		t.Parallel()
		l := listenPipe(t, pipeUnlimitedInstances)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := dialPipe(ctx, l.path); !errors.Is(err, context.Canceled) {
			t.Fatalf("dial = %v, want context.Canceled", err)
		}
	})
}
