package dockertest

import (
	"net/http"
	"sync"
	"time"
)

// Fault makes matching requests misbehave. The zero Fault matches every
// route and does nothing; set the fields for what should go wrong. Several
// effects combine in this order: Delay, then Drop, then Status, then
// NotJSON, then CutAfter.
type Fault struct {
	// Route selects requests: an operation id of the API ("ContainerStart",
	// "ImageCreate"), a route as "METHOD /pattern" ("POST
	// /containers/{id}/start"), or "" for every route.
	Route string

	Delay time.Duration // wait this long before answering (ends early when the client goes away)
	// Drop closes the connection without answering. net/http's Transport
	// (the Client's) sends an idempotent request (GET, HEAD) once more
	// when a connection it reused is dropped before any answer, so with
	// Times: 1 a Drop on a GET usually goes unseen by the caller: the
	// retry is answered. Use Times: 2 (or 0) to fail a GET for sure; a
	// POST the fake has read is not retried.
	Drop     bool
	Status   int    // answer with this status (>= 400) and Message, as the Engine's JSON error
	Message  string // the error message (default: the status text)
	NotJSON  bool   // answer 200 with a body that is not JSON
	CutAfter int64  // cut the connection after this many bytes of the real answer's body (> 0)

	// Times limits how many matching requests the fault affects; 0 means
	// every one until it is removed.
	Times int
}

type faultEntry struct {
	f    Fault
	used int
}

type faults struct {
	mu      sync.Mutex
	entries []*faultEntry
}

// Inject adds a fault and returns a function that removes it. It is safe to
// call while requests are being served.
func (s *Server) Inject(f Fault) (remove func()) {
	e := &faultEntry{f: f}
	s.faults.mu.Lock()
	s.faults.entries = append(s.faults.entries, e)
	s.faults.mu.Unlock()
	return func() {
		s.faults.mu.Lock()
		defer s.faults.mu.Unlock()
		for i, x := range s.faults.entries {
			if x == e {
				s.faults.entries = append(s.faults.entries[:i], s.faults.entries[i+1:]...)
				return
			}
		}
	}
}

// take returns the first fault matching rt and counts its use.
func (fs *faults) take(rt *route) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, e := range fs.entries {
		f := e.f
		if f.Route != "" && f.Route != rt.op && f.Route != rt.method+" "+rt.pattern {
			continue
		}
		if f.Times > 0 && e.used >= f.Times {
			continue
		}
		e.used++
		return f, true
	}
	return Fault{}, false
}

// apply runs the fault's effects that happen before the handler. It returns
// false when the request has been answered (or dropped) already, and
// otherwise the writer the handler must use.
func (f Fault) apply(w http.ResponseWriter, r *http.Request, done <-chan struct{}) (http.ResponseWriter, bool) {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return nil, false
		case <-done:
			t.Stop()
			return nil, false
		}
	}
	if f.Drop {
		panic(http.ErrAbortHandler) // net/http closes the connection without an answer
	}
	if f.Status >= 400 {
		msg := f.Message
		if msg == "" {
			msg = http.StatusText(f.Status)
		}
		writeError(w, f.Status, msg)
		return nil, false
	}
	if f.NotJSON {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1> (injected by dockertest)</body></html>"))
		return nil, false
	}
	if f.CutAfter > 0 {
		return &cutWriter{ResponseWriter: w, left: f.CutAfter}, true
	}
	return w, true
}

// cutWriter lets limit bytes of body through, then aborts the connection.
type cutWriter struct {
	http.ResponseWriter
	left int64
}

func (c *cutWriter) Write(p []byte) (int, error) {
	if int64(len(p)) <= c.left {
		c.left -= int64(len(p))
		return c.ResponseWriter.Write(p)
	}
	_, _ = c.ResponseWriter.Write(p[:c.left])
	c.left = 0
	_ = http.NewResponseController(c.ResponseWriter).Flush()
	panic(http.ErrAbortHandler)
}

func (c *cutWriter) Flush() { _ = http.NewResponseController(c.ResponseWriter).Flush() }

// Unwrap lets http.ResponseController reach the real writer (hijack, flush).
func (c *cutWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
