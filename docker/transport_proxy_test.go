package docker_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
)

// The proxy variables apply to tcp hosts as they do for any Go program
// (http.ProxyFromEnvironment), and never to unix sockets. net/http reads them
// once per process and never proxies loopback addresses, so each case runs
// in a child process (TestTransportProxyChild) with its own environment and
// the host name docker.invalid, which is never looked up: the child's dialer
// records what it is asked for and connects to this process's fakes instead.
//
// Assumed: with WithDialer, a proxied request dials the proxy through that
// dialer (as net/http's Transport.DialContext and moby's client do), so the
// dialer is asked for the proxy's address, never for docker.invalid.
func TestTransportProxy(t *testing.T) {
	t.Parallel()
	proxied := false // the case with a dialer showed the proxy is used
	for _, tc := range []struct {
		name       string
		env        []string // besides the fakes' addresses; {proxy} stands for the proxy's
		wantProxy  string   // the request line the proxy must see, or ""
		wantDial   string   // what the child's dialer must be asked for, or ""
		needsProxy bool     // run only when the client is known to use the proxy
	}{
		{"HTTP_PROXY", []string{"HTTP_PROXY={proxy}"},
			"GET http://docker.invalid:2375/v1.41/containers/x/json", "tcp {proxy}", false},
		{"HTTP_PROXY without a dialer", []string{"HTTP_PROXY={proxy}"},
			"GET http://docker.invalid:2375/v1.41/containers/x/json", "", true},
		{"HTTPS_PROXY", []string{"HTTPS_PROXY={proxy}"}, "CONNECT docker.invalid:2376", "tcp {proxy}", false},
		{"NO_PROXY", []string{"HTTP_PROXY={proxy}", "NO_PROXY=docker.invalid"}, "", "tcp docker.invalid:2375", false},
		{"unix", []string{"HTTP_PROXY={proxy}", "HTTPS_PROXY={proxy}"}, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.needsProxy && !proxied {
				t.Skip("the client did not use the proxy with a dialer; without one it would look up docker.invalid")
			}
			f := startProxyFakes(t)
			env := []string{
				"BERTH_PROXY_CHILD=" + tc.name,
				"BERTH_CHILD_DAEMON=" + f.daemon,
				"BERTH_CHILD_TLS_DAEMON=" + f.tlsDaemon,
				"BERTH_CHILD_CA=" + f.caFile,
				"BERTH_CHILD_UNIX=" + f.unixPath,
			}
			for _, e := range tc.env {
				env = append(env, strings.ReplaceAll(e, "{proxy}", "http://"+f.proxy))
			}
			dials := runProxyChild(t, env)
			want := strings.ReplaceAll(tc.wantDial, "{proxy}", f.proxy)
			if want == "" && len(dials) > 0 || want != "" && !slices.Equal(dials, []string{want}) {
				t.Errorf("the dialer was asked for %q, want %q", dials, want)
			}
			seen := f.seen()
			switch {
			case tc.wantProxy == "" && len(seen) > 0:
				t.Errorf("the proxy saw %q, want nothing", seen)
			case tc.wantProxy != "" && !slices.Equal(seen, []string{tc.wantProxy}):
				t.Errorf("the proxy saw %q, want %q", seen, tc.wantProxy)
			}
			if tc.name == "HTTP_PROXY" && !t.Failed() {
				proxied = true
			}
		})
	}
}

// proxyFakes are what a child talks to: a proxy that answers plain requests
// itself, as if it were the daemon, and tunnels CONNECT to a TLS daemon;
// a plain daemon on TCP and one on a unix socket.
type proxyFakes struct {
	proxy, daemon, tlsDaemon string // 127.0.0.1:port
	caFile, unixPath         string
	mu                       sync.Mutex
	lines                    []string // the request lines the proxy saw
}

func (f *proxyFakes) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.lines)
}

func startProxyFakes(t *testing.T) *proxyFakes {
	f := &proxyFakes{}
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"Id":"x"}`)
	}))
	t.Cleanup(tlsSrv.Close)
	f.tlsDaemon = tlsSrv.Listener.Addr().String()
	f.caFile = filepath.Join(t.TempDir(), "ca.pem")
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})
	if err := os.WriteFile(f.caFile, ca, 0o600); err != nil {
		t.Fatal(err)
	}
	f.daemon = serveScript(t, listen(t, "tcp"), answerAll).ln.Addr().String()
	f.unixPath = serveScript(t, listen(t, "unix"), answerAll).ln.Addr().String()
	f.proxy = serveScript(t, listen(t, "tcp"), func(c *scriptConn) {
		for {
			req, err := c.readRequest()
			if err != nil {
				return
			}
			f.mu.Lock()
			f.lines = append(f.lines, req.Method+" "+req.RequestURI)
			f.mu.Unlock()
			if req.Method == http.MethodConnect {
				tunnel(c, f.tlsDaemon)
				return
			}
			if _, err := io.Copy(io.Discard, req.Body); err != nil || c.reply(http.StatusOK, `{"Id":"x"}`) != nil {
				return
			}
		}
	}).ln.Addr().String()
	return f
}

// tunnel answers a CONNECT and joins c to addr until either side closes.
func tunnel(c *scriptConn, addr string) {
	up, err := net.DialTimeout("tcp", addr, connTimeout)
	if err != nil {
		_ = c.reply(http.StatusBadGateway, "")
		return
	}
	defer up.Close()
	_ = up.SetDeadline(time.Now().Add(connTimeout))
	if _, err := io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(up, c.br)
		up.Close()
	}()
	_, _ = io.Copy(c, up)
	c.Close()
	<-done
}

// runProxyChild runs TestTransportProxyChild with env on top of this
// process's environment, stripped of every proxy setting, and returns what
// its dialer was asked for.
func runProxyChild(t *testing.T, env []string) (dials []string) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestTransportProxyChild$", "-test.v", "-test.count=1")
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "REQUEST_METHOD":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: TestTransportProxyChild")) {
		t.Errorf("the child failed (%v):\n%s", err, out)
	}
	for sc := bufio.NewScanner(bytes.NewReader(out)); sc.Scan(); {
		if d, ok := strings.CutPrefix(sc.Text(), "berth-dial "); ok {
			dials = append(dials, d)
		}
	}
	return dials
}

// TestTransportProxyChild is one case of TestTransportProxy, run in a child
// process; it does nothing when run directly.
func TestTransportProxyChild(t *testing.T) {
	name := os.Getenv("BERTH_PROXY_CHILD")
	if name == "" {
		t.Skip("run by TestTransportProxy in a process of its own")
	}
	host, opts := "tcp://docker.invalid:2375", []docker.Option{docker.WithDialer(childDial)}
	switch name {
	case "HTTP_PROXY without a dialer":
		opts = nil
	case "HTTPS_PROXY":
		ca, err := os.ReadFile(os.Getenv("BERTH_CHILD_CA"))
		if err != nil {
			t.Fatal(err)
		}
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(ca)
		host = "tcp://docker.invalid:2376"
		opts = append(opts, docker.WithTLSConfig(&tls.Config{RootCAs: roots, ServerName: "example.com"}))
	case "unix":
		host, opts = "unix://"+os.Getenv("BERTH_CHILD_UNIX"), nil
	}
	cli := newClient(t, host, opts...)
	if got, err := getBody(testContext(t), cli, "/containers/x/json"); err != nil || got != `{"Id":"x"}` {
		t.Fatalf("got %q, %v", got, err)
	}
}

// childDial prints what it is asked for and connects to the parent's fakes:
// docker.invalid goes to the fake daemon (TLS for port 2376), loopback
// addresses as they are. It resolves no name.
func childDial(ctx context.Context, network, addr string) (net.Conn, error) {
	fmt.Printf("berth-dial %s %s\n", network, addr)
	host, port, err := net.SplitHostPort(addr)
	switch {
	case err != nil:
		return nil, err
	case host == "docker.invalid" && port == "2376":
		addr = os.Getenv("BERTH_CHILD_TLS_DAEMON")
	case host == "docker.invalid":
		addr = os.Getenv("BERTH_CHILD_DAEMON")
	case net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback():
		return nil, fmt.Errorf("test dialer: refusing %s", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}
