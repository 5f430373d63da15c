package stream

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
)

// Decode returns an iterator over the JSON values in r, one T each: the
// newline-delimited or simply concatenated objects that the Engine streams
// for events, stats, pull, push, build and load. Reading happens as the loop
// asks for values; nothing runs in the background, so stopping early leaks
// nothing. Decode does not close r.
//
// Fields of the objects that T does not have are ignored. The sequence ends
// without error when r ends between values. Otherwise it ends with one error:
// for malformed input, one that names the byte offset of the first bad byte;
// for a value that does not fit T or is cut short (wrapping
// io.ErrUnexpectedEOF), one that names the offset where reading it began
// (the end of the previous value: whitespace before the value counts). Both
// wrap the encoding/json error. Errors from r are wrapped too.
func Decode[T any](r io.Reader) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		dec := json.NewDecoder(r)
		var v T // reused: one allocation for the whole stream
		for {
			var zero T
			v = zero
			start := dec.InputOffset()
			err := dec.Decode(&v)
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(zero, decodeError(start, err))
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// decodeError describes err, met decoding the value whose reading began at
// byte offset start.
func decodeError(start int64, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the bytes read, the bad one included.
		return fmt.Errorf("stream: malformed JSON at offset %d: %w", max(se.Offset-1, 0), err)
	}
	return fmt.Errorf("stream: decoding JSON value at offset %d: %w", start, err)
}
