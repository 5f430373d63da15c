package docker

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/stream"
)

// hijackHandler answers an upgrade with status and headers, writes early
// right behind the headers (the bytes that land in the client's response
// buffer), then echoes what the client sends as stdout frames until it
// half-closes.
func hijackHandler(t *testing.T, status int, contentType string, early []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "tcp" || r.Header.Get("Connection") != "Upgrade" {
			http.Error(w, "not an upgrade", 400)
			return
		}
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		var hdr bytes.Buffer
		if status == 101 {
			hdr.WriteString("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n")
		} else {
			hdr.WriteString("HTTP/1.1 200 OK\r\n")
		}
		if contentType != "" {
			hdr.WriteString("Content-Type: " + contentType + "\r\n")
		}
		hdr.WriteString("\r\n")
		hdr.Write(early)
		if _, err := conn.Write(hdr.Bytes()); err != nil {
			return
		}
		in, _ := io.ReadAll(rw.Reader) // until the client's CloseWrite
		_, _ = stream.NewWriter(conn, stream.Stdout).Write(in)
	}
}

func TestHijackKeepsEarlyBytesAndHalfCloses(t *testing.T) {
	t.Parallel()
	var early bytes.Buffer
	_, _ = stream.NewWriter(&early, stream.Stderr).Write([]byte("early "))
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		version     string
		tty         bool
		wantMux     bool
	}{
		{"101 old API trusts tty", 101, stream.RawContentType, "1.41", false, true},
		{"200 old-style hijack", 200, "", "1.41", false, true},
		{"1.42 content type wins", 101, stream.MultiplexedContentType, "1.44", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, tc.version)
			f.mux.HandleFunc("/v"+tc.version+"/containers/c1/attach", hijackHandler(t, tc.status, tc.contentType, early.Bytes()))
			c := f.client(t)
			conn, err := c.Hijack(t.Context(), &Request{Method: "POST", Path: "/containers/c1/attach"}, tc.tty)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if conn.Multiplexed() != tc.wantMux {
				t.Errorf("Multiplexed() = %v, want %v", conn.Multiplexed(), tc.wantMux)
			}
			if _, err := io.WriteString(conn, "hello stdin"); err != nil {
				t.Fatal(err)
			}
			if err := conn.CloseWrite(); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			if _, err := conn.Demux(&stdout, &stderr); err != nil {
				t.Fatal(err)
			}
			if stdout.String() != "hello stdin" || stderr.String() != "early " {
				t.Errorf("stdout %q stderr %q", stdout.String(), stderr.String())
			}
		})
	}
}

func TestHijackErrorStatus(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/containers/missing/attach", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		_, _ = w.Write([]byte(`{"message":"No such container: missing"}`))
	})
	_, err := f.client(t).Hijack(t.Context(), &Request{Method: "POST", Path: "/containers/missing/attach"}, false)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "No such container: missing") {
		t.Fatalf("err = %v, want ErrNotFound with the daemon's message", err)
	}
}

func TestHijackClosesOnContextCancel(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/containers/c1/attach", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = conn.Write([]byte("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"))
		_, _ = io.Copy(io.Discard, conn) // hold the session open until the client goes
	})
	c := f.client(t)
	ctx, cancel := contextWithCancel(t.Context())
	defer cancel()
	conn, err := c.Hijack(ctx, &Request{Method: "POST", Path: "/containers/c1/attach"}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	done := make(chan error, 1)
	go func() {
		_, err := bufio.NewReader(conn).ReadByte()
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("read succeeded after cancel")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("read still blocked 5s after the context was cancelled")
	}
}

func TestDoKeeps101BodyWritable(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/echo", func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = conn.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n"))
		line, _ := rw.ReadString('\n')
		_, _ = conn.Write([]byte("got " + line))
	})
	resp, err := f.client(t).Do(t.Context(), &Request{Path: "/echo", Header: http.Header{"Connection": {"Upgrade"}, "Upgrade": {"echo"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	w, ok := resp.Body.(io.Writer)
	if !ok {
		t.Fatalf("101 body %T is not writable", resp.Body)
	}
	if _, err := io.WriteString(w, "ping\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "got ping\n" {
		t.Errorf("read %q", b)
	}
}
