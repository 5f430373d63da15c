package bench

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/moby/moby/api/pkg/stdcopy"

	"github.com/berth-go/berth/stream"
)

// demuxPayload is the payload each iteration demultiplexes.
const demuxPayload = 64 << 20

// demuxImpls are the implementations compared, each reading src to the end
// into stdout and stderr.
var demuxImpls = []struct {
	name  string
	demux func(stdout, stderr io.Writer, src io.Reader) (int64, error)
}{
	{"berth", stream.Demux},
	{"stdcopy", stdcopy.StdCopy},
	// The baseline: copying the same bytes to the same writer, unparsed.
	{"io.Copy", func(stdout, _ io.Writer, src io.Reader) (int64, error) { return io.Copy(stdout, src) }},
}

// BenchmarkDemux compares berth's stream.Demux with moby's stdcopy.StdCopy
// and with io.Copy of the same bytes, writing stdout and stderr to the same
// writer. Throughput (B/s) counts the bytes of the multiplexed stream,
// headers included, for every implementation.
//
// Compare with: go test -run='^$' -bench=Demux -count=6 | tee new.txt;
// benchstat -col /impl new.txt
func BenchmarkDemux(b *testing.B) {
	for _, in := range []struct {
		name            string
		frameSize, runs int
	}{
		{"frame=16KiB", 16 << 10, 0},
		{"frame=64B", 64, 0},
		{"frame=64B-mixed", 64, 16}, // stdout and stderr alternate every 16 frames
	} {
		src := multiplexed(b, demuxPayload, in.frameSize, in.runs)
		for _, out := range writers(b) {
			for _, impl := range demuxImpls {
				b.Run(fmt.Sprintf("%s/writer=%s/impl=%s", in.name, out.name, impl.name), func(b *testing.B) {
					b.SetBytes(int64(len(src)))
					b.ReportAllocs()
					for b.Loop() {
						n, err := impl.demux(out.w, out.w, &plainReader{bytes.NewReader(src)})
						if err != nil {
							b.Fatal(err)
						}
						if impl.name != "io.Copy" && n != demuxPayload {
							b.Fatalf("wrote %d bytes, want %d", n, demuxPayload)
						}
					}
				})
			}
		}
	}
}
