package docker

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEventsQueryAndDecode(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	got := make(chan string, 1)
	f.mux.HandleFunc("/v1.41/events", func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.RawQuery
		_, _ = w.Write([]byte(`{"Type":"container","Action":"create","Actor":{"ID":"abc","Attributes":{"name":"web"}},"scope":"local","time":1700000000,"timeNano":1700000000123456789}
{"Type":"image","Action":"pull","Actor":{"ID":"alpine:3"},"time":1700000001}`))
	})
	c := f.client(t)
	since := time.Unix(1700000000, 5)
	var evs []Event
	for ev, err := range c.Events(t.Context(), Since(since), Until(since.Add(time.Minute)), Filter("type", "container", "image")) {
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	want := []Event{
		{Type: "container", Action: "create", Actor: EventActor{ID: "abc", Attributes: map[string]string{"name": "web"}}, Scope: "local", Time: 1700000000, TimeNano: 1700000000123456789},
		{Type: "image", Action: "pull", Actor: EventActor{ID: "alpine:3"}, Time: 1700000001},
	}
	if d := cmp.Diff(want, evs); d != "" {
		t.Errorf("events (-want +got)\n%s", d)
	}
	if q, wantQ := <-got, "filters=%7B%22type%22%3A%5B%22container%22%2C%22image%22%5D%7D&since=1700000000.000000005&until=1700000060.000000005"; q != wantQ {
		t.Errorf("query = %s\nwant    %s", q, wantQ)
	}
	if evs[0].When() != time.Unix(0, 1700000000123456789) {
		t.Errorf("When() = %v", evs[0].When())
	}
}

func TestEventsBreakClosesConnection(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	closed := make(chan struct{})
	f.mux.HandleFunc("/v1.41/events", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"Type":"container","Action":"start"}`))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the client went away
		close(closed)
	})
	c := f.client(t)
	for ev, err := range c.Events(t.Context()) {
		if err != nil || ev.Action != "start" {
			t.Fatalf("ev %+v err %v", ev, err)
		}
		break
	}
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not see the connection close after break")
	}
}

func TestEventsCancelEndsStream(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/events", func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	c := f.client(t)
	ctx, cancel := contextWithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	var last error
	for _, err := range c.Events(ctx) {
		last = err
	}
	if !errors.Is(last, contextCanceled()) {
		t.Errorf("last error = %v, want context.Canceled", last)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestEventsDaemonError(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/events", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message":"invalid filter 'bogus'"}`, 400)
	})
	n := 0
	for _, err := range f.client(t).Events(t.Context(), Filter("bogus", "x")) {
		n++
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("err = %v, want ErrInvalidArgument", err)
		}
	}
	if n != 1 {
		t.Errorf("yielded %d times, want once", n)
	}
}

// TestEventsMediaTypes checks what Events asks for and that it reads each
// media type a daemon may answer with: every one carries one object per
// line, a JSON text sequence puts a record separator before each.
func TestEventsMediaTypes(t *testing.T) {
	t.Parallel()
	const lines = "{\"Type\":\"container\",\"Action\":\"die\",\"Actor\":{\"ID\":\"a\",\"Attributes\":{\"restarting\":\"true\"}}}\n{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"a\"}}\n"
	const seq = "\x1e{\"Type\":\"container\",\"Action\":\"die\",\"Actor\":{\"ID\":\"a\",\"Attributes\":{\"restarting\":\"true\"}}}\n\x1e{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"a\"}}\n"
	want := []Event{
		{Type: "container", Action: "die", Actor: EventActor{ID: "a", Attributes: map[string]string{"restarting": "true"}}},
		{Type: "container", Action: "start", Actor: EventActor{ID: "a"}},
	}
	for _, tc := range []struct{ contentType, body string }{
		{"", lines},
		{"application/json", lines},        // Engine 20.10, and newer ones without an Accept they know
		{"application/x-ndjson", lines},    // API >= 1.52
		{"application/jsonl", lines},       // API >= 1.53
		{"application/json-seq", seq},      // RFC 7464, never asked for
		{"application/json-seq; x=y", seq}, // parameters do not hide it
	} {
		t.Run(tc.contentType, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, "1.57")
			accept := make(chan string, 1)
			f.mux.HandleFunc("/v1.57/events", func(w http.ResponseWriter, r *http.Request) {
				accept <- r.Header.Get("Accept")
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				_, _ = w.Write([]byte(tc.body))
			})
			var got []Event
			for ev, err := range f.client(t).Events(t.Context()) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ev)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("events (-want +got)\n%s", d)
			}
			if a := <-accept; a != eventsAccept || !strings.HasPrefix(a, "application/jsonl, application/x-ndjson") {
				t.Errorf("Accept = %q", a)
			}
		})
	}
}

// TestRecordSeparatorFilter reads a JSON text sequence a byte at a time
// and in one piece, separators alone in a read included.
func TestRecordSeparatorFilter(t *testing.T) {
	t.Parallel()
	const in = "\x1e\x1e{\"a\":1}\n\x1e{\"b\":\"x\\u001ey\"}\n\x1e"
	const want = "{\"a\":1}\n{\"b\":\"x\\u001ey\"}\n"
	for name, r := range map[string]func() io.Reader{
		"whole":        func() io.Reader { return strings.NewReader(in) },
		"byte by byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(in)) },
	} {
		got, err := io.ReadAll(recordSeparatorFilter{r()})
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
}
