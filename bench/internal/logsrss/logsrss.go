// Package logsrss is the shared part of the logs-rss-* helper programs:
// each fetches a container's logs with one client library, splits them into
// two counting writers and prints what it moved and the peak resident set
// size of its own process. One program per library, so that the peak is
// that library's, not the maximum of a binary linking them all.
package logsrss

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Result is the line a helper prints on stdout, as JSON.
type Result struct {
	Bytes     int64   // bytes written to stdout and stderr together
	Seconds   float64 // time from the request to the last byte
	PeakKiB   int64   // VmHWM: the process's peak resident set size
	BeforeKiB int64   // VmRSS before the request, with the client made
}

// Fetch fetches the logs of container id into stdout and stderr.
type Fetch func(ctx context.Context, id string, stdout, stderr io.Writer) error

// Main parses the helper's flags (-id, -timeout), makes the client with
// newClient (for the socket at the -sock flag), runs fetch once and prints
// a Result. It exits non-zero on failure.
func Main(newClient func(sock string) (Fetch, error)) {
	id := flag.String("id", "", "container id")
	sock := flag.String("sock", "/var/run/docker.sock", "the daemon's unix socket")
	timeout := flag.Duration("timeout", 2*time.Minute, "bound on the whole fetch")
	flag.Parse()
	if err := run(*id, *sock, *timeout, newClient); err != nil {
		fmt.Fprintln(os.Stderr, "logsrss:", err)
		os.Exit(1)
	}
}

func run(id, sock string, timeout time.Duration, newClient func(string) (Fetch, error)) error {
	if id == "" {
		return fmt.Errorf("-id is required")
	}
	fetch, err := newClient(sock)
	if err != nil {
		return err
	}
	before, err := status("VmRSS")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var stdout, stderr counter
	start := time.Now()
	if err := fetch(ctx, id, &stdout, &stderr); err != nil {
		return err
	}
	elapsed := time.Since(start)
	peak, err := status("VmHWM")
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(Result{
		Bytes: stdout.n + stderr.n, Seconds: elapsed.Seconds(), PeakKiB: peak, BeforeKiB: before,
	})
}

// counter counts what is written to it (and has no ReadFrom).
type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// status reads a "Key: N kB" line of /proc/self/status.
func status(key string) (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && k == key {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no %s in /proc/self/status", key)
}
