package dockertest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/berth-go/berth/docker"
)

// maxEventHistory is how many past events the fake replays, like the
// Engine's in-memory log.
const maxEventHistory = 256

// events keeps recent events and fans new ones out to listeners.
type events struct {
	mu      sync.Mutex
	history []docker.Event
	subs    map[chan docker.Event]struct{}
}

// Emit records an event as the Engine would and sends it to listeners.
// Tests may call it to simulate events the fake does not produce itself.
func (s *Server) Emit(typ, action, id string, attrs map[string]string) {
	now := time.Now()
	ev := docker.Event{Type: typ, Action: action, Actor: docker.EventActor{ID: id, Attributes: attrs},
		Scope: "local", Time: now.Unix(), TimeNano: now.UnixNano()}
	if typ == "container" || typ == "image" {
		ev.Status, ev.ID, ev.From = action, id, attrs["image"]
	}
	s.events.publish(ev)
}

func (e *events) publish(ev docker.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.history = append(e.history, ev)
	if len(e.history) > maxEventHistory {
		e.history = e.history[len(e.history)-maxEventHistory:]
	}
	for ch := range e.subs {
		select {
		case ch <- ev:
		default: // a slow listener loses events rather than block the fake
		}
	}
}

// subscribe returns the history and a channel of new events.
func (e *events) subscribe() ([]docker.Event, chan docker.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.subs == nil {
		e.subs = map[chan docker.Event]struct{}{}
	}
	ch := make(chan docker.Event, 1024)
	e.subs[ch] = struct{}{}
	return append([]docker.Event(nil), e.history...), ch
}

func (e *events) unsubscribe(ch chan docker.Event) {
	e.mu.Lock()
	delete(e.subs, ch)
	e.mu.Unlock()
}

// parseEventTime reads the Engine's since/until forms: "sec[.nanos]",
// RFC 3339, or a Go duration meaning that long ago.
func parseEventTime(s string, now time.Time) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	if sec, frac, ok := strings.Cut(s, "."); ok || !strings.ContainsAny(s, "-:hms") {
		n, err := strconv.ParseInt(sec, 10, 64)
		if err == nil {
			var nanos int64
			if ok {
				frac = (frac + "000000000")[:9]
				if nanos, err = strconv.ParseInt(frac, 10, 64); err != nil {
					return time.Time{}, false
				}
			}
			return time.Unix(n, nanos), true
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), true
	}
	return time.Time{}, false
}

// eventFilter matches events against the Engine's filters.
type eventFilter map[string][]string

func (f eventFilter) match(ev docker.Event) bool {
	for key, values := range f {
		if len(values) == 0 {
			continue
		}
		if !f.matchKey(key, values, ev) {
			return false
		}
	}
	return true
}

func (f eventFilter) matchKey(key string, values []string, ev docker.Event) bool {
	attrs := ev.Actor.Attributes
	for _, v := range values {
		switch key {
		case "type":
			if ev.Type == v {
				return true
			}
		case "event":
			if ev.Action == v || strings.HasPrefix(ev.Action, v+":") {
				return true
			}
		case "scope":
			if ev.Scope == v {
				return true
			}
		case "container", "network", "volume", "plugin", "node", "service", "secret", "config":
			if ev.Type == key && (ev.Actor.ID == v || strings.HasPrefix(ev.Actor.ID, v) || attrs["name"] == v) {
				return true
			}
			if key == "container" && ev.Type == "network" && attrs["container"] == v {
				return true
			}
		case "image":
			if ev.Type == "image" && (ev.Actor.ID == v || attrs["name"] == v) || attrs["image"] == v {
				return true
			}
		case "label":
			k, val, hasVal := strings.Cut(v, "=")
			if got, ok := attrs[k]; ok && (!hasVal || got == val) {
				return true
			}
		case "daemon":
			if ev.Type == "daemon" {
				return true
			}
		default:
			return false
		}
	}
	return false
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, _ params) {
	now := time.Now()
	q := r.URL.Query()
	since, ok1 := parseEventTime(q.Get("since"), now)
	until, ok2 := parseEventTime(q.Get("until"), now)
	if !ok1 || !ok2 {
		writeError(w, http.StatusBadRequest, "invalid since or until: "+q.Get("since")+" "+q.Get("until"))
		return
	}
	var f eventFilter
	if raw := q.Get("filters"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			writeError(w, http.StatusBadRequest, "invalid filter: "+err.Error())
			return
		}
		for k := range f {
			switch k {
			case "type", "event", "scope", "container", "network", "volume", "plugin", "node", "service", "secret", "config", "image", "label", "daemon":
			default:
				writeError(w, http.StatusBadRequest, "invalid filter '"+k+"'")
				return
			}
		}
	}
	history, ch := s.events.subscribe()
	defer s.events.unsubscribe(ch)
	contentType := s.eventsMediaType(r)
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	flush := func() { _ = http.NewResponseController(w).Flush() }
	flush()
	encode := eventEncoder(w, contentType, r)
	inWindow := func(ev docker.Event) (ok, past bool) {
		t := time.Unix(0, ev.TimeNano)
		if !until.IsZero() && t.After(until) {
			return false, true
		}
		return (since.IsZero() || !t.Before(since)) && f.match(ev), false
	}
	if !since.IsZero() || !until.IsZero() {
		for _, ev := range history {
			if ok, _ := inWindow(ev); ok {
				_ = encode(ev)
			}
		}
		flush()
	}
	if !until.IsZero() && !until.After(time.Now()) {
		return
	}
	var timeout <-chan time.Time
	if !until.IsZero() {
		t := time.NewTimer(time.Until(until))
		defer t.Stop()
		timeout = t.C
	}
	for {
		select {
		case ev := <-ch:
			ok, past := inWindow(ev)
			if past {
				return
			}
			if ok {
				if encode(ev) != nil {
					return
				}
				flush()
			}
		case <-timeout:
			return
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

// eventsMediaType is the media type of an events stream. Engines from API
// 1.52 let the client choose (1.53 added application/jsonl) and otherwise
// keep "application/json", which older ones always send; the choice is not
// version-gated, so it follows the Engine the fake plays.
func (s *Server) eventsMediaType(r *http.Request) string {
	switch {
	case s.engineAtLeast("1.53"):
		return negotiate(r, []string{"application/jsonl", "application/x-ndjson", "application/json-seq"}, "application/json")
	case s.engineAtLeast("1.52"):
		return negotiate(r, []string{"application/x-ndjson", "application/json-seq"}, "application/json")
	}
	return "application/json"
}

// eventEncoder writes events as the request's API version shows them, in
// the chosen media type: a JSON text sequence puts a record separator
// before each object; the others are one object per line. Below API 1.46
// image "create" events are left out (they came with 1.46), and from 1.52
// the deprecated status, id and from fields are.
func eventEncoder(w io.Writer, contentType string, r *http.Request) func(docker.Event) error {
	enc := json.NewEncoder(w)
	seq := contentType == "application/json-seq"
	legacy, imageCreate := !atLeast(r, "1.52"), atLeast(r, "1.46")
	return func(ev docker.Event) error {
		if ev.Type == "image" && ev.Action == "create" && !imageCreate {
			return nil
		}
		if !legacy {
			ev.Status, ev.ID, ev.From = "", "", ""
		}
		if seq {
			if _, err := w.Write([]byte{0x1e}); err != nil {
				return err
			}
		}
		return enc.Encode(ev)
	}
}
