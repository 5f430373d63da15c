package h1

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// payload returns n deterministic pseudo-random bytes.
func payload(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

func TestResponseFraming(t *testing.T) {
	t.Parallel()
	big := payload(3<<20, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("/small", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", "1.41")
		w.Header().Add("X-Twice", "a")
		w.Header().Add("X-Twice", "b")
		io.WriteString(w, `{"ok":true}`+"\n") // short: net/http sets Content-Length
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Write(big) // long: chunked
	})
	mux.HandleFunc("/flushed", func(w http.ResponseWriter, r *http.Request) {
		for i := range 50 {
			fmt.Fprintf(w, "line %d\n", i)
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/notmodified", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotModified) })
	mux.HandleFunc("/zero", func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Content-Length", "0") })
	f := setup(t, mux)

	var flushed strings.Builder
	for i := range 50 {
		fmt.Fprintf(&flushed, "line %d\n", i)
	}
	tests := []struct {
		target string
		status int
		body   []byte
		length int64
	}{
		{"/small", 200, []byte(`{"ok":true}` + "\n"), 12},
		{"/chunked", 200, big, -1},
		{"/flushed", 200, []byte(flushed.String()), -1},
		{"/empty", 204, nil, 0},
		{"/notmodified", 304, nil, 0},
		{"/zero", 200, nil, 0},
		{"/missing", 404, []byte("404 page not found\n"), 19},
	}
	for _, tc := range tests {
		// Twice each, on the same connection: the first response must
		// leave nothing behind for the second.
		for round := range 2 {
			resp, body := get(t, f.t, tc.target)
			if resp.StatusCode != tc.status || resp.ContentLength != tc.length {
				t.Errorf("%s (round %d): status %d, length %d; want %d, %d", tc.target, round, resp.StatusCode, resp.ContentLength, tc.status, tc.length)
			}
			if !bytes.Equal(body, tc.body) {
				t.Errorf("%s (round %d): body of %d bytes differs from the %d sent", tc.target, round, len(body), len(tc.body))
			}
		}
	}
	if n := f.dials.Load(); n != 1 {
		t.Errorf("%d dials for %d sequential requests, want 1", n, 2*len(tests))
	}
	resp, _ := get(t, f.t, "/small")
	if diff := cmp.Diff([]string{"a", "b"}, resp.Header["X-Twice"]); diff != "" {
		t.Errorf("repeated header (-want +got):\n%s", diff)
	}
	if got := resp.Header.Get("Api-Version"); got != "1.41" {
		t.Errorf("Api-Version %q", got)
	}
}

// TestEOFWithLastBytes checks the property connection reuse depends on: a
// body's last Read reports io.EOF with the last bytes, so a JSON decoder
// that stops at the value's end has still released the connection.
func TestEOFWithLastBytes(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("x", 10000) // chunked
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	for range 3 {
		resp, err := f.t.RoundTrip(newRequest(t, context.Background(), "GET", "/", nil))
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 64<<10)
		got := 0
		var rerr error
		for i := 0; rerr == nil && i < 100; i++ {
			var n int
			n, rerr = resp.Body.Read(buf[got:])
			got += n
		}
		if rerr != io.EOF || got != len(body) {
			t.Fatalf("read %d bytes, then %v; want %d and EOF", got, rerr, len(body))
		}
		// Deliberately not closed: EOF alone must release the connection.
	}
	if n := f.dials.Load(); n != 1 {
		t.Errorf("%d dials, want 1", n)
	}
}

func TestRequestBodies(t *testing.T) {
	t.Parallel()
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		n, err := io.Copy(h, r.Body)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "%s %d %s %s %v", r.Method, n, hex.EncodeToString(h.Sum(nil)), r.Header.Get("Content-Type"), r.TransferEncoding)
	}))
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	small, large := payload(1000, 2), payload(8<<20, 3)
	tests := []struct {
		name   string
		method string
		body   func() io.Reader
		want   string
	}{
		{"none", "POST", func() io.Reader { return nil }, "POST 0 " + sum(nil) + "  []"},
		{"small bytes", "POST", func() io.Reader { return bytes.NewReader(small) }, "POST 1000 " + sum(small) + "  []"},
		{"large bytes", "PUT", func() io.Reader { return bytes.NewReader(large) }, "PUT 8388608 " + sum(large) + "  []"},
		{"unknown length", "POST", func() io.Reader { return io.MultiReader(bytes.NewReader(large)) }, "POST 8388608 " + sum(large) + "  [chunked]"},
		{"pipe", "POST", func() io.Reader {
			pr, pw := io.Pipe()
			go func() {
				for i := 0; i < len(large); i += 100000 {
					pw.Write(large[i:min(i+100000, len(large))])
				}
				pw.Close()
			}()
			return pr
		}, "POST 8388608 " + sum(large) + "  [chunked]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(t, context.Background(), tc.method, "/", tc.body())
			resp, err := f.t.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("server saw %q, want %q", got, tc.want)
			}
		})
	}
}

// closeRecorder records whether the transport closed a request body.
type closeRecorder struct {
	io.Reader
	mu     sync.Mutex
	closed bool
}

func (c *closeRecorder) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

func (c *closeRecorder) wasClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// TestEarlyAnswer: the daemon may answer before reading a large body (a
// 404 for a copy into a missing container). The answer must come back,
// not a hang or a broken pipe, and the body must be closed.
func TestEarlyAnswer(t *testing.T) {
	t.Parallel()
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message":"no such container"}`, http.StatusNotFound)
	}))
	for _, known := range []bool{true, false} {
		body := &closeRecorder{Reader: bytes.NewReader(payload(32<<20, 4))}
		req := newRequest(t, context.Background(), "PUT", "/archive", body)
		if known {
			req.ContentLength = 32 << 20
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			resp, err := f.t.RoundTrip(req)
			if err != nil {
				t.Errorf("known length %v: %v", known, err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 404 || !strings.Contains(string(b), "no such container") {
				t.Errorf("known length %v: %d %q", known, resp.StatusCode, b)
			}
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("known length %v: no answer after 20 s", known)
		}
		if !body.wasClosed() {
			t.Errorf("known length %v: request body not closed", known)
		}
	}
}

func TestConcurrentReuse(t *testing.T) {
	t.Parallel()
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.URL.Query().Get("n"))
	}))
	const workers, each = 8, 50
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				n := strconv.Itoa(w*1000 + i)
				_, body := get(t, f.t, "/?n="+n)
				if string(body) != n {
					t.Errorf("got %q for %q", body, n)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := f.dials.Load(); n > workers {
		t.Errorf("%d dials for %d workers", n, workers)
	}
}

func TestMaxIdle(t *testing.T) {
	t.Parallel()
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	f.t.MaxIdle = 2
	var open []*http.Response
	for range 4 { // four at once: four connections
		resp, err := f.t.RoundTrip(newRequest(t, context.Background(), "GET", "/", nil))
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, resp)
	}
	for _, resp := range open {
		io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	f.t.mu.Lock()
	idle := len(f.t.idle)
	f.t.mu.Unlock()
	if idle != 2 {
		t.Errorf("%d idle connections, want MaxIdle = 2", idle)
	}
}

func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	f.t.IdleTimeout = 50 * time.Millisecond
	get(t, f.t, "/")
	time.Sleep(100 * time.Millisecond)
	get(t, f.t, "/")
	if n := f.dials.Load(); n != 2 {
		t.Errorf("%d dials, want 2: an expired idle connection must not be reused", n)
	}
}

// TestStaleConnection: a daemon that closed an idle connection must not
// fail the next request; it is sent again on a new connection.
func TestStaleConnection(t *testing.T) {
	t.Parallel()
	var conns sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	tr := scripted(t, func(c net.Conn) {
		conns.Add(1)
		defer conns.Done()
		mu.Lock()
		accepted++
		mu.Unlock()
		if _, err := readRequestHead(c); err != nil {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		// then close, without "Connection: close": the client still pools it
	})
	for _, method := range []string{"GET", "POST"} {
		for range 3 {
			resp, err := tr.RoundTrip(newRequest(t, context.Background(), method, "/", nil))
			if err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(b) != "ok" {
				t.Fatalf("%s: body %q", method, b)
			}
			time.Sleep(20 * time.Millisecond) // let the server's close arrive
		}
	}
	conns.Wait()
	mu.Lock()
	defer mu.Unlock()
	if accepted != 6 {
		t.Errorf("%d connections for 6 requests", accepted)
	}
}

func TestConnectionClose(t *testing.T) {
	t.Parallel()
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye")
	}))
	get(t, f.t, "/")
	get(t, f.t, "/")
	if n := f.dials.Load(); n != 2 {
		t.Errorf("%d dials, want 2 (Connection: close)", n)
	}
}

func TestEarlyCloseDoesNotReuse(t *testing.T) {
	t.Parallel()
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(payload(1<<20, 5))
	}))
	resp, err := f.t.RoundTrip(newRequest(t, context.Background(), "GET", "/", nil))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Read(make([]byte, 10))
	resp.Body.Close()
	if _, err := resp.Body.Read(make([]byte, 10)); !errors.Is(err, errBodyClosed) {
		t.Errorf("read after Close: %v", err)
	}
	get(t, f.t, "/")
	if n := f.dials.Load(); n != 2 {
		t.Errorf("%d dials, want 2: a half-read body's connection is not reusable", n)
	}
}

func TestHeadRequest(t *testing.T) {
	t.Parallel()
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1234")
		w.Header().Set("Api-Version", "1.41")
	}))
	for range 2 {
		resp, err := f.t.RoundTrip(newRequest(t, context.Background(), "HEAD", "/_ping", nil))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Body != http.NoBody || resp.ContentLength != 1234 || resp.Header.Get("Api-Version") != "1.41" {
			t.Errorf("HEAD: body %T, length %d, header %v", resp.Body, resp.ContentLength, resp.Header)
		}
	}
	if n := f.dials.Load(); n != 1 {
		t.Errorf("%d dials, want 1", n)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stream" {
			io.WriteString(w, "first")
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Run("waiting for the head", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err := f.t.RoundTrip(newRequest(t, ctx, "GET", "/block", nil))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("returned after %v", d)
		}
	})
	t.Run("reading the body", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		resp, err := f.t.RoundTrip(newRequest(t, ctx, "GET", "/stream", nil))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		buf := make([]byte, 5)
		if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first" {
			t.Fatalf("read %q, %v", buf, err)
		}
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err = resp.Body.Read(buf)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		body := &closeRecorder{Reader: strings.NewReader("x")}
		if _, err := f.t.RoundTrip(newRequest(t, ctx, "POST", "/", body)); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if !body.wasClosed() {
			t.Error("request body not closed")
		}
	})
}

// TestCloseDuringRead: closing the body from another goroutine ends a Read
// blocked on a silent stream (how an events loop is stopped).
func TestCloseDuringRead(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	resp, err := f.t.RoundTrip(newRequest(t, context.Background(), "GET", "/events", nil))
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, func() { resp.Body.Close() })
	done := make(chan error, 1)
	go func() {
		_, err := resp.Body.Read(make([]byte, 10))
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, errBodyClosed) {
			t.Errorf("err = %v, want %v", err, errBodyClosed)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Read still blocked 10 s after Close")
	}
	f.t.mu.Lock()
	defer f.t.mu.Unlock()
	if len(f.t.idle) != 0 {
		t.Error("an aborted connection went back to the pool")
	}
}

func TestUpgrade(t *testing.T) {
	t.Parallel()
	tr := scripted(t, func(c net.Conn) {
		head, err := readRequestHead(c)
		if err != nil || !strings.Contains(head, "Upgrade: tcp\r\n") {
			io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
			return
		}
		// The head and the first bytes of the session in one write.
		io.WriteString(c, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nhello ")
		io.Copy(c, c) // echo until the client half-closes
		io.WriteString(c, "bye")
	})
	req := newRequest(t, context.Background(), "POST", "/exec/x/start", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "tcp")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rw, ok := resp.Body.(io.ReadWriteCloser)
	if resp.StatusCode != 101 || !ok {
		t.Fatalf("status %d, body %T", resp.StatusCode, resp.Body)
	}
	if _, err := io.WriteString(rw, "world"); err != nil {
		t.Fatal(err)
	}
	if err := resp.Body.(interface{ CloseWrite() error }).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rw)
	if err != nil || string(got) != "hello worldbye" {
		t.Errorf("session read %q, %v", got, err)
	}
}

func TestInterimResponses(t *testing.T) {
	t.Parallel()
	tr := scripted(t, func(c net.Conn) {
		readRequestHead(c)
		io.WriteString(c, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone")
	})
	resp, body := get(t, tr, "/")
	if resp.StatusCode != 200 || string(body) != "done" {
		t.Errorf("%d %q", resp.StatusCode, body)
	}
}

// TestRefusedRequests: what would corrupt the request stream is refused
// before anything is sent, and the body is closed.
func TestRefusedRequests(t *testing.T) {
	t.Parallel()
	tr := scripted(t, func(c net.Conn) {
		head, _ := readRequestHead(c)
		t.Errorf("the server was reached: %q", head)
	})
	tests := []struct {
		name string
		edit func(r *http.Request)
	}{
		{"CRLF in a header value", func(r *http.Request) { r.Header.Set("X-Registry-Auth", "a\r\nX-Evil: 1") }},
		{"LF in a header value", func(r *http.Request) { r.Header["X-A"] = []string{"a\nb"} }},
		{"space in a header name", func(r *http.Request) { r.Header["X A"] = []string{"b"} }},
		{"empty header name", func(r *http.Request) { r.Header[""] = []string{"b"} }},
		{"CRLF in Host", func(r *http.Request) { r.Host = "docker\r\nX: y" }},
		{"CR in the query", func(r *http.Request) { r.URL.RawQuery = "a=\r" }},
		{"bad method", func(r *http.Request) { r.Method = "GET /x" }},
		{"negative length", func(r *http.Request) { r.ContentLength = -2 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := &closeRecorder{Reader: strings.NewReader("x")}
			req := newRequest(t, context.Background(), "POST", "/a", body)
			tc.edit(req)
			if resp, err := tr.RoundTrip(req); err == nil {
				resp.Body.Close()
				t.Fatal("sent")
			}
			if !body.wasClosed() {
				t.Error("request body not closed")
			}
		})
	}
}

func TestMalformedResponses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		response string
		wantErr  string // in RoundTrip's error, or else in reading the body
	}{
		{"garbage", "hello\r\n\r\n", "malformed status line"},
		{"HTTP/2 status line", "HTTP/2 200 OK\r\n\r\n", "unsupported protocol"},
		{"short status code", "HTTP/1.1 20 OK\r\n\r\n", "malformed status code"},
		{"letters in the code", "HTTP/1.1 2x0 OK\r\n\r\n", "malformed status code"},
		{"no colon", "HTTP/1.1 200 OK\r\nContent-Length 2\r\n\r\nok", "malformed response header line"},
		{"space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok", "malformed response header line"},
		{"line folding", "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\nContent-Length: 0\r\n\r\n", "obsolete line folding"},
		{"NUL in a header", "HTTP/1.1 200 OK\r\nX-A: \x00\r\nContent-Length: 0\r\n\r\n", "stray CR or NUL"},
		{"conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", "conflicting Content-Length"},
		{"negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "invalid Content-Length"},
		{"huge length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "invalid Content-Length"},
		{"gzip coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported Transfer-Encoding"},
		{"head cut short", "HTTP/1.1 200 OK\r\nContent-Le", "unexpected EOF"},
		{"nothing at all", "", "connection closed before any response"},
		{"body cut short", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcde", "unexpected EOF"},
		{"chunk cut short", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nabc", "unexpected EOF"},
		{"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunk size"},
		{"chunk size overflow", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n", "too large"},
		{"chunk without CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX0\r\n\r\n", "no CRLF after chunk data"},
		{"no last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n", "unexpected EOF"},
		{"head too large", "HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("a", 2<<20) + "\r\n\r\n", "response head too large"},
		{"endless interim answers", strings.Repeat("HTTP/1.1 100 Continue\r\n\r\n", 20), "interim responses"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tr := scripted(t, func(c net.Conn) {
				readRequestHead(c)
				io.WriteString(c, tc.response)
			})
			resp, err := tr.RoundTrip(newRequest(t, context.Background(), "GET", "/", nil))
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// TestWireFormat checks the request bytes themselves.
func TestWireFormat(t *testing.T) {
	t.Parallel()
	heads := make(chan string, 4)
	tr := scripted(t, func(c net.Conn) {
		for {
			head, err := readRequestHead(c)
			if err != nil {
				return
			}
			if strings.Contains(head, "Transfer-Encoding: chunked") {
				body := make([]byte, len("3\r\nabc\r\n0\r\n\r\n"))
				io.ReadFull(c, body)
				head += string(body)
			} else if strings.Contains(head, "Content-Length: 3") {
				body := make([]byte, 3)
				io.ReadFull(c, body)
				head += string(body)
			}
			heads <- head
			io.WriteString(c, "HTTP/1.1 204 No Content\r\n\r\n")
		}
	})
	send := func(method, target string, body io.Reader, header http.Header) string {
		req := newRequest(t, context.Background(), method, target, body)
		req.Host = "docker"
		req.Header = header
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return <-heads
	}
	tests := []struct {
		name   string
		method string
		target string
		body   io.Reader
		header http.Header
		want   string
	}{
		{"get", "GET", "/v1.41/containers/a%2Fb/json?size=1", nil, http.Header{"User-Agent": {"berth-go"}},
			"GET /v1.41/containers/a%2Fb/json?size=1 HTTP/1.1\r\nHost: docker\r\nUser-Agent: berth-go\r\n\r\n"},
		{"post without body", "POST", "/containers/x/start", nil, http.Header{},
			"POST /containers/x/start HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n"},
		{"post with body", "POST", "/x", strings.NewReader("abc"), http.Header{"Content-Type": {"application/json"}},
			"POST /x HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\nabc"},
		{"streamed body", "POST", "/build", io.MultiReader(strings.NewReader("abc")), http.Header{},
			"POST /build HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"},
	}
	for _, tc := range tests {
		if got := send(tc.method, tc.target, tc.body, tc.header); got != tc.want {
			t.Errorf("%s: wrote %q, want %q", tc.name, got, tc.want)
		}
	}
}

// failingReader returns n bytes, then an error.
type failingReader struct{ n int }

var errSource = errors.New("source failed")

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errSource
	}
	k := min(len(p), f.n)
	clear(p[:k])
	f.n -= k
	return k, nil
}

// TestBodySourceFails: when the request body's reader fails, the daemon
// is still waiting for the rest, so the call must end with that error at
// once rather than wait for an answer.
func TestBodySourceFails(t *testing.T) {
	t.Parallel()
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "done")
	}))
	for _, tc := range []struct {
		name   string
		length int64
	}{
		{"inline", 1000},
		{"large", 1 << 20},
		{"unknown length", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(t, context.Background(), "POST", "/", &failingReader{n: 500})
			req.ContentLength = tc.length
			done := make(chan error, 1)
			go func() {
				resp, err := f.t.RoundTrip(req)
				if err == nil {
					resp.Body.Close()
				}
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, errSource) {
					t.Errorf("err = %v, want the source's error", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("still waiting 10 s after the body's reader failed")
			}
		})
	}
}

// TestIdleConnectionsExpire: an idle connection is closed once the idle
// timeout has passed, with no further request to notice it.
func TestIdleConnectionsExpire(t *testing.T) {
	t.Parallel()
	f := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	f.t.IdleTimeout = 100 * time.Millisecond
	get(t, f.t, "/")
	select {
	case <-f.closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the idle connection was still open 10 s after a 100 ms idle timeout")
	}
	f.t.mu.Lock()
	idle, sweep := len(f.t.idle), f.t.sweep
	f.t.mu.Unlock()
	if idle != 0 || sweep != nil {
		t.Errorf("%d idle connections and a sweep set (%v) after expiry", idle, sweep != nil)
	}
	get(t, f.t, "/") // still usable: dials anew
	if n := f.dials.Load(); n != 2 {
		t.Errorf("%d dials, want 2", n)
	}
}
