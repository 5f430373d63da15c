package docker

import (
	"context"
	"fmt"
	"io"
	"iter"
	"mime"
	"net/http"
	"time"

	"github.com/berth-go/berth/internal/httpx"
)

// Event is one message of GET /events.
//
// What an event says beyond its type and action is in Actor.Attributes:
// containers' events carry "name", "image" and their labels; "die" adds
// "exitCode" and, from API 1.57, "restarting" set to "true" when the
// container is about to be started again (by its restart policy or a
// restart in progress; the restart may still be cancelled or fail). The
// attribute is absent otherwise, and always on older daemons.
type Event struct {
	Type     string     // container, image, volume, network, daemon, plugin, node, service, secret, config, builder
	Action   string     // create, start, die, pull, ...; may carry a suffix such as "exec_start: sh"
	Actor    EventActor // the object the event is about
	Scope    string     `json:"scope"` // local or swarm
	Time     int64      `json:"time"`  // seconds since the epoch
	TimeNano int64      `json:"timeNano"`

	// Deprecated fields that daemons still send for containers and images
	// below API 1.52 (Status is the action, ID the actor's id, From the
	// container's image); from 1.52 on they are empty.
	Status string `json:"status,omitempty"`
	ID     string `json:"id,omitempty"`
	From   string `json:"from,omitempty"`
}

// When returns the event's time with nanosecond precision when the daemon
// sent it.
func (e Event) When() time.Time {
	if e.TimeNano != 0 {
		return time.Unix(0, e.TimeNano)
	}
	return time.Unix(e.Time, 0)
}

// EventActor is the object an event is about.
type EventActor struct {
	ID         string
	Attributes map[string]string
}

// EventsOption configures Events.
type EventsOption interface{ applyEvents(*eventsConfig) }

type eventsConfig struct {
	since, until string
	filters      Filters
}

// TimeOption is an option that takes a point in time; it serves Events (and
// the resource packages' since/until parameters).
type TimeOption struct {
	key string
	t   time.Time
}

func (o TimeOption) applyEvents(c *eventsConfig) {
	if o.key == "since" {
		c.since = FormatTime(o.t)
	} else {
		c.until = FormatTime(o.t)
	}
}

// Since selects events at or after t.
func Since(t time.Time) TimeOption { return TimeOption{key: "since", t: t} }

// Until selects events up to t; the stream then ends by itself once the
// daemon has sent them.
func Until(t time.Time) TimeOption { return TimeOption{key: "until", t: t} }

// FormatTime writes t as the Engine's "seconds.nanoseconds" timestamp.
func FormatTime(t time.Time) string {
	return fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond())
}

// FilterOption adds a filter (key and values); it serves Events.
type FilterOption struct {
	key    string
	values []string
}

func (o FilterOption) applyEvents(c *eventsConfig) {
	if c.filters == nil {
		c.filters = Filters{}
	}
	c.filters.Add(o.key, o.values...)
}

// Filter adds a filter on key (type, event, container, image, label, ...).
// It may be given several times.
func Filter(key string, values ...string) FilterOption {
	return FilterOption{key: key, values: values}
}

// Events streams the daemon's events. The request is sent when the loop
// starts; without Until the stream runs until the loop stops or ctx is
// cancelled, either of which closes the connection at once.
//
// The daemon writes one JSON object per line. From API 1.52 it lets the
// client choose the media type of the stream; Events asks for JSON Lines
// (see eventsAccept) and also reads a JSON text sequence (RFC 7464), should
// a server send one unasked.
//
// API: GET /events
func (c *Client) Events(ctx context.Context, opts ...EventsOption) iter.Seq2[Event, error] {
	var cfg eventsConfig
	for _, o := range opts {
		o.applyEvents(&cfg)
	}
	var q httpx.Query
	q.String("since", cfg.since)
	q.String("until", cfg.until)
	q.Filters(cfg.filters)
	h := http.Header{}
	h.Set("Accept", eventsAccept)
	return streamJSON[Event](ctx, c, &Request{Path: "/events", Query: q.Values(), Header: h}, eventsBody)
}

// eventsAccept asks for newline-delimited JSON under either of its names
// (application/jsonl from API 1.53, application/x-ndjson from 1.52): the
// bytes berth has always decoded, with a media type that says so. Without
// the header a daemon answers "application/json" with the same bytes,
// which is accepted too; JSON text sequences are not asked for because
// their record separators gain berth nothing over one object per line.
const eventsAccept = "application/jsonl, application/x-ndjson, application/json;q=0.5"

// eventsBody drops the record separators of a JSON text sequence so that
// the stream decodes as one object after another; any other media type is
// read as is.
func eventsBody(resp *http.Response) io.Reader {
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err == nil && mt == "application/json-seq" {
		return recordSeparatorFilter{resp.Body}
	}
	return resp.Body
}

// recordSeparatorFilter reads r without its ASCII record separators (0x1E).
// A JSON text never holds that byte unescaped, so dropping every one of
// them leaves exactly the JSON texts, each still ending in a line feed.
type recordSeparatorFilter struct{ r io.Reader }

func (f recordSeparatorFilter) Read(p []byte) (int, error) {
	for {
		n, err := f.r.Read(p)
		kept := 0
		for _, b := range p[:n] {
			if b != 0x1E {
				p[kept] = b
				kept++
			}
		}
		// A read of separators only would return (0, nil); read again
		// instead. Each pass consumes input, so this ends.
		if kept > 0 || err != nil || n == 0 {
			return kept, err
		}
	}
}
