// Package websocket speaks the part of the WebSocket protocol (RFC 6455)
// that berth needs for GET /containers/{id}/attach/ws: the opening
// handshake's headers and their check, frames in both directions, and a
// Conn that turns a connection into a byte stream.
//
// The files follow the protocol's layers: frame.go encodes and decodes frame
// headers, reader.go reads frames and streams their payloads, writer.go
// writes (and masks) them, handshake.go is the client's opening handshake,
// server.go the server's (for fakes and tests), and conn.go puts reading,
// writing and the closing handshake together.
//
// Payloads are never buffered whole: a frame's length, whatever a peer
// claims, only decides how many bytes are read from the connection, never
// how much memory is allocated. Text frames are treated like binary ones
// (container output need not be UTF-8), and no extension or subprotocol is
// ever negotiated.
package websocket
