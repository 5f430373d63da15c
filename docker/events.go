package docker

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/berth-go/berth/internal/httpx"
)

// Event is one message of GET /events.
type Event struct {
	Type     string     // container, image, volume, network, daemon, plugin, node, service, secret, config, builder
	Action   string     // create, start, die, pull, ...; may carry a suffix such as "exec_start: sh"
	Actor    EventActor // the object the event is about
	Scope    string     `json:"scope"` // local or swarm
	Time     int64      `json:"time"`  // seconds since the epoch
	TimeNano int64      `json:"timeNano"`

	// Deprecated fields that older daemons still send for containers and
	// images.
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
	return StreamJSON[Event](ctx, c, &Request{Path: "/events", Query: q.Values()})
}
