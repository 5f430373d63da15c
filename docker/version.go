package docker

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Version bounds of this client. MaxAPIVersion is the newest API described by
// the specification berth is written against; MinAPIVersion is the oldest the
// Engine still serves and berth still speaks.
const (
	MaxAPIVersion = "1.57"
	MinAPIVersion = "1.24"
)

// CompareVersions compares two API versions ("1.41" < "1.57" < "1.100"),
// returning -1, 0 or +1. Missing parts count as zero; a part that is not a
// number compares as zero too, so malformed input never panics.
func CompareVersions(a, b string) int {
	for a != "" || b != "" {
		var pa, pb string
		pa, a, _ = strings.Cut(a, ".")
		pb, b, _ = strings.Cut(b, ".")
		na, _ := strconv.Atoi(pa)
		nb, _ := strconv.Atoi(pb)
		switch {
		case na < nb:
			return -1
		case na > nb:
			return +1
		}
	}
	return 0
}

// validVersion reports whether v looks like "MAJOR.MINOR".
func validVersion(v string) bool {
	major, minor, ok := strings.Cut(v, ".")
	if !ok {
		return false
	}
	if _, err := strconv.ParseUint(major, 10, 16); err != nil {
		return false
	}
	_, err := strconv.ParseUint(minor, 10, 16)
	return err == nil
}

// APIVersion returns the API version requests use: the pinned version, the
// negotiated one, or MaxAPIVersion before negotiation has happened (it does
// not trigger negotiation; see NegotiateAPIVersion). A Ping that read the
// daemon's API-Version header settles the negotiation too.
func (c *Client) APIVersion() string {
	if c.pinned != "" {
		return c.pinned
	}
	if v, ok := c.negotiated.Load().(string); ok {
		return v
	}
	return MaxAPIVersion
}

// NegotiateAPIVersion makes sure the API version is settled and returns it.
// With a pinned version it does nothing. Otherwise the first call asks the
// daemon once (GET /_ping's API-Version header, or GET /version when the
// header is missing) and settles on min(MaxAPIVersion, daemon's version); later
// calls, and concurrent ones, reuse that answer (as they do the answer of a
// Ping that read the header first). Negotiation never moves the
// version up, and a daemon older than MinAPIVersion is an error. A failed
// negotiation (daemon unreachable, ctx cancelled) is not remembered, so a
// later call tries again.
func (c *Client) NegotiateAPIVersion(ctx context.Context) (string, error) {
	if c.pinned != "" {
		return c.pinned, nil
	}
	if v, ok := c.negotiated.Load().(string); ok {
		return v, nil
	}
	c.negotiateMu.Lock()
	defer c.negotiateMu.Unlock()
	if v, ok := c.negotiated.Load().(string); ok {
		return v, nil
	}
	daemon, err := c.daemonAPIVersion(ctx)
	if err != nil {
		return "", err
	}
	v, err := settledVersion(daemon)
	if err != nil {
		return "", err
	}
	c.negotiated.Store(v)
	if c.logger != nil {
		c.logger.debug(ctx, "docker: negotiated API version", "version", v, "daemon", daemon)
	}
	return v, nil
}

// settledVersion is the version negotiation settles on for a daemon whose
// newest API version is daemon ("" when it did not say).
func settledVersion(daemon string) (string, error) {
	v := MaxAPIVersion
	if daemon != "" && CompareVersions(daemon, v) < 0 {
		v = daemon
	}
	if CompareVersions(v, MinAPIVersion) < 0 {
		return "", fmt.Errorf("docker: the daemon speaks API %s; berth needs at least %s: %w", v, MinAPIVersion, ErrVersion)
	}
	return v, nil
}

// settleFromPing settles the version from the API-Version header a Ping
// read, as negotiation would from the same header, unless it is pinned or
// settled already. A daemon too old is left for negotiation to report.
func (c *Client) settleFromPing(ctx context.Context, daemon string) {
	if c.pinned != "" || daemon == "" || c.negotiated.Load() != nil {
		return
	}
	v, err := settledVersion(daemon)
	if err != nil {
		return
	}
	// A negotiation running at the same time stores the same answer.
	if c.negotiated.CompareAndSwap(nil, v) && c.logger != nil {
		c.logger.debug(ctx, "docker: negotiated API version", "version", v, "daemon", daemon, "from", "Ping")
	}
}

// daemonAPIVersion asks the daemon for its newest API version, unversioned.
func (c *Client) daemonAPIVersion(ctx context.Context) (string, error) {
	p, err := c.ping(ctx, "GET")
	if err != nil {
		return "", err
	}
	if p.APIVersion != "" {
		return p.APIVersion, nil
	}
	// Very old daemons, and some proxies, drop the header; /version has it
	// in the body.
	var v ServerVersion
	if err := c.getJSON(ctx, &Request{Method: "GET", Path: "/version", unversioned: true}, &v); err != nil {
		return "", err
	}
	return v.APIVersion, nil
}

// requireVersion fails with ErrVersion when the negotiated version is older
// than min. what names the endpoint or parameter for the message.
func requireVersion(have, min, what string) error {
	if min != "" && CompareVersions(have, min) < 0 {
		return &versionError{what: what, need: min, have: have}
	}
	return nil
}
