package bench

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
)

// The daemon every benchmark against a real Engine talks to, and nothing
// else: only this unix socket.
const (
	daemonSocket = "/var/run/docker.sock"
	daemonHost   = "unix://" + daemonSocket
)

// Labels on everything the benchmarks create, as the integration tests
// label theirs: berth.test=1 and a per-process run label, so that cleanup
// (here, in run.sh, or by hand) only ever removes this run's objects.
const (
	labelKey  = "berth.test"
	labelRun  = "berth.test.run"
	labelList = "berth.bench.list" // the containers of the List benchmark
)

// runID identifies this benchmark process. run.sh passes its own in
// BERTH_BENCH_RUN so that it can clean up after a process that was killed.
var runID = func() string {
	if id := os.Getenv("BERTH_BENCH_RUN"); id != "" {
		return id
	}
	return fmt.Sprintf("bench-%d-%d", os.Getpid(), time.Now().UnixNano()%1e9)
}()

func labels(extra ...string) map[string]string {
	m := map[string]string{labelKey: "1", labelRun: runID}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

// Sizes of the fixtures.
const (
	listContainers = 300      // containers present for BenchmarkList
	logsPayload    = 50 << 20 // bytes the logs container wrote, half on stdout, half on stderr
	logsChunk      = 64 << 10 // size of its alternating writes
)

// TestMain runs the tests and benchmarks, then removes whatever the daemon
// fixtures created, also when a benchmark failed or the process is
// interrupted. Cleanup is bounded in time.
func TestMain(m *testing.M) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case s := <-sig:
			fmt.Fprintf(os.Stderr, "bench: %v: cleaning up\n", s)
			cleanupDaemon()
			os.Exit(1)
		case <-done:
		}
	}()
	code := m.Run()
	signal.Stop(sig)
	close(done)
	<-stopped
	cleanupDaemon()
	if dir := fixtures.binDir.v; dir != "" { // every benchmark has ended
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// binDir returns a directory for programs built by the benchmarks, shared
// by all of them (a benchmark's own TempDir goes away when it ends, and a
// -count=6 run needs the programs six times); TestMain removes it.
func binDir(tb testing.TB) string {
	tb.Helper()
	dir, err := fixtures.binDir.get(func() (string, error) { return os.MkdirTemp("", "berth-bench-bin-") })
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// lazy holds a fixture built at most once per process.
type lazy[T any] struct {
	once sync.Once
	v    T
	err  error
}

func (l *lazy[T]) get(build func() (T, error)) (T, error) {
	l.once.Do(func() { l.v, l.err = build() })
	return l.v, l.err
}

// The daemon fixtures, each built on first use so that a benchmark only
// pays for what it needs.
var fixtures struct {
	cli      lazy[*docker.Client]
	binDir   lazy[string]   // programs built by the benchmarks
	image    lazy[string]   // the test image's tag
	list     lazy[[]string] // the ids of the List containers
	running  lazy[string]   // a running container (Inspect, Stats)
	logs     lazy[string]   // an exited container that wrote logsPayload bytes
	mu       sync.Mutex
	created  bool // something may need cleaning up
	imageTag string
}

// setupClient returns berth's client used to build and remove fixtures, or
// skips tb when no daemon answers (fails it when BERTH_REQUIRE_DAEMON=1).
func setupClient(tb testing.TB) *docker.Client {
	tb.Helper()
	cli, err := fixtures.cli.get(func() (*docker.Client, error) {
		cli, err := docker.New(docker.WithHost(daemonHost), docker.WithUserAgent("berth-bench-setup"))
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := cli.NegotiateAPIVersion(ctx); err != nil {
			return nil, err
		}
		return cli, nil
	})
	if err != nil {
		if os.Getenv("BERTH_REQUIRE_DAEMON") == "1" {
			tb.Fatalf("no Docker daemon at %s: %v", daemonHost, err)
		}
		tb.Skipf("no Docker daemon at %s: %v", daemonHost, err)
	}
	return cli
}

// setupContext bounds one fixture step.
func setupContext(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

func markCreated() {
	fixtures.mu.Lock()
	fixtures.created = true
	fixtures.mu.Unlock()
}

// testImage builds the integration tests' image once per process, the way
// internal/testing/testenv does (which another module cannot import): the
// static berth-test multi-tool as the entrypoint of a FROM scratch image,
// built by berth's own POST /build.
func testImage(tb testing.TB) string {
	tb.Helper()
	cli := setupClient(tb)
	ref, err := fixtures.image.get(func() (string, error) {
		ctx, cancel := setupContext(5 * time.Minute)
		defer cancel()
		ref := "berth-bench:" + runID
		markCreated()
		fixtures.mu.Lock()
		fixtures.imageTag = ref
		fixtures.mu.Unlock()
		return ref, buildTestImage(ctx, cli, ref)
	})
	if err != nil {
		tb.Fatalf("building the test image: %v", err)
	}
	return ref
}

func buildTestImage(ctx context.Context, cli *docker.Client, ref string) error {
	dir, err := os.MkdirTemp("", "berth-bench-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "berth-test")
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./testdata/testimage")
	build.Dir = ".." // the berth module's root
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ../testdata/testimage: %v\n%s", err, out)
	}
	dockerfile, err := os.ReadFile(filepath.Join("..", "testdata", "testimage", "Dockerfile"))
	if err != nil {
		return err
	}
	pr, pw := io.Pipe()
	go func() { // ends when the tar is written or the request stops reading
		pw.CloseWithError(writeBuildContext(pw, dockerfile, bin))
	}()
	defer pr.Close()
	labelsJSON := fmt.Sprintf(`{%q:%q}`, labelRun, runID)
	req := &docker.Request{
		Method: http.MethodPost,
		Path:   "/build",
		Query:  map[string][]string{"t": {ref}, "rm": {"1"}, "forcerm": {"1"}, "labels": {labelsJSON}},
		Header: http.Header{"Content-Type": {"application/x-tar"}},
		Body:   pr,
		Stream: true,
	}
	for _, err := range docker.StreamProgress(ctx, cli, req) {
		if err != nil {
			return err
		}
	}
	return nil
}

// writeBuildContext writes a tar holding the Dockerfile and the binary.
func writeBuildContext(w io.Writer, dockerfile []byte, bin string) error {
	tw := tar.NewWriter(w)
	if err := tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(dockerfile))}); err != nil {
		return err
	}
	if _, err := tw.Write(dockerfile); err != nil {
		return err
	}
	f, err := os.Open(bin)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: "berth-test", Mode: 0o755, Size: st.Size()}); err != nil {
		return err
	}
	if _, err := io.Copy(tw, f); err != nil {
		return err
	}
	return tw.Close()
}

// createContainer creates a container of the test image running args, with
// no network and this run's labels.
func createContainer(ctx context.Context, cli *docker.Client, image string, hc container.HostConfig, lbls map[string]string, args ...string) (string, error) {
	hc.NetworkMode = "none"
	markCreated()
	resp, err := container.New(cli).Create(ctx, container.Config{Image: image, Cmd: args, Labels: lbls},
		container.WithHostConfig(hc))
	return resp.ID, err
}

// listFixture creates the List benchmark's containers once per process:
// created, never started, labelled berth.bench.list=<run id>.
func listFixture(tb testing.TB) []string {
	tb.Helper()
	cli := setupClient(tb)
	image := testImage(tb)
	ids, err := fixtures.list.get(func() ([]string, error) {
		ctx, cancel := setupContext(5 * time.Minute)
		defer cancel()
		ids := make([]string, listContainers)
		errs := make([]error, listContainers)
		var wg sync.WaitGroup
		next := make(chan int)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					ids[i], errs[i] = createContainer(ctx, cli, image, container.HostConfig{},
						labels(labelList, runID), "sleep", "1")
				}
			}()
		}
		for i := range listContainers {
			next <- i
		}
		close(next)
		wg.Wait()
		return ids, errors.Join(errs...)
	})
	if err != nil {
		tb.Fatalf("creating %d containers: %v", listContainers, err)
	}
	return ids
}

// runningFixture starts a container that sleeps (for an hour at most, in
// case cleanup never runs) for Inspect and Stats.
func runningFixture(tb testing.TB) string {
	tb.Helper()
	cli := setupClient(tb)
	image := testImage(tb)
	id, err := fixtures.running.get(func() (string, error) {
		ctx, cancel := setupContext(time.Minute)
		defer cancel()
		id, err := createContainer(ctx, cli, image, container.HostConfig{}, labels(), "sleep", "1h")
		if err != nil {
			return "", err
		}
		return id, container.New(cli).Start(ctx, id)
	})
	if err != nil {
		tb.Fatalf("starting the running container: %v", err)
	}
	return id
}

// logsFixture runs, once per process, a container that writes logsPayload
// bytes alternately on stdout and stderr, and waits for it to exit. It logs
// with the "local" driver: json-file would mangle the non-UTF-8 pattern
// bytes. One 100 MB file, so the daemon never rotates or compresses.
func logsFixture(tb testing.TB) string {
	tb.Helper()
	cli := setupClient(tb)
	image := testImage(tb)
	id, err := fixtures.logs.get(func() (string, error) {
		ctx, cancel := setupContext(2 * time.Minute)
		defer cancel()
		hc := container.HostConfig{LogConfig: container.LogConfig{
			Type:   "local",
			Config: map[string]string{"max-size": "100m", "max-file": "1", "compress": "false"},
		}}
		half := strconv.Itoa(logsPayload / 2)
		id, err := createContainer(ctx, cli, image, hc, labels(), "interleave", half, half, strconv.Itoa(logsChunk))
		if err != nil {
			return "", err
		}
		ctrs := container.New(cli)
		if err := ctrs.Start(ctx, id); err != nil {
			return id, err
		}
		exit, err := ctrs.Wait(ctx, id)
		if err != nil {
			return id, err
		}
		if exit.StatusCode != 0 {
			return id, fmt.Errorf("logs container exited with %d", exit.StatusCode)
		}
		return id, nil
	})
	if err != nil {
		tb.Fatalf("writing %d bytes of logs: %v", logsPayload, err)
	}
	return id
}

// cleanupDaemon removes every container labelled with this run and the
// test image, within two minutes. It is a no-op when nothing was created.
func cleanupDaemon() {
	fixtures.mu.Lock()
	created, tag := fixtures.created, fixtures.imageTag
	fixtures.mu.Unlock()
	if !created {
		return
	}
	cli, err := docker.New(docker.WithHost(daemonHost), docker.WithUserAgent("berth-bench-cleanup"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: cleanup: %v\n", err)
		return
	}
	defer cli.Close()
	ctx, cancel := setupContext(2 * time.Minute)
	defer cancel()
	ctrs := container.New(cli)
	list, err := ctrs.List(ctx, container.All(), container.Filter("label", labelRun+"="+runID))
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: cleanup: listing containers: %v\n", err)
	}
	var wg sync.WaitGroup
	next := make(chan string)
	var failed sync.Map
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				if err := ctrs.Remove(ctx, id, container.Force()); err != nil && !errors.Is(err, docker.ErrNotFound) {
					failed.Store(id, err)
				}
			}
		}()
	}
	for _, c := range list {
		next <- c.ID
	}
	close(next)
	wg.Wait()
	failed.Range(func(id, err any) bool {
		fmt.Fprintf(os.Stderr, "bench: cleanup: removing container %s: %v\n", id, err)
		return true
	})
	if tag != "" {
		// By id, with force: that removes the tags the Events benchmark may
		// have left too.
		var img struct {
			ID string `json:"Id"`
		}
		err := cli.DoJSON(ctx, &docker.Request{Path: "/images/" + tag + "/json"}, &img)
		if err == nil {
			req := &docker.Request{Method: http.MethodDelete, Path: "/images/" + img.ID, Query: map[string][]string{"force": {"1"}}}
			err = cli.DoJSON(ctx, req, nil)
		}
		if err != nil && !errors.Is(err, docker.ErrNotFound) {
			fmt.Fprintf(os.Stderr, "bench: cleanup: removing image %s: %v\n", tag, err)
		}
	}
}

// eventWindow makes the daemon emit n events (image tag and untag, which
// cost the daemon little) and returns the since and until timestamps of a
// window holding them. The
// Engine replays only its last 256 events, so call it right before reading
// the window.
func eventWindow(tb testing.TB, n int) (since, until time.Time) {
	tb.Helper()
	cli := setupClient(tb)
	image := testImage(tb)
	ctx, cancel := setupContext(time.Minute)
	defer cancel()
	repo := "berth-bench-events-" + runID
	start := time.Now()
	for i := range n / 2 {
		tag := strconv.Itoa(i)
		req := &docker.Request{Method: http.MethodPost, Path: "/images/" + image + "/tag",
			Query: map[string][]string{"repo": {repo}, "tag": {tag}}}
		if err := cli.DoJSON(ctx, req, nil); err != nil {
			tb.Fatalf("tagging: %v", err)
		}
		req = &docker.Request{Method: http.MethodDelete, Path: "/images/" + repo + ":" + tag}
		if err := cli.DoJSON(ctx, req, nil); err != nil {
			tb.Fatalf("untagging: %v", err)
		}
	}
	return start.Add(-time.Millisecond), time.Now().Add(time.Millisecond)
}
