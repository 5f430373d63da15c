package stream_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/berth-go/berth/stream"
)

// The fuzz tests' seed corpora live in testdata/fuzz; run them with, e.g.,
//
//	go test -run='^$' -fuzz=FuzzDemux -fuzztime=60s ./stream/

// refDemux is the plain reading of the format that Demux must agree with:
// the output it delivers and the class of error it ends with ("" for none).
func refDemux(in []byte) (output, string) {
	var out [2]strings.Builder
	result := func(class string) (output, string) {
		return output{out[0].String(), out[1].String()}, class
	}
	for off := 0; ; {
		if off == len(in) {
			return result("")
		}
		if len(in)-off < 8 {
			return result("eof")
		}
		h := in[off : off+8]
		if h[0] > 3 {
			return result("id")
		}
		if h[1]|h[2]|h[3] != 0 {
			return result("reserved")
		}
		size := int(binary.BigEndian.Uint32(h[4:]))
		payload := in[off+8 : off+8+min(size, len(in)-off-8)]
		if h[0] == 3 {
			if len(payload) < min(size, 64<<10) {
				return result("eof")
			}
			return result("system")
		}
		i := 0
		if h[0] == 2 {
			i = 1
		}
		out[i].Write(payload)
		if len(payload) < size {
			return result("eof")
		}
		off += 8 + size
	}
}

// errClass classifies an error of Demux or Frames like refDemux does.
func errClass(err error) string {
	var se *stream.SystemError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "eof"
	case errors.As(err, &se):
		return "system"
	case strings.Contains(err.Error(), "unknown stream id"):
		return "id"
	case strings.Contains(err.Error(), "bytes 1-3"):
		return "reserved"
	}
	return "other: " + err.Error()
}

// recipe turns arbitrary bytes into a valid frame sequence: each step takes
// a byte choosing the stream and a length, then that many payload bytes.
// It returns the stream written with NewWriter and the payload of each side.
func recipe(data []byte) (in []byte, want output) {
	var dst bytes.Buffer
	writers := [2]io.Writer{stream.NewWriter(&dst, stream.Stdout), stream.NewWriter(&dst, stream.Stderr)}
	var out [2]strings.Builder
	for len(data) > 0 {
		b := data[0]
		data = data[1:]
		k := int(b & 1)
		size := min(int(b>>1)*int(b>>1), len(data)) // 0 to 16129 bytes
		writers[k].Write(data[:size])
		out[k].Write(data[:size])
		data = data[size:]
	}
	return dst.Bytes(), output{out[0].String(), out[1].String()}
}

// counter counts bytes written, without allocating.
type counter struct{ n int }

func (c *counter) Write(p []byte) (int, error) {
	c.n += len(p)
	return len(p), nil
}

func FuzzDemux(f *testing.F) {
	for _, tc := range frameCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Memory stays bounded whatever the headers announce: the fixed
		// buffer and, at most, a System message.
		var stdout, stderr counter
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		n, _ := stream.Demux(&stdout, &stderr, bytes.NewReader(data))
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 160<<10 {
			t.Fatalf("Demux allocated %d bytes for %d bytes of input", alloc, len(data))
		}
		if n != int64(stdout.n+stderr.n) || n > int64(len(data)) {
			t.Fatalf("Demux reported %d bytes, wrote %d, from %d bytes of input", n, stdout.n+stderr.n, len(data))
		}

		// Any input: Demux agrees with the plain reading of the format.
		want, wantClass := refDemux(data)
		got, err := demuxAll(t, bytes.NewReader(data))
		if got != want || errClass(err) != wantClass {
			t.Fatalf("Demux = %q, %v (%s); reference: %q, %s", got, err, errClass(err), want, wantClass)
		}

		// Valid frame sequences come back byte-exact.
		in, want := recipe(data)
		got, err = demuxAll(t, bytes.NewReader(in))
		if err != nil || got != want {
			t.Fatalf("round trip: Demux = %q, %v; want %q", got, err, want)
		}
	})
}

func FuzzFrames(f *testing.F) {
	for i, tc := range frameCases {
		f.Add(tc.in, uint64(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		// Frames, reading in random pieces, agrees with Demux reading it
		// whole, and never yields more than its buffer.
		rnd := rand.New(rand.NewPCG(seed, 0))
		var out [2]strings.Builder
		var err error
		for fr, ferr := range stream.Frames(&chunkReader{bytes.NewReader(data), rnd, 1 + int(seed%100)}) {
			if ferr != nil {
				err = ferr
				break
			}
			if len(fr.Data) > 64<<10 || fr.Kind > stream.Stderr {
				t.Fatalf("Frames yielded %s frame of %d bytes", fr.Kind, len(fr.Data))
			}
			i := 0
			if fr.Kind == stream.Stderr {
				i = 1
			}
			out[i].Write(fr.Data)
		}
		got := output{out[0].String(), out[1].String()}
		want, derr := demuxAll(t, bytes.NewReader(data))
		if got != want || errClass(err) != errClass(derr) {
			t.Fatalf("Frames = %q, %v; Demux = %q, %v", got, err, want, derr)
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"", `{"status":"Downloading","id":"a","progressDetail":{"current":1,"total":2}}`,
		"{}\n{}\n", `{"a":1}{"b":[1,2,{"c":null}]}`, `{"errorDetail":{"code":1,"message":"x"},"error":"x"}`,
		`{"a":`, `{"a" 1}`, "[1,2]", `"str" 12 true null`, "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Decode yields what a json.Decoder loop does, and its error is
		// ours, naming an offset within the input.
		var want []json.RawMessage
		dec := json.NewDecoder(bytes.NewReader(data))
		var wantErr error
		for {
			var v json.RawMessage
			if err := dec.Decode(&v); err == io.EOF {
				break
			} else if err != nil {
				wantErr = err
				break
			}
			want = append(want, v)
		}
		var got []json.RawMessage
		var err error
		for v, derr := range stream.Decode[json.RawMessage](bytes.NewReader(data)) {
			if derr != nil {
				err = derr
				break
			}
			got = append(got, bytes.Clone(v))
		}
		if len(got) != len(want) || (err == nil) != (wantErr == nil) {
			t.Fatalf("Decode: %d values, error %v; json.Decoder: %d values, error %v", len(got), err, len(want), wantErr)
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("value %d: %q, want %q", i, got[i], want[i])
			}
		}
		if err != nil && (!strings.HasPrefix(err.Error(), "stream: ") || !strings.HasSuffix(err.Error(), ": "+wantErr.Error())) {
			t.Fatalf("Decode error %q does not wrap %q", err, wantErr)
		}

		// Into a struct: no panic, and the same number of messages or an
		// error earlier.
		n := 0
		for _, err := range stream.Decode[stream.Progress](bytes.NewReader(data)) {
			if err != nil {
				break
			}
			n++
		}
		if n > len(want) {
			t.Fatalf("Decode[Progress] yielded %d messages, input has %d values", n, len(want))
		}
	})
}
