package container

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/berth-go/berth/stream"
)

// inspectTTY serves GET /containers/{id}/json with Config.Tty and counts
// the calls.
func (f *fake) inspectTTY(id string, tty bool, calls *int64) {
	f.handle("GET /containers/"+id+"/json", func(w http.ResponseWriter, r *http.Request) {
		if calls != nil {
			*calls++
		}
		if tty {
			writeJSON(w, 200, `{"Id":"`+id+`","Config":{"Tty":true}}`)
		} else {
			writeJSON(w, 200, `{"Id":"`+id+`","Config":{"Tty":false}}`)
		}
	})
}

// hijack answers an upgrade request the way the daemon does, with the
// given Content-Type (none when empty), then hands the raw connection to
// session, and closes it when session returns.
func hijack(t *testing.T, contentType string, session func(conn net.Conn, in *bufio.Reader)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "tcp" || r.Header.Get("Connection") != "Upgrade" {
			writeError(w, 400, "not an upgrade")
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		head := "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
		if contentType != "" {
			head += "Content-Type: " + contentType + "\r\n"
		}
		if _, err := brw.WriteString(head + "\r\n"); err != nil {
			return
		}
		if err := brw.Flush(); err != nil {
			return
		}
		session(conn, brw.Reader)
	}
}

// echoSession copies stdin back to stdout (framed when multiplexed) until
// stdin ends, then writes "bye" to stderr and ends the session.
func echoSession(multiplexed bool) func(conn net.Conn, in *bufio.Reader) {
	return func(conn net.Conn, in *bufio.Reader) {
		var out, errOut io.Writer = conn, conn
		if multiplexed {
			out, errOut = stream.NewWriter(conn, stream.Stdout), stream.NewWriter(conn, stream.Stderr)
		}
		_, _ = io.Copy(out, in)
		_, _ = errOut.Write([]byte("bye"))
	}
}
