package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// apiClient is what every benchmark asks of a Docker client library: each
// method does what a user of that library would write for the job, decoding
// the whole response into the library's own types.
type apiClient interface {
	// Ping sends GET (or HEAD) /_ping.
	Ping(ctx context.Context) error
	// Inspect decodes GET /containers/{id}/json.
	Inspect(ctx context.Context, id string) error
	// List lists all containers (all=1), only those with the label
	// key=value when label is not empty, and returns how many.
	List(ctx context.Context, label string) (int, error)
	// Logs fetches the stdout and stderr a container wrote (not a TTY) and
	// splits them into stdout and stderr.
	Logs(ctx context.Context, id string, stdout, stderr io.Writer) error
	// Events reads the events between since and until (zero: no bound) to
	// the end of the stream and returns how many it decoded.
	Events(ctx context.Context, since, until time.Time) (int, error)
	// Stats decodes one sample of GET /containers/{id}/stats without
	// waiting for a second sample where the library lets it say so.
	Stats(ctx context.Context, id string) error
	Close() error
}

// Bounds on one call of a benchmark loop: every loop ends even when the
// daemon stops answering.
const (
	shortTimeout = 30 * time.Second // a request and its response
	longTimeout  = 2 * time.Minute  // a large stream (50 MiB of logs)
)

// errNotComparable is what a client returns for an operation the benchmarks
// cannot measure with it; the benchmark is then skipped for that library,
// with the reason in the client's file.
var errNotComparable = errors.New("not measured for this library (see its file)")

// dialFunc opens a connection to the daemon. The benchmarks hand every
// client the same one, so that dials can be counted.
type dialFunc func(ctx context.Context) (net.Conn, error)

// clientImpls are the libraries compared, each built for the unix socket at
// sock with dial as its only way to connect. Each one lives in its own file.
var clientImpls = []struct {
	name string
	new  func(sock string, dial dialFunc) (apiClient, error)
}{
	{"berth", newBerth},
	{"moby", newMoby},        // github.com/moby/moby/client, the latest
	{"docker", newDockerV28}, // github.com/docker/docker/client v28, the most imported
	{"fsouza", newFsouza},    // github.com/fsouza/go-dockerclient
}

// unixDial returns a dialFunc for the unix socket at path that counts its
// dials in n (when not nil).
func unixDial(path string, n *atomic.Int64) dialFunc {
	return func(ctx context.Context) (net.Conn, error) {
		if n != nil {
			n.Add(1)
		}
		var d net.Dialer
		return d.DialContext(ctx, "unix", path)
	}
}

// forEachClient runs f as a sub-benchmark "client=NAME" for each library,
// with a client for the unix socket at sock that is ready (negotiated, one
// connection open) before f starts timing.
func forEachClient(b *testing.B, sock string, f func(b *testing.B, c apiClient)) {
	for _, impl := range clientImpls {
		b.Run("client="+impl.name, func(b *testing.B) {
			c := newClient(b, impl.name, sock, nil)
			f(b, c)
		})
	}
}

// newClient builds the named client and warms it up with a Ping (which
// also negotiates the API version where the library does that lazily).
func newClient(tb testing.TB, name, sock string, dials *atomic.Int64) apiClient {
	tb.Helper()
	for _, impl := range clientImpls {
		if impl.name != name {
			continue
		}
		c, err := impl.new(sock, unixDial(sock, dials))
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		tb.Cleanup(func() { c.Close() })
		ctx, cancel := context.WithTimeout(context.Background(), shortTimeout)
		defer cancel()
		if err := c.Ping(ctx); err != nil {
			tb.Fatalf("%s: ping: %v", name, err)
		}
		return c
	}
	panic(fmt.Sprintf("no client %q", name))
}

// countWriters returns a stdout and a stderr writer that count bytes, and a
// function that returns their sum.
func countWriters() (stdout, stderr *countWriter, total func() int64) {
	stdout, stderr = &countWriter{}, &countWriter{}
	return stdout, stderr, func() int64 { return stdout.n + stderr.n }
}

// engineTime formats t as the Engine's "seconds.nanoseconds" timestamp for
// the libraries that take since and until as strings ("" for the zero time).
func engineTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond())
}
