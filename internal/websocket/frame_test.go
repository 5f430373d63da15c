package websocket_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/berth-go/berth/internal/websocket"
)

// random returns n reproducible bytes.
func random(seed uint64, n int) []byte {
	b := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)}).Read(b)
	return b
}

// other returns the role at the other end.
func other(role websocket.Role) websocket.Role { return !role }

// TestFrameRoundTrip writes frames of every length encoding, masked (as a
// client sends them) and not (as a server does), and reads them back.
func TestFrameRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		length  int
		lenBits int // bytes of extended length on the wire
	}{
		{0, 0}, {1, 0}, {125, 0}, {126, 2}, {127, 2}, {65535, 2}, {65536, 8}, {70000, 8}, {1<<20 + 3, 8},
	} {
		for _, sender := range []websocket.Role{websocket.Client, websocket.Server} {
			t.Run(sender.String()+"/"+strconv.Itoa(tc.length), func(t *testing.T) {
				t.Parallel()
				payload := random(uint64(tc.length), tc.length)
				var wire bytes.Buffer
				w := websocket.NewWriter(&wire, sender)
				if err := w.WriteFrame(websocket.OpBinary, true, payload); err != nil {
					t.Fatal(err)
				}
				masked := sender == websocket.Client
				wantHeader := 2 + tc.lenBits
				if masked {
					wantHeader += 4
				}
				if got, want := wire.Len(), wantHeader+tc.length; got != want {
					t.Fatalf("%d bytes on the wire, want %d", got, want)
				}
				onWire := wire.Bytes()[wantHeader:]
				if masked && tc.length >= 8 && bytes.Equal(onWire, payload) {
					t.Error("a client's payload went out unmasked")
				}
				if !masked && !bytes.Equal(onWire, payload) {
					t.Error("a server's payload went out transformed")
				}

				r := websocket.NewReader(&wire, other(sender))
				h, err := r.Next()
				if err != nil {
					t.Fatal(err)
				}
				want := websocket.Header{Fin: true, Opcode: websocket.OpBinary, Masked: masked, Length: int64(tc.length)}
				if diff := cmp.Diff(want, h, cmpopts.IgnoreFields(websocket.Header{}, "Key")); diff != "" {
					t.Errorf("header (-want +got):\n%s", diff)
				}
				got, err := io.ReadAll(r)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, payload) {
					t.Error("the payload read back differs from the one written")
				}
				if _, err := r.Next(); err != io.EOF {
					t.Errorf("Next at the end: err = %v, want io.EOF", err)
				}
			})
		}
	}
}

// TestReadHeaderWire decodes headers written by hand from RFC 6455's
// examples and checks AppendHeader writes them back byte for byte.
func TestReadHeaderWire(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		wire []byte
		want websocket.Header
	}{
		{"unmasked text", []byte{0x81, 0x05}, websocket.Header{Fin: true, Opcode: websocket.OpText, Length: 5}},
		{"masked text", []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d},
			websocket.Header{Fin: true, Opcode: websocket.OpText, Masked: true, Key: [4]byte{0x37, 0xfa, 0x21, 0x3d}, Length: 5}},
		{"first fragment", []byte{0x01, 0x03}, websocket.Header{Opcode: websocket.OpText, Length: 3}},
		{"last fragment", []byte{0x80, 0x02}, websocket.Header{Fin: true, Opcode: websocket.OpContinuation, Length: 2}},
		{"ping", []byte{0x89, 0x05}, websocket.Header{Fin: true, Opcode: websocket.OpPing, Length: 5}},
		{"256 bytes", []byte{0x82, 0x7e, 0x01, 0x00}, websocket.Header{Fin: true, Opcode: websocket.OpBinary, Length: 256}},
		{"64 KiB", []byte{0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00},
			websocket.Header{Fin: true, Opcode: websocket.OpBinary, Length: 65536}},
		{"largest", []byte{0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
			websocket.Header{Fin: true, Opcode: websocket.OpBinary, Length: 1<<63 - 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, err := websocket.ReadHeader(bytes.NewReader(tc.wire))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, h); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if got := websocket.AppendHeader(nil, h); !bytes.Equal(got, tc.wire) {
				t.Errorf("AppendHeader = % x, want % x", got, tc.wire)
			}
		})
	}
}

// TestMaskingKeys checks a client masks each frame with a fresh key and
// that unmasking with the key on the wire gives the payload back.
func TestMaskingKeys(t *testing.T) {
	t.Parallel()
	payload := []byte("the same payload every time, at least 8 bytes long")
	var wire bytes.Buffer
	w := websocket.NewWriter(&wire, websocket.Client)
	keys := map[[4]byte]bool{}
	for range 8 {
		if err := w.WriteFrame(websocket.OpBinary, true, payload); err != nil {
			t.Fatal(err)
		}
		h, err := websocket.ReadHeader(&wire)
		if err != nil {
			t.Fatal(err)
		}
		keys[h.Key] = true
		got := make([]byte, h.Length)
		if _, err := io.ReadFull(&wire, got); err != nil {
			t.Fatal(err)
		}
		for i := range got {
			got[i] ^= h.Key[i%4]
		}
		if !bytes.Equal(got, payload) {
			t.Fatalf("unmasked with its key: %q", got)
		}
	}
	if len(keys) < 2 {
		t.Errorf("8 frames masked with %d distinct keys", len(keys))
	}
}

func TestWriterRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		op   websocket.Opcode
		fin  bool
		n    int
	}{
		{"control frame of 126 bytes", websocket.OpPing, true, 126},
		{"fragmented control frame", websocket.OpPong, false, 1},
		{"unknown opcode", websocket.Opcode(3), true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var wire bytes.Buffer
			if err := websocket.NewWriter(&wire, websocket.Client).WriteFrame(tc.op, tc.fin, make([]byte, tc.n)); err == nil {
				t.Error("no error")
			}
			if wire.Len() != 0 {
				t.Errorf("%d bytes written anyway", wire.Len())
			}
		})
	}
	t.Run("after the close frame", func(t *testing.T) {
		t.Parallel()
		var wire bytes.Buffer
		w := websocket.NewWriter(&wire, websocket.Server)
		if err := w.WriteFrame(websocket.OpClose, true, nil); err != nil {
			t.Fatal(err)
		}
		n := wire.Len()
		if err := w.WriteFrame(websocket.OpBinary, true, []byte("late")); err == nil {
			t.Error("no error")
		}
		if wire.Len() != n {
			t.Error("a frame went out after the close frame")
		}
	})
}

// TestHugeLength reads a frame claiming 2^62 bytes: the payload streams
// through without an allocation of its size. It is not parallel: it counts
// the process's allocations while the parallel tests wait.
func TestHugeLength(t *testing.T) {
	header := []byte{0x82, 0x7f, 0x40, 0, 0, 0, 0, 0, 0, 0}
	const stream = 8 << 20
	src := io.MultiReader(bytes.NewReader(header), io.LimitReader(zeros{}, stream))
	r := websocket.NewReader(src, websocket.Client)
	h, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if h.Length != 1<<62 {
		t.Fatalf("length %d", h.Length)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n, err := io.Copy(io.Discard, r)
	runtime.ReadMemStats(&after)
	if n != stream || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Copy = %d, %v; want %d, io.ErrUnexpectedEOF", n, err, stream)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("reading the payload allocated %d bytes", grew)
	}
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
