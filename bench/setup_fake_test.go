package bench

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// The in-memory benchmarks talk to a fake Engine: an httptest-like server
// on a unix socket of its own that answers from memory, so that what is
// measured is the client's work (request, response, decoding), not the
// daemon's.

// fakeEngine serves fixed bodies on a unix socket.
type fakeEngine struct {
	sock   string            // the socket's path
	bodies map[string][]byte // by path without the /vX.Y prefix
}

var versionPrefix = regexp.MustCompile(`^/v[0-9]+\.[0-9]+/`)

func (f *fakeEngine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if loc := versionPrefix.FindStringIndex(path); loc != nil {
		path = path[loc[1]-1:]
	}
	h := w.Header()
	h.Set("Api-Version", "1.41")
	h.Set("Ostype", "linux")
	h.Set("Server", "Docker/20.10.24 (linux)")
	if path == "/_ping" {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		if r.Method != http.MethodHead {
			w.Write([]byte("OK"))
		}
		return
	}
	body, ok := f.bodies[path]
	if !ok {
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"message":"page not found: %s"}`, path)
		return
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// startFake serves bodies (by path) on a fresh unix socket until tb ends.
func startFake(tb testing.TB, bodies map[string][]byte) *fakeEngine {
	tb.Helper()
	dir, err := os.MkdirTemp("", "bb") // short: a socket path has at most 107 bytes
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	f := &fakeEngine{sock: filepath.Join(dir, "docker.sock"), bodies: bodies}
	l, err := net.Listen("unix", f.sock)
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: f}
	go srv.Serve(l) // ends when Close closes the listener
	tb.Cleanup(func() { srv.Close() })
	return f
}

// readFixture reads a file of testdata/ (see TestRecordFixtures).
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// eventsBody returns the recorded events, as the Engine streamed them.
func eventsBody(tb testing.TB) []byte {
	tb.Helper()
	b := readFixture(tb, "events.jsonl")
	if n := bytes.Count(b, []byte("\n")); n != recordedEvents {
		tb.Fatalf("testdata/events.jsonl holds %d events, want %d", n, recordedEvents)
	}
	return b
}

// listBody returns a GET /containers/json body of n containers: the
// recorded summary with a distinct id, name and creation time for each.
func listBody(tb testing.TB, n int) []byte {
	tb.Helper()
	var tmpl bytes.Buffer
	if err := json.Compact(&tmpl, readFixture(tb, "container-summary.json")); err != nil {
		tb.Fatal(err)
	}
	var orig struct {
		ID      string `json:"Id"`
		Names   []string
		Created int64
	}
	if err := json.Unmarshal(tmpl.Bytes(), &orig); err != nil || len(orig.Names) != 1 {
		tb.Fatalf("testdata/container-summary.json: %v", err)
	}
	var out bytes.Buffer
	out.WriteByte('[')
	for i := range n {
		if i > 0 {
			out.WriteByte(',')
		}
		sum := sha256.Sum256([]byte(strconv.Itoa(i)))
		e := bytes.ReplaceAll(tmpl.Bytes(), []byte(orig.ID), []byte(hex.EncodeToString(sum[:])))
		e = bytes.ReplaceAll(e, []byte(strconv.Quote(orig.Names[0])), []byte(strconv.Quote(fmt.Sprintf("/bench_%04d", i))))
		e = bytes.ReplaceAll(e, []byte(strconv.FormatInt(orig.Created, 10)), []byte(strconv.FormatInt(orig.Created-int64(i), 10)))
		out.Write(e)
	}
	out.WriteString("]\n")
	return out.Bytes()
}
