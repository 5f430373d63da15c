package image

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// ExtraQueryOption is ExtraQuery: it serves Pull and Push.
type ExtraQueryOption struct {
	key    string
	values []string
}

// ExtraQuery adds a query parameter berth does not model, for the knobs of
// servers that extend the Docker API: Podman's tlsVerify, for one, where
// ExtraQuery("tlsVerify", "false") lets Podman push to a plain-HTTP or
// self-signed registry (Podman 4.3 honours it on push but not on the
// Docker-compatible pull; docs/compatibility.md says what works). Each
// value is sent as key=value; without values, key= is sent once. It may be
// given several times. The Engine ignores parameters it does not know.
//
// A key the operation sets itself (Pull: fromImage, fromSrc, repo, tag,
// message, changes, platform; Push: tag, platform), in any case, is
// refused before anything is sent: its own option says it, and an
// override could turn the request into another one.
func ExtraQuery(key string, values ...string) ExtraQueryOption {
	return ExtraQueryOption{key: key, values: values}
}

// Parameters the operations set, which ExtraQuery may not touch.
var (
	pullParams = []string{"fromimage", "fromsrc", "repo", "tag", "message", "changes", "platform"}
	pushParams = []string{"tag", "platform"}
)

// add records o in extra, or an error in b when o names a reserved key.
func (o ExtraQueryOption) add(b *base, extra *url.Values, what string, reserved []string) {
	switch {
	case o.key == "":
		b.fail(fmt.Errorf("docker: %s: ExtraQuery with an empty key", what))
		return
	case slices.Contains(reserved, strings.ToLower(o.key)):
		b.fail(fmt.Errorf("docker: %s: ExtraQuery(%q) names a parameter berth sets itself; use its option", what, o.key))
		return
	}
	if *extra == nil {
		*extra = url.Values{}
	}
	if len(o.values) == 0 {
		extra.Add(o.key, "")
	}
	for _, v := range o.values {
		extra.Add(o.key, v)
	}
}

func (o ExtraQueryOption) applyPull(c *pullConfig) { o.add(&c.base, &c.extra, "pull", pullParams) }
func (o ExtraQueryOption) applyPush(c *pushConfig) { o.add(&c.base, &c.extra, "push", pushParams) }

// withExtra returns q with the extra parameters added.
func withExtra(q, extra url.Values) url.Values {
	if len(extra) == 0 {
		return q
	}
	if q == nil {
		q = url.Values{}
	}
	for k, vs := range extra {
		q[k] = append(q[k], vs...)
	}
	return q
}
