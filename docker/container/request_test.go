package container

import (
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
)

// recorded is what the fake saw of one request.
type recorded struct {
	Method string
	Path   string // escaped, without the version prefix
	Query  url.Values
	Body   string
}

// recorder answers every versioned request with a canned status and body
// and records what it received.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (rec *recorder) serve(f *fake, status int, body string) {
	f.mux.HandleFunc("/v"+f.version+"/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		path := r.URL.EscapedPath()[len("/v"+f.version):]
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, recorded{Method: r.Method, Path: path, Query: r.URL.Query(), Body: string(b)})
		rec.mu.Unlock()
		if status == http.StatusNoContent || status == http.StatusNotModified {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, body)
	})
}

// last returns the last request recorded.
func (rec *recorder) last(t *testing.T) recorded {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.reqs) == 0 {
		t.Fatal("no request recorded")
	}
	return rec.reqs[len(rec.reqs)-1]
}
