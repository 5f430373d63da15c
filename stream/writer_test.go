package stream_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/stream"
)

func TestWriterFrames(t *testing.T) {
	t.Parallel()
	var dst writeCounter
	stdout := stream.NewWriter(&dst, stream.Stdout)
	stderr := stream.NewWriter(&dst, stream.Stderr)
	for _, step := range []struct {
		w io.Writer
		p string
	}{{stdout, "hello"}, {stderr, "oops"}, {stdout, ""}, {stdout, "x"}} {
		if n, err := step.w.Write([]byte(step.p)); n != len(step.p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", step.p, n, err)
		}
	}
	want := []string{string(frame(1, "hello")), string(frame(2, "oops")), string(frame(1, "x"))}
	if diff := cmp.Diff(want, dst.writes); diff != "" {
		t.Errorf("one dst.Write per frame, empty writes skipped (-want +got):\n%s", diff)
	}
}

func TestWriterLargeFrame(t *testing.T) {
	t.Parallel()
	var dst writeCounter
	p := bytes.Repeat([]byte("z"), 200<<10) // more than the kept buffer
	if n, err := stream.NewWriter(&dst, stream.Stderr).Write(p); n != len(p) || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if len(dst.writes) != 1 || dst.writes[0] != string(append(header(2, uint32(len(p))), p...)) {
		t.Errorf("got %d writes, want one whole frame", len(dst.writes))
	}
}

func TestWriterErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("broken pipe")
	tests := []struct {
		name    string
		limit   int
		err     error
		wantN   int
		wantErr error
	}{
		{"header only", 8, boom, 0, boom},
		{"part of payload", 11, boom, 3, boom},
		{"short write", 5, nil, 0, io.ErrShortWrite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, err := stream.NewWriter(&errWriter{limit: tt.limit, err: tt.err}, stream.Stdout).Write([]byte("hello"))
			if n != tt.wantN || !errors.Is(err, tt.wantErr) {
				t.Errorf("Write = %d, %v; want %d, %v", n, err, tt.wantN, tt.wantErr)
			}
		})
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent Writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// TestWritersShareDst writes from two goroutines through writers sharing one
// dst and checks each stream comes back whole and in order.
func TestWritersShareDst(t *testing.T) {
	t.Parallel()
	var dst lockedBuffer
	var want [2]bytes.Buffer
	var wg sync.WaitGroup
	for i, k := range []stream.Kind{stream.Stdout, stream.Stderr} {
		w := stream.NewWriter(&dst, k)
		for j := range 500 {
			fmt.Fprintf(&want[i], "%s line %d\n", k, j)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 500 {
				fmt.Fprintf(w, "%s line %d\n", k, j)
			}
		}()
	}
	wg.Wait()
	got, err := demuxAll(t, &dst.buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(output{want[0].String(), want[1].String()}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// chunkReader reads from r in pieces of random size, as a network does.
type chunkReader struct {
	r   io.Reader
	rnd *rand.Rand
	max int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	n := 1 + c.rnd.IntN(c.max)
	return c.r.Read(p[:min(n, len(p))])
}

// piece is the kind and size of a frame or of part of one.
type piece struct {
	Kind stream.Kind
	Size int
}

// randomFrames writes a random sequence of frames of both kinds through
// NewWriter: payload sizes from 0 to 1 MiB, mostly small, at most budget
// bytes in all. It returns the stream and the sha256 of each side's payload.
func randomFrames(t *testing.T, rnd *rand.Rand, budget int) (in []byte, sums [2][]byte, sizes []piece) {
	t.Helper()
	var dst bytes.Buffer
	writers := [2]io.Writer{stream.NewWriter(&dst, stream.Stdout), stream.NewWriter(&dst, stream.Stderr)}
	hashes := [2]hash.Hash{sha256.New(), sha256.New()}
	payload := make([]byte, 1<<20)
	for used := 0; used < budget; {
		var size int
		switch rnd.IntN(10) {
		case 0:
			size = rnd.IntN(1<<20 + 1) // up to 1 MiB
		case 1, 2:
			size = rnd.IntN(64 << 10)
		default:
			size = rnd.IntN(200)
		}
		size = min(size, budget-used)
		p := payload[:size]
		for i := range p {
			p[i] = byte(rnd.Uint32())
		}
		k := rnd.IntN(2)
		if _, err := writers[k].Write(p); err != nil {
			t.Fatal(err)
		}
		hashes[k].Write(p)
		if size > 0 {
			sizes = append(sizes, piece{stream.Kind(k + 1), size})
		}
		used += size + 1
	}
	return dst.Bytes(), [2][]byte{hashes[0].Sum(nil), hashes[1].Sum(nil)}, sizes
}

// TestRoundTrip is the integrity property: random frame sequences written
// with NewWriter come back byte-exact through Demux and Frames, whatever the
// read sizes.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	budget := 8 << 20
	if testing.Short() {
		budget = 1 << 20
	}
	for seed := range uint64(6) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			rnd := rand.New(rand.NewPCG(seed, 0x5eed))
			in, want, sizes := randomFrames(t, rnd, budget)
			maxRead := []int{1 << 20, 64 << 10, 100, 9}[seed%4]

			got := [2]hash.Hash{sha256.New(), sha256.New()}
			n, err := stream.Demux(got[0], got[1], &chunkReader{bytes.NewReader(in), rnd, maxRead})
			if err != nil {
				t.Fatalf("Demux: %v", err)
			}
			if diff := cmp.Diff(want, [2][]byte{got[0].Sum(nil), got[1].Sum(nil)}); diff != "" {
				t.Errorf("Demux: sha256 of stdout, stderr (-want +got):\n%s", diff)
			}
			total := 0
			for _, s := range sizes {
				total += s.Size
			}
			if n != int64(total) {
				t.Errorf("Demux wrote %d bytes, want %d", n, total)
			}

			got = [2]hash.Hash{sha256.New(), sha256.New()}
			var pieces []piece
			for f, err := range stream.Frames(&chunkReader{bytes.NewReader(in), rnd, maxRead}) {
				if err != nil {
					t.Fatalf("Frames: %v", err)
				}
				got[f.Kind-1].Write(f.Data)
				pieces = append(pieces, piece{f.Kind, len(f.Data)})
			}
			if diff := cmp.Diff(want, [2][]byte{got[0].Sum(nil), got[1].Sum(nil)}); diff != "" {
				t.Errorf("Frames: sha256 of stdout, stderr (-want +got):\n%s", diff)
			}
			// Frames of up to 64 KiB are yielded whole, larger ones in
			// pieces of up to 64 KiB.
			for i, w := range sizes {
				if len(pieces) == 0 {
					t.Fatalf("Frames: frame %d (%v) missing", i, w)
				}
				if w.Size <= 64<<10 {
					if pieces[0] != w {
						t.Fatalf("Frames: frame %d is %v, want %v whole", i, pieces[0], w)
					}
					pieces = pieces[1:]
					continue
				}
				for left := w.Size; left > 0; pieces = pieces[1:] {
					if len(pieces) == 0 || pieces[0].Kind != w.Kind || pieces[0].Size > min(left, 64<<10) {
						t.Fatalf("Frames: pieces of frame %d (%v) end at %v", i, w, pieces[:min(1, len(pieces))])
					}
					left -= pieces[0].Size
				}
			}
			if len(pieces) > 0 {
				t.Errorf("Frames: %d pieces more than written", len(pieces))
			}
		})
	}
}
