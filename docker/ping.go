package docker

import (
	"context"
	"io"
	"net/http"
	"strings"
)

// PingResult is what GET or HEAD /_ping tells about the daemon, all from
// response headers.
type PingResult struct {
	APIVersion     string // API-Version: the daemon's newest API version
	OSType         string // OSType: "linux" or "windows"
	Experimental   bool   // Docker-Experimental
	BuilderVersion string // Builder-Version: "1" (classic) or "2" (BuildKit), API >= 1.40
	// SwarmState and SwarmRole are the Swarm header (API >= 1.42) split at "/": the node
	// state ("inactive", "pending", "error", "locked", "active") and, when
	// active, whether it is a "manager" or a "worker". Both are empty when
	// the daemon sends no such header.
	SwarmState string
	SwarmRole  string
}

// PingOption configures Ping.
type PingOption interface{ applyPing(*pingConfig) }

type pingConfig struct{ method string }

type pingOptionFunc func(*pingConfig)

func (f pingOptionFunc) applyPing(c *pingConfig) { f(c) }

// Head makes Ping use HEAD /_ping, which sends no body.
func Head() PingOption {
	return pingOptionFunc(func(c *pingConfig) { c.method = http.MethodHead })
}

// Ping checks that the daemon answers and reads its headers. It is sent
// without a version prefix, so it works before negotiation and against any
// daemon version. When the answer has the API-Version header and the
// version is neither pinned nor negotiated yet, Ping settles it as
// negotiation would (see NegotiateAPIVersion): APIVersion reports it at
// once, and later calls need no round trip to negotiate.
//
// API: GET /_ping
// API: HEAD /_ping
func (c *Client) Ping(ctx context.Context, opts ...PingOption) (PingResult, error) {
	method := http.MethodGet
	if len(opts) > 0 {
		method = pingMethod(opts)
	}
	p, err := c.ping(ctx, method)
	if err == nil {
		c.settleFromPing(ctx, p.APIVersion)
	}
	return p, err
}

// pingMethod applies opts. It is apart from Ping so that Ping without
// options does not allocate the config the options write to.
func pingMethod(opts []PingOption) string {
	cfg := pingConfig{method: http.MethodGet}
	for _, o := range opts {
		o.applyPing(&cfg)
	}
	return cfg.method
}

func (c *Client) ping(ctx context.Context, method string) (PingResult, error) {
	req := &Request{Method: method, Path: "/_ping", unversioned: true}
	resp, err := c.Do(ctx, req)
	if err != nil {
		return PingResult{}, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64))
	return pingFromHeader(resp.Header), nil
}

func pingFromHeader(h http.Header) PingResult {
	p := PingResult{
		APIVersion:     h.Get("Api-Version"), // canonical spellings: Get need not allocate them
		OSType:         h.Get("Ostype"),
		Experimental:   h.Get("Docker-Experimental") == "true",
		BuilderVersion: h.Get("Builder-Version"),
	}
	if sw := h.Get("Swarm"); sw != "" {
		p.SwarmState, p.SwarmRole, _ = strings.Cut(sw, "/")
	}
	return p
}
