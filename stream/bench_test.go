package stream_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/berth-go/berth/stream"
)

// benchPayload is how many payload bytes each demux benchmark iteration
// moves.
const benchPayload = 8 << 20

// plainReader hides every method but Read, as an HTTP response body or a
// connection does (bytes.Reader's WriterTo would make io.Copy a single Write).
type plainReader struct{ r io.Reader }

func (p *plainReader) Read(b []byte) (int, error) { return p.r.Read(b) }

// countWriter counts bytes and has no ReadFrom, like a terminal or a pipe
// seen through io.Writer.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// framed returns total payload bytes as frames of frameSize bytes, all of
// kind Stdout.
func framed(tb testing.TB, frameSize, total int) []byte {
	tb.Helper()
	raw := bytes.Repeat([]byte("0123456789abcdef"), total/16)
	var buf bytes.Buffer
	w := stream.NewWriter(&buf, stream.Stdout)
	for p := raw; len(p) > 0; p = p[min(frameSize, len(p)):] {
		if _, err := w.Write(p[:min(frameSize, len(p))]); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// BenchmarkDemux measures Demux against io.Copy of the same bytes to the same
// writer. Throughput counts the bytes of the stream, headers included.
func BenchmarkDemux(b *testing.B) {
	for _, size := range []int{64, 1 << 10, 16 << 10, 1 << 20} {
		frames := framed(b, size, benchPayload)
		b.Run(fmt.Sprintf("frame=%d/stream.Demux", size), func(b *testing.B) {
			b.SetBytes(int64(len(frames)))
			b.ReportAllocs()
			var out countWriter
			for b.Loop() {
				if _, err := stream.Demux(&out, &out, &plainReader{bytes.NewReader(frames)}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("frame=%d/io.Copy", size), func(b *testing.B) {
			b.SetBytes(int64(len(frames)))
			b.ReportAllocs()
			var out countWriter
			for b.Loop() {
				if _, err := io.Copy(&out, &plainReader{bytes.NewReader(frames)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFrames(b *testing.B) {
	for _, size := range []int{64, 16 << 10} {
		frames := framed(b, size, benchPayload)
		b.Run(fmt.Sprintf("frame=%d", size), func(b *testing.B) {
			b.SetBytes(int64(len(frames)))
			b.ReportAllocs()
			for b.Loop() {
				for _, err := range stream.Frames(&plainReader{bytes.NewReader(frames)}) {
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkWriter(b *testing.B) {
	for _, size := range []int{64, 16 << 10} {
		p := bytes.Repeat([]byte{'x'}, size)
		b.Run(fmt.Sprintf("frame=%d", size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			w := stream.NewWriter(io.Discard, stream.Stdout)
			for b.Loop() {
				if _, err := w.Write(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchEvent is shaped like an Engine event.
type benchEvent struct {
	Type   string `json:"Type"`
	Action string `json:"Action"`
	Actor  struct {
		ID         string            `json:"ID"`
		Attributes map[string]string `json:"Attributes"`
	} `json:"Actor"`
	Scope    string `json:"scope"`
	Time     int64  `json:"time"`
	TimeNano int64  `json:"timeNano"`
}

// eventStream returns about n bytes of newline-delimited events.
func eventStream(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `{"status":"start","id":"%064d","from":"alpine:3","Type":"container","Action":"start",`+
			`"Actor":{"ID":"%064d","Attributes":{"image":"alpine:3","name":"web-%d"}},"scope":"local",`+
			`"time":1700000000,"timeNano":1700000000%09d}`+"\n", i, i, i, i)
	}
	return b.Bytes()
}

func BenchmarkDecode(b *testing.B) {
	data := eventStream(10 << 20)
	count := strings.Count(string(data), "\n")
	b.Run("stream.Decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range stream.Decode[benchEvent](bytes.NewReader(data)) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != count {
				b.Fatalf("decoded %d events, want %d", n, count)
			}
		}
	})
	b.Run("json.Decoder", func(b *testing.B) {
		// The baseline: the loop a caller would write by hand.
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			dec := json.NewDecoder(bytes.NewReader(data))
			n := 0
			for {
				var e benchEvent
				if err := dec.Decode(&e); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != count {
				b.Fatalf("decoded %d events, want %d", n, count)
			}
		}
	})
}
