package image

import (
	"io"
	"iter"
	"strings"

	"github.com/berth-go/berth/stream"
)

// first runs a progress stream to its end and returns its first error.
func first(seq iter.Seq2[stream.Progress, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// collect runs a progress stream to its end.
func collect(seq iter.Seq2[stream.Progress, error]) ([]stream.Progress, error) {
	var out []stream.Progress
	for p, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
	return out, nil
}

// emptyReader is an empty body.
type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, io.EOF }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
