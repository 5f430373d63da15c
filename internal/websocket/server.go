package websocket

import (
	"encoding/base64"
	"fmt"
	"net/http"
)

// Upgrade answers a client's opening handshake in r with 101 Switching
// Protocols and returns the server's side of the connection, which the
// caller must close. It is for fakes and tests that play the Engine. A
// request that is not a valid handshake gets 400 (426 for a version other
// than 13) and an error.
func Upgrade(w http.ResponseWriter, r *http.Request) (*Conn, error) {
	fail := func(status int, format string, args ...any) (*Conn, error) {
		err := fmt.Errorf("websocket: handshake: "+format, args...)
		if status == http.StatusUpgradeRequired {
			w.Header().Set("Sec-WebSocket-Version", "13")
		}
		http.Error(w, err.Error(), status)
		return nil, err
	}
	if r.Method != http.MethodGet {
		return fail(http.StatusMethodNotAllowed, "method %s instead of GET", r.Method)
	}
	if !hasToken(r.Header, "Upgrade", "websocket") {
		return fail(http.StatusBadRequest, "Upgrade %q instead of websocket", r.Header.Get("Upgrade"))
	}
	if !hasToken(r.Header, "Connection", "upgrade") {
		return fail(http.StatusBadRequest, "Connection %q instead of Upgrade", r.Header.Get("Connection"))
	}
	if v := r.Header.Get("Sec-WebSocket-Version"); v != "13" {
		return fail(http.StatusUpgradeRequired, "version %q instead of 13", v)
	}
	key := r.Header.Get("Sec-WebSocket-Key")
	if b, err := base64.StdEncoding.DecodeString(key); err != nil || len(b) != 16 {
		return fail(http.StatusBadRequest, "Sec-WebSocket-Key %q is not 16 bytes in base64", key)
	}
	nc, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, fmt.Errorf("websocket: handshake: %w", err)
	}
	answer := "HTTP/1.1 101 Switching Protocols\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + AcceptKey(key) + "\r\n\r\n"
	if _, err := nc.Write([]byte(answer)); err != nil {
		nc.Close()
		return nil, fmt.Errorf("websocket: handshake: %w", err)
	}
	return NewConn(brw.Reader, nc, nc, Server), nil
}
