package docker

import (
	"errors"
	"net/http"
	"testing"
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
