package stream_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/stream"
)

// header returns a frame header of the given stream id and payload size.
func header(id byte, size uint32) []byte {
	h := []byte{id, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(h[4:], size)
	return h
}

// frame returns a whole frame of the given stream id carrying payload.
func frame(id byte, payload string) []byte {
	return append(header(id, uint32(len(payload))), payload...)
}

// cat concatenates byte slices.
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// output is what a multiplexed stream delivered to each side.
type output struct {
	Stdout, Stderr string
}

// demuxAll runs Demux over src and checks that the count it returns is the
// number of bytes the writers got.
func demuxAll(t *testing.T, src io.Reader) (output, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	n, err := stream.Demux(&stdout, &stderr, src)
	if want := int64(stdout.Len() + stderr.Len()); n != want {
		t.Errorf("Demux returned %d bytes written, writers got %d", n, want)
	}
	return output{stdout.String(), stderr.String()}, err
}

// framesAll collects the frames of src by stream, Stdin counting as Stdout.
func framesAll(src io.Reader) (output, error) {
	var out [2]strings.Builder
	for f, err := range stream.Frames(src) {
		if err != nil {
			return output{out[0].String(), out[1].String()}, err
		}
		i := 0
		if f.Kind == stream.Stderr {
			i = 1
		}
		out[i].Write(f.Data)
	}
	return output{out[0].String(), out[1].String()}, nil
}

// frameCase is one input of the table of well-formed and malformed streams.
type frameCase struct {
	name string
	in   []byte
	want output
	// The error: nil, or a check of it.
	errIs     error    // errors.Is target
	errSystem string   // the *stream.SystemError message
	errHas    []string // substrings of the message
}

var frameCases = []frameCase{
	{name: "empty input"},
	{
		name: "stdout and stderr interleaved",
		in:   cat(frame(1, "out1 "), frame(2, "err1 "), frame(1, "out2"), frame(2, "err2")),
		want: output{"out1 out2", "err1 err2"},
	},
	{
		name: "stdin frames go to stdout",
		in:   cat(frame(0, "in "), frame(1, "out")),
		want: output{Stdout: "in out"},
	},
	{
		name: "zero-length frames",
		in:   cat(frame(1, ""), frame(2, ""), frame(1, "x"), frame(2, "")),
		want: output{Stdout: "x"},
	},
	{
		name:   "truncated header",
		in:     cat(frame(1, "hello"), []byte{1, 0, 0}),
		want:   output{Stdout: "hello"},
		errIs:  io.ErrUnexpectedEOF,
		errHas: []string{"frame header at offset 13", "after 3 of 8 bytes"},
	},
	{
		name:   "truncated payload",
		in:     cat(frame(1, "ok"), header(2, 10), []byte("abcd")),
		want:   output{"ok", "abcd"},
		errIs:  io.ErrUnexpectedEOF,
		errHas: []string{"stderr frame at offset 10", "6 payload bytes missing"},
	},
	{
		name:   "unknown stream id 7",
		in:     cat(frame(1, "a"), header(7, 1), []byte("x")),
		want:   output{Stdout: "a"},
		errHas: []string{"unknown stream id 7", "offset 9"},
	},
	{
		name:   "length 0xFFFFFFFF",
		in:     cat(frame(2, "e"), header(1, 0xFFFFFFFF), []byte("partial")),
		want:   output{"partial", "e"},
		errIs:  io.ErrUnexpectedEOF,
		errHas: []string{"stdout frame at offset 9", "4294967288 payload bytes missing"},
	},
	{
		name:      "system error frame",
		in:        cat(frame(1, "before"), frame(3, "boom: no such exec"), frame(1, "after")),
		want:      output{Stdout: "before"},
		errSystem: "boom: no such exec",
	},
	{
		name:   "truncated system error frame",
		in:     cat(header(3, 10), []byte("boo")),
		errIs:  io.ErrUnexpectedEOF,
		errHas: []string{"system frame at offset 0"},
	},
	{
		name:   "reserved header bytes not zero",
		in:     cat(frame(1, "a"), []byte{2, 0, 1, 0, 0, 0, 0, 1, 'x'}),
		want:   output{Stdout: "a"},
		errHas: []string{"offset 9", "bytes 1-3 are 00 01 00"},
	},
	{
		name:   "raw TTY output read as multiplexed",
		in:     []byte("hello world\n"),
		errHas: []string{"unknown stream id 104", "offset 0"},
	},
}

// check compares a result with a case's expectations.
func (tc frameCase) check(t *testing.T, got output, err error) {
	t.Helper()
	if diff := cmp.Diff(tc.want, got); diff != "" {
		t.Errorf("output mismatch (-want +got):\n%s", diff)
	}
	wantErr := tc.errIs != nil || tc.errSystem != "" || len(tc.errHas) > 0
	if !wantErr {
		if err != nil {
			t.Errorf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatal("no error, want one")
	}
	if tc.errIs != nil && !errors.Is(err, tc.errIs) {
		t.Errorf("error %q does not match %v", err, tc.errIs)
	}
	if tc.errSystem != "" {
		var se *stream.SystemError
		if !errors.As(err, &se) {
			t.Errorf("error %q is not a *stream.SystemError", err)
		} else if se.Message != tc.errSystem {
			t.Errorf("SystemError.Message = %q, want %q", se.Message, tc.errSystem)
		}
	}
	for _, s := range tc.errHas {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
	if !strings.HasPrefix(err.Error(), "stream: ") {
		t.Errorf("error %q lacks the stream: prefix", err)
	}
}

// readers returns the ways a case's input is fed to the readers under test.
func readers(in []byte) map[string]io.Reader {
	return map[string]io.Reader{
		"whole":        bytes.NewReader(in),
		"one byte":     iotest.OneByteReader(bytes.NewReader(in)),
		"data and EOF": iotest.DataErrReader(bytes.NewReader(in)),
		"half":         iotest.HalfReader(bytes.NewReader(in)),
	}
}

func TestFrameCases(t *testing.T) {
	t.Parallel()
	for _, tc := range frameCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for how := range readers(tc.in) {
				t.Run("Demux/"+how, func(t *testing.T) {
					got, err := demuxAll(t, readers(tc.in)[how])
					tc.check(t, got, err)
				})
				t.Run("Frames/"+how, func(t *testing.T) {
					got, err := framesAll(readers(tc.in)[how])
					tc.check(t, got, err)
				})
			}
		})
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	for k, want := range map[stream.Kind]string{
		stream.Stdin: "stdin", stream.Stdout: "stdout", stream.Stderr: "stderr",
		stream.System: "system", 7: "kind(7)",
	} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

func TestSystemErrorMessage(t *testing.T) {
	t.Parallel()
	err := &stream.SystemError{Message: "no such container"}
	if got, want := err.Error(), "stream: engine error: no such container"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
