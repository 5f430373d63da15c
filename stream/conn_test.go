package stream_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/nettest"

	"github.com/berth-go/berth/stream"
)

// deadline bounds every blocking step of the socket tests.
const deadline = 10 * time.Second

// selfSigned returns a TLS certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "berth stream test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool
}

// listenDial returns a listener and a dial function for each transport of
// the half-close tests.
func listenDial(t *testing.T, transport string) (net.Listener, func() (net.Conn, error)) {
	t.Helper()
	switch transport {
	case "unix":
		ln, err := nettest.NewLocalListener("unix")
		if err != nil {
			t.Fatal(err)
		}
		return ln, func() (net.Conn, error) { return net.DialTimeout("unix", ln.Addr().String(), deadline) }
	case "tcp":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return ln, func() (net.Conn, error) { return net.DialTimeout("tcp", ln.Addr().String(), deadline) }
	case "tls":
		cert, pool := selfSigned(t)
		ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
		if err != nil {
			t.Fatal(err)
		}
		return ln, func() (net.Conn, error) {
			d := &tls.Dialer{NetDialer: &net.Dialer{Timeout: deadline}, Config: &tls.Config{RootCAs: pool}}
			return d.Dial("tcp", ln.Addr().String())
		}
	}
	t.Fatalf("unknown transport %q", transport)
	return nil, nil
}

// TestConnHalfClose: the client writes stdin, half-closes, the server reads
// to EOF and then answers with output, which the client reads entirely.
func TestConnHalfClose(t *testing.T) {
	t.Parallel()
	for _, transport := range []string{"unix", "tcp", "tls"} {
		t.Run(transport, func(t *testing.T) {
			t.Parallel()
			ln, dial := listenDial(t, transport)
			defer ln.Close()
			stdin := strings.Repeat("stdin line\n", 10000) // more than a socket buffer
			serverErr := make(chan error, 1)
			go func() {
				serverErr <- func() error {
					c, err := ln.Accept()
					if err != nil {
						return err
					}
					defer c.Close()
					c.SetDeadline(time.Now().Add(deadline))
					got, err := io.ReadAll(c) // ends at the client's half-close
					if err != nil {
						return err
					}
					if string(got) != stdin {
						return errors.New("server got the wrong stdin")
					}
					out := stream.NewWriter(c, stream.Stdout)
					errw := stream.NewWriter(c, stream.Stderr)
					if _, err := io.WriteString(out, "read "); err != nil {
						return err
					}
					if _, err := io.WriteString(errw, "no errors"); err != nil {
						return err
					}
					_, err = out.Write(got)
					return err
				}()
			}()

			nc, err := dial()
			if err != nil {
				t.Fatal(err)
			}
			c := stream.NewConn(t.Context(), nc, nil, true)
			defer c.Close()
			c.SetDeadline(time.Now().Add(deadline))
			if _, err := io.WriteString(c, stdin); err != nil {
				t.Fatal(err)
			}
			if err := c.CloseWrite(); err != nil {
				t.Fatalf("CloseWrite: %v", err)
			}
			if _, err := c.Write([]byte("x")); err == nil {
				t.Error("Write after CloseWrite succeeded")
			}
			var stdout, stderr bytes.Buffer
			n, err := c.Demux(&stdout, &stderr)
			if err != nil {
				t.Fatalf("Demux: %v", err)
			}
			if err := <-serverErr; err != nil {
				t.Fatalf("server: %v", err)
			}
			want := output{"read " + stdin, "no errors"}
			if diff := cmp.Diff(want, output{stdout.String(), stderr.String()}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if n != int64(len(want.Stdout)+len(want.Stderr)) {
				t.Errorf("Demux returned %d, want %d", n, len(want.Stdout)+len(want.Stderr))
			}
		})
	}
}

// fakeConn is a net.Conn reading from r, recording writes and closes.
type fakeConn struct {
	net.Conn // nil: methods not overridden panic
	r        io.Reader
	closes   atomic.Int32
}

func (f *fakeConn) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *fakeConn) Close() error {
	f.closes.Add(1)
	return nil
}

// TestConnBufferedFirst parses an upgrade response the way a client does and
// checks the bytes read past its headers come out of the Conn first.
func TestConnBufferedFirst(t *testing.T) {
	t.Parallel()
	wire := "HTTP/1.1 101 UPGRADED\r\n" +
		"Content-Type: application/vnd.docker.multiplexed-stream\r\n" +
		"Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n" +
		string(frame(1, "buffered ")) + string(frame(2, "also buffered"))
	later := cat(frame(1, "from the socket"))
	nc := &fakeConn{r: io.MultiReader(strings.NewReader(wire), bytes.NewReader(later))}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if br.Buffered() == 0 {
		t.Fatal("nothing buffered past the headers: the test does not test")
	}
	c := stream.NewConn(t.Context(), nc, br, stream.IsMultiplexed(resp.Header.Get("Content-Type"), true))
	defer c.Close()
	if !c.Multiplexed() {
		t.Error("Multiplexed() = false, want true from the Content-Type")
	}
	var stdout, stderr bytes.Buffer
	if _, err := c.Demux(&stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	want := output{"buffered from the socket", "also buffered"}
	if diff := cmp.Diff(want, output{stdout.String(), stderr.String()}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestConnRawDemux(t *testing.T) {
	t.Parallel()
	c := stream.NewConn(t.Context(), &fakeConn{r: strings.NewReader("$ ls\r\nbin  etc\r\n")}, nil, false)
	defer c.Close()
	var stdout bytes.Buffer
	if n, err := c.Demux(&stdout, nil); n != 16 || err != nil || stdout.String() != "$ ls\r\nbin  etc\r\n" {
		t.Errorf("Demux = %d, %v, stdout %q", n, err, stdout.String())
	}
}

// TestConnEnd: a pending Read ends when the context is cancelled or the Conn
// closed, and that Read and later Writes say which of the two it was.
func TestConnEnd(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		end  func(cancel context.CancelFunc, c *stream.Conn)
		want error
	}{
		{"context cancelled", func(cancel context.CancelFunc, _ *stream.Conn) { cancel() }, context.Canceled},
		// The context is live: the caller's own Close is not its end.
		{"Close", func(_ context.CancelFunc, c *stream.Conn) { c.Close() }, net.ErrClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			c, _, stop, err := connPair(ctx, "tcp")
			if err != nil {
				t.Fatal(err)
			}
			defer stop() // the server stays silent until then
			c.SetDeadline(time.Now().Add(deadline))
			readErr := make(chan error, 1)
			go func() {
				_, err := c.Read(make([]byte, 10))
				readErr <- err
			}()
			time.Sleep(10 * time.Millisecond) // let the Read block, mostly
			tc.end(cancel, c)
			select {
			case err := <-readErr:
				if !errors.Is(err, tc.want) {
					t.Errorf("pending Read: err = %v, want %v", err, tc.want)
				}
			case <-time.After(deadline):
				t.Fatal("Read still blocked")
			}
			if _, err := c.Write([]byte("x")); !errors.Is(err, tc.want) {
				t.Errorf("Write after: err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestConnClose(t *testing.T) {
	t.Parallel()
	t.Run("idempotent and releases the context hook", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		nc := &fakeConn{r: strings.NewReader("")}
		c := stream.NewConn(ctx, nc, nil, true)
		for range 3 {
			if err := c.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
		cancel()
		time.Sleep(10 * time.Millisecond) // a hook still registered would run now
		if got := nc.closes.Load(); got != 1 {
			t.Errorf("underlying conn closed %d times, want 1", got)
		}
	})
	t.Run("after the context ended", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		nc := &fakeConn{r: strings.NewReader("")}
		c := stream.NewConn(ctx, nc, nil, true)
		cancel()
		deadline := time.Now().Add(deadline)
		for nc.closes.Load() == 0 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if got := nc.closes.Load(); got != 1 {
			t.Errorf("underlying conn closed %d times, want 1", got)
		}
	})
}

func TestConnCloseWriteUnsupported(t *testing.T) {
	t.Parallel()
	a, b := net.Pipe()
	defer b.Close()
	c := stream.NewConn(t.Context(), a, nil, false)
	defer c.Close()
	err := c.CloseWrite()
	if err == nil || !strings.Contains(err.Error(), "net.pipe") {
		t.Errorf("CloseWrite on a net.Pipe: err = %v, want one naming the type", err)
	}
}
