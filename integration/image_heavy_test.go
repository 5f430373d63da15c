package integration

import (
	"archive/tar"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// heapSampler records the peak heap in use of the test process while an
// operation runs.
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	base uint64 // HeapInuse at the start
	peak uint64 // the highest HeapInuse seen
	// allocated is TotalAlloc at the start, then the bytes allocated
	// during the operation.
	allocated uint64
}

// sampleHeap starts sampling every 20ms; call stop to end it.
func sampleHeap() *heapSampler {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s := &heapSampler{stop: make(chan struct{}), done: make(chan struct{}), base: m.HeapInuse, peak: m.HeapInuse, allocated: m.TotalAlloc}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				s.sample()
			}
		}
	}()
	return s
}

func (s *heapSampler) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.mu.Lock()
	s.peak = max(s.peak, m.HeapInuse)
	s.mu.Unlock()
}

// end stops sampling and returns the peak growth of the heap in use over
// the start, and the bytes allocated meanwhile.
func (s *heapSampler) end() (growth, allocated uint64) {
	close(s.stop)
	<-s.done
	s.sample()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return s.peak - s.base, m.TotalAlloc - s.allocated
}

// TestImageHeavyMemory builds an image with a 200 MiB layer from a context
// streamed from the test pattern, pushes it to the local registry, removes
// it and pulls it back, and checks that the test process's heap stays small
// throughout: nothing of the image is held in memory. It then checks the
// pulled file's digest inside a container.
func TestImageHeavyMemory(t *testing.T) {
	addr, user, password := testenv.Registry(t)
	const (
		size = 200 << 20
		// The most the heap may grow during an operation. The image is 200
		// MiB; a client that buffered it would blow through this.
		limit = 16 << 20
	)
	// A new pattern each run, so the registry never has the layer already
	// and the push uploads all of it.
	seed := uint64(time.Now().UnixNano())
	s := imgs(t)
	ctx := testenv.Context(t, 5*time.Minute)
	ref := imgRepo(addr, "heavy") + ":1"
	imgCleanup(t, ref)
	auth := image.Auth(registry.AuthConfig{Username: user, Password: password, ServerAddress: addr})
	plainPush, plainPull := plainHTTP(t)
	check := func(what string, start time.Time, h *heapSampler) {
		growth, allocated := h.end()
		t.Logf("%s of 200 MiB: %v, heap in use grew by at most %.1f MiB, %.1f MiB allocated in all",
			what, time.Since(start).Round(100*time.Millisecond), float64(growth)/(1<<20), float64(allocated)/(1<<20))
		if growth > limit {
			t.Errorf("%s: the heap grew by %d bytes, over %d", what, growth, limit)
		}
	}

	// Build from a context streamed as it is generated.
	bin, err := testenv.BuildTestBinary(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	written := make(chan struct{})
	go func() { // ends when the context is written or the build stops reading
		defer close(written)
		pw.CloseWithError(imgPatternContext(pw, size, seed, bin))
	}()
	start, h := time.Now(), sampleHeap()
	id, err := s.BuildAndWait(ctx, pr, nil, image.Tags(ref), image.Labels(testenv.Labels()), image.ForceRm())
	pr.Close()
	<-written
	check("build", start, h)
	if err != nil {
		t.Fatal(err)
	}
	imgCleanup(t, id)

	start, h = time.Now(), sampleHeap()
	_, err = s.PushAndWait(ctx, ref, nil, append(plainPush, auth)...)
	check("push", start, h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Remove(ctx, ref, image.Force()); err != nil {
		t.Fatal(err)
	}

	start, h = time.Now(), sampleHeap()
	err = s.PullAndWait(ctx, ref, nil, append(plainPull, auth)...)
	check("pull", start, h)
	if err != nil {
		t.Fatal(err)
	}

	start, h = time.Now(), sampleHeap()
	rc, err := s.Save(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, rc)
	rc.Close()
	check("save", start, h)
	if err != nil || n < size {
		t.Fatalf("save: %d bytes, %v", n, err)
	}

	code, out, _ := imgRun(t, ref, "sha256", "/big")
	if want := testenv.PatternSHA256(seed, size); code != 0 || !strings.HasPrefix(out, want) {
		t.Errorf("sha256 of the pulled file: %d %q, want %s", code, out, want)
	}
}

// imgPatternContext writes a build context whose Dockerfile copies a size-
// byte file of the test pattern and the test binary bin into a scratch
// image.
func imgPatternContext(w io.Writer, size int64, seed uint64, bin string) error {
	tw := tar.NewWriter(w)
	dockerfile := []byte("FROM scratch\nCOPY big /big\nCOPY berth-test /berth-test\nENTRYPOINT [\"/berth-test\"]\n")
	if err := tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(dockerfile))}); err != nil {
		return err
	}
	if _, err := tw.Write(dockerfile); err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: "big", Mode: 0o644, Size: size}); err != nil {
		return err
	}
	if _, err := io.Copy(tw, testenv.PatternReader(seed, size)); err != nil {
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
