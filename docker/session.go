package docker

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/berth-go/berth/stream"
)

// SessionConfig identifies an interactive session (the channel BuildKit
// uses to reach back into the client for files, secrets and credentials).
type SessionConfig struct {
	ID        string   // X-Docker-Expose-Session-Uuid: a unique id chosen by the client
	Name      string   // X-Docker-Expose-Session-Name: a human-readable name
	SharedKey string   // X-Docker-Expose-Session-Sharedkey: a key for reusing local state
	Methods   []string // X-Docker-Expose-Session-Grpc-Method: gRPC methods the client serves
}

// Session opens an interactive session: the connection is upgraded to h2c
// and handed over raw. Speaking gRPC over it is up to the caller. The
// returned connection must be closed by the caller and closes when ctx is
// cancelled.
//
// API: POST /session
//
// Deprecated: API 1.53 deprecated POST /session, together with POST /grpc
// (the BuildKit gRPC endpoint, which berth does not wrap), and a future
// Engine will remove both. Engines still serve it; Session stays for as
// long as they do.
func (c *Client) Session(ctx context.Context, cfg SessionConfig) (net.Conn, error) {
	if cfg.ID == "" {
		return nil, errors.New("docker: session id is empty")
	}
	h := http.Header{}
	h.Set("X-Docker-Expose-Session-Uuid", cfg.ID)
	if cfg.Name != "" {
		h.Set("X-Docker-Expose-Session-Name", cfg.Name)
	}
	if cfg.SharedKey != "" {
		h.Set("X-Docker-Expose-Session-Sharedkey", cfg.SharedKey)
	}
	for _, m := range cfg.Methods {
		h.Add("X-Docker-Expose-Session-Grpc-Method", m)
	}
	req := &Request{Method: http.MethodPost, Path: "/session", Header: h, MinVersion: "1.31"}
	nc, br, _, err := c.upgrade(ctx, req, "h2c")
	if err != nil {
		return nil, err
	}
	return stream.NewConn(ctx, nc, br, false), nil
}
