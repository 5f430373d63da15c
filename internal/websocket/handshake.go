package websocket

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// acceptGUID is the fixed string RFC 6455 appends to the client's key
// before hashing it into the server's Sec-WebSocket-Accept.
const acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// NewKey returns a fresh Sec-WebSocket-Key: 16 random bytes in base64.
func NewKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand crashes the program instead)
	return base64.StdEncoding.EncodeToString(b[:])
}

// AcceptKey returns the Sec-WebSocket-Accept a server answers key with:
// the base64 of the SHA-1 of key followed by RFC 6455's GUID.
func AcceptKey(key string) string {
	sum := sha1.Sum([]byte(key + acceptGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// SetRequestHeaders sets the headers of a client's opening handshake with
// key (from NewKey) on h. The request must be a GET over HTTP/1.1.
func SetRequestHeaders(h http.Header, key string) {
	h.Set("Upgrade", "websocket")
	h.Set("Connection", "Upgrade")
	h.Set("Sec-WebSocket-Version", "13")
	h.Set("Sec-WebSocket-Key", key)
}

// CheckResponse checks the server's answer to an opening handshake sent
// with key: 101 Switching Protocols, Upgrade: websocket, Connection:
// Upgrade, the Sec-WebSocket-Accept that key calls for, and neither an
// extension nor a subprotocol (none was asked for).
func CheckResponse(resp *http.Response, key string) error {
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return fmt.Errorf("websocket: handshake: status %d instead of 101 Switching Protocols", resp.StatusCode)
	}
	if !hasToken(resp.Header, "Upgrade", "websocket") {
		return fmt.Errorf("websocket: handshake: Upgrade %q instead of websocket", resp.Header.Get("Upgrade"))
	}
	if !hasToken(resp.Header, "Connection", "upgrade") {
		return fmt.Errorf("websocket: handshake: Connection %q instead of Upgrade", resp.Header.Get("Connection"))
	}
	if got, want := resp.Header.Get("Sec-WebSocket-Accept"), AcceptKey(key); got != want {
		return fmt.Errorf("websocket: handshake: Sec-WebSocket-Accept %q, want %q", got, want)
	}
	if v := resp.Header.Get("Sec-WebSocket-Extensions"); v != "" {
		return fmt.Errorf("websocket: handshake: extension %q that was not asked for", v)
	}
	if v := resp.Header.Get("Sec-WebSocket-Protocol"); v != "" {
		return fmt.Errorf("websocket: handshake: subprotocol %q that was not asked for", v)
	}
	return nil
}

// hasToken reports whether the comma-separated values of header name in h
// include token, compared without regard to case.
func hasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}
