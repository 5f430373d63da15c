package integration

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/internal/testing/testenv"
)

const (
	logsStdout = 50 << 20 // bytes of pattern seed 1
	logsStderr = 10 << 20 // bytes of pattern seed 2
	stdinSize  = 20 << 20 // bytes sent through cat
)

// byteExactLogConfig keeps binary output intact: json-file replaces bytes
// that are not UTF-8, the local driver stores them as they are.
var byteExactLogConfig = container.LogConfig{Type: "local", Config: map[string]string{"max-size": "100m", "compress": "false"}}

// checkPattern compares what w received with the test image's pattern.
func checkPattern(t *testing.T, what string, w *sumWriter, seed uint64, n int64) {
	t.Helper()
	if w.n != n {
		t.Errorf("%s: %d bytes, want %d", what, w.n, n)
		return
	}
	if got, want := w.hex(), testenv.PatternSHA256(seed, n); got != want {
		t.Errorf("%s: sha256 %s, want %s", what, got, want)
	}
}

func TestContainerLogsByteExact(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, 3*time.Minute)
	// The pause lets Logs(Follow) begin before the first byte is written.
	cmd := []string{"sleep", "0.5", "--", "interleave", "52428800", "10485760", "65536"}
	logConfig := byteExactLogConfig
	if testenv.OnPodman(t, testenv.PodmanLogDriver) {
		logConfig = container.LogConfig{} // k8s-file, which keeps the bytes
	}
	id := newCtr(t, s, container.Config{Cmd: cmd}, container.HostConfig{LogConfig: logConfig})

	// Follow while it writes: the stream ends when the container exits.
	startCtr(t, s, id)
	follow, err := s.Logs(ctx, id, container.Follow())
	if err != nil {
		t.Fatal(err)
	}
	defer follow.Close()
	out, errOut := newSum(), newSum()
	start := time.Now()
	if _, err := follow.Demux(out, errOut); err != nil {
		t.Fatal(err)
	}
	t.Logf("followed %d+%d bytes in %v", out.n, errOut.n, time.Since(start))
	if !testenv.OnPodman(t, testenv.PodmanLogsFollow) {
		checkPattern(t, "followed stdout", out, 1, logsStdout)
		checkPattern(t, "followed stderr", errOut, 2, logsStderr)
	}

	if code := waitExit(t, s, id, time.Minute); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	// Afterwards, in full.
	logs, err := s.Logs(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	if !logs.Multiplexed() {
		t.Fatal("logs of a non-TTY container are not multiplexed")
	}
	out, errOut = newSum(), newSum()
	start = time.Now()
	if _, err := logs.Demux(out, errOut); err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	t.Logf("read %d+%d bytes of logs in %v (%.0f MiB/s)", out.n, errOut.n, d, float64(out.n+errOut.n)/(1<<20)/d.Seconds())
	checkPattern(t, "stdout", out, 1, logsStdout)
	checkPattern(t, "stderr", errOut, 2, logsStderr)

	// One stream at a time.
	only, err := s.Logs(ctx, id, container.Stderr(), container.TTY(false))
	if err != nil {
		t.Fatal(err)
	}
	defer only.Close()
	out, errOut = newSum(), newSum()
	if _, err := only.Demux(out, errOut); err != nil {
		t.Fatal(err)
	}
	if out.n != 0 {
		t.Errorf("Stderr() logs carried %d stdout bytes", out.n)
	}
	checkPattern(t, "stderr only", errOut, 2, logsStderr)
}

// sendPattern writes n bytes of the pattern to w, then half-closes it.
func sendPattern(w interface {
	io.Writer
	CloseWrite() error
}, seed uint64, n int64) error {
	if _, err := io.Copy(w, testenv.PatternReader(seed, n)); err != nil {
		return err
	}
	return w.CloseWrite()
}

func TestContainerAttachStdin(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, 2*time.Minute)
	id := newCtr(t, s, container.Config{Cmd: []string{"cat"}, OpenStdin: true, StdinOnce: true}, container.HostConfig{})
	// Attach before start, as docker run does, so no output is missed.
	conn, err := s.Attach(ctx, id, container.Stdin(), container.Stdout(), container.Stderr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	startCtr(t, s, id)
	sent := make(chan error, 1)
	go func() { sent <- sendPattern(conn, 3, stdinSize) }()
	out, errOut := newSum(), newSum()
	start := time.Now()
	if _, err := conn.Demux(out, errOut); err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	if err := <-sent; err != nil {
		t.Fatalf("sending stdin: %v", err)
	}
	t.Logf("20 MiB through cat over attach in %v (%.0f MiB/s)", d, float64(out.n)/(1<<20)/d.Seconds())
	checkPattern(t, "attach stdout", out, 3, stdinSize)
	if errOut.n != 0 {
		t.Errorf("%d bytes on stderr", errOut.n)
	}
	if code := waitExit(t, s, id, time.Minute); code != 0 {
		t.Errorf("cat exited %d", code)
	}
}

func TestContainerAttachTTY(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, time.Minute)
	id := newCtr(t, s, container.Config{Cmd: []string{"echo", "hello", "tty"}, Tty: true}, container.HostConfig{})
	conn, err := s.Attach(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if conn.Multiplexed() {
		t.Fatal("attach to a TTY container is multiplexed")
	}
	startCtr(t, s, id)
	var out bytes.Buffer
	if _, err := conn.Demux(&out, nil); err != nil {
		t.Fatal(err)
	}
	if out.String() != "hello tty\r\n" {
		t.Errorf("tty output %q, want %q", out.String(), "hello tty\r\n")
	}
	waitExit(t, s, id, time.Minute)
	logs, err := s.Logs(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	b, err := io.ReadAll(logs)
	if err != nil || logs.Multiplexed() || string(b) != "hello tty\r\n" {
		t.Errorf("tty logs %q (multiplexed %v), %v", b, logs.Multiplexed(), err)
	}
}

func TestContainerAttachExited(t *testing.T) {
	testenv.SkipOnPodman(t, testenv.PodmanAttachLogs)
	s := ctrs(t)
	ctx := testenv.Context(t, time.Minute)
	id := runCtr(t, s, container.Config{Cmd: []string{"echo", "again"}}, container.HostConfig{})
	waitExit(t, s, id, time.Minute)

	// The container exited before the attach: the daemon holds the session
	// until the container runs again (what docker start -a relies on), with
	// Logs replaying its earlier output first.
	conn, err := s.Attach(ctx, id, container.Logs(), container.Stream())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	startCtr(t, s, id)
	var out bytes.Buffer
	if _, err := conn.Demux(&out, io.Discard); err != nil {
		t.Fatal(err)
	}
	// The replay may already include the new run's line (it races with the
	// start), so at least the old and the new one must be there.
	if n := strings.Count(out.String(), "again\n"); n < 2 || strings.Trim(out.String(), "agin\n") != "" {
		t.Errorf("output %q, want the replayed and the new line", out.String())
	}

	// Without a start, cancelling ctx ends the wait at once.
	waitExit(t, s, id, time.Minute)
	actx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	conn, err = s.Attach(actx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_, err = conn.Demux(io.Discard, io.Discard)
	if err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("attach to an exited container after cancel: %v after %v", err, time.Since(start))
	}
}

func TestContainerLogsCancel(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, time.Minute)
	id := runCtr(t, s, container.Config{Cmd: []string{"ticker", "1000", "20ms"}}, container.HostConfig{})
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	logs, err := s.Logs(lctx, id, container.Follow())
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	var start time.Time
	first := writerFunc(func(p []byte) (int, error) {
		if start.IsZero() { // output arrives: cancel a little later
			start = time.Now()
			time.AfterFunc(100*time.Millisecond, cancel)
		}
		return len(p), nil
	})
	_, err = logs.Demux(first, io.Discard)
	if err == nil || !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "closed") {
		t.Errorf("demux after cancel: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancel took %v", d)
	}
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestContainerLogsTimestamps reads logs with Timestamps: each line starts
// with the time it was written, in RFC 3339, and a space.
func TestContainerLogsTimestamps(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, time.Minute)
	start := time.Now()
	id := runCtr(t, s, container.Config{Cmd: []string{"echo", "stamped", "--", "echoerr", "stamped too"}}, container.HostConfig{})
	waitExit(t, s, id, time.Minute)
	logs, err := s.Logs(ctx, id, container.Timestamps())
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	var out, errOut bytes.Buffer
	if _, err := logs.Demux(&out, &errOut); err != nil {
		t.Fatal(err)
	}
	// The Engine writes nanoseconds; Podman whole seconds.
	wholeSeconds := testenv.OnPodman(t, testenv.PodmanLogTimestamps)
	for _, tc := range []struct{ got, want string }{{out.String(), "stamped"}, {errOut.String(), "stamped too"}} {
		line := strings.TrimSuffix(tc.got, "\n")
		stamp, text, _ := strings.Cut(line, " ")
		ts, err := time.Parse(time.RFC3339Nano, stamp)
		if err != nil || text != tc.want || strings.Contains(line, "\n") {
			t.Errorf("line %q: want one %q after a time stamp (%v)", tc.got, tc.want, err)
			continue
		}
		// The clocks are one machine's: allow a little skew.
		if ts.Before(start.Add(-5*time.Second)) || ts.After(time.Now().Add(5*time.Second)) {
			t.Errorf("time stamp %s is not between the start %s and now", stamp, start.Format(time.RFC3339Nano))
		}
		if !wholeSeconds && !strings.Contains(stamp, ".") {
			t.Errorf("time stamp %s has no fraction of a second", stamp)
		}
	}
}
