package stream_test

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/stream"
)

type event struct {
	Type   string `json:"Type"`
	Action string `json:"Action"`
}

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		want   []event
		errIs  error
		errHas []string
	}{
		{name: "empty"},
		{name: "only whitespace", in: " \n\t\r\n"},
		{
			name: "newline-delimited",
			in:   "{\"Type\":\"container\",\"Action\":\"start\"}\n{\"Type\":\"image\",\"Action\":\"pull\"}\n",
			want: []event{{"container", "start"}, {"image", "pull"}},
		},
		{
			name: "concatenated, unknown fields ignored",
			in:   `{"Type":"network","extra":[1,{"x":2}]}{"Action":"die"}  {}`,
			want: []event{{Type: "network"}, {Action: "die"}, {}},
		},
		{
			name:   "malformed",
			in:     "{\"Type\":\"a\"}\n{\"Type\":\"b\"}\n{\"Type\": nope}\n{\"Type\":\"c\"}\n",
			want:   []event{{Type: "a"}, {Type: "b"}},
			errHas: []string{"malformed JSON at offset 36", "invalid character 'o'"},
		},
		{
			name:   "cut short",
			in:     "{\"Type\":\"a\"}\n{\"Type\":\"b",
			want:   []event{{Type: "a"}},
			errIs:  io.ErrUnexpectedEOF,
			errHas: []string{"value at offset 12"},
		},
		{
			name:   "value of the wrong type",
			in:     `{"Type":"a"} {"Type":42}`,
			want:   []event{{Type: "a"}},
			errHas: []string{"value at offset 12", "cannot unmarshal number"},
		},
		{
			name:   "not an object",
			in:     `{"Type":"a"} ["x"]`,
			want:   []event{{Type: "a"}},
			errHas: []string{"cannot unmarshal array"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for how, r := range map[string]io.Reader{
				"whole":    strings.NewReader(tt.in),
				"one byte": iotest.OneByteReader(strings.NewReader(tt.in)),
			} {
				var got []event
				var gotErr error
				n := 0
				for e, err := range stream.Decode[event](r) {
					n++
					if err != nil {
						gotErr = err
						if e != (event{}) {
							t.Errorf("%s: error yielded with value %+v, want the zero value", how, e)
						}
						continue
					}
					if gotErr != nil {
						t.Fatalf("%s: value after the error", how)
					}
					got = append(got, e)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("%s: (-want +got):\n%s", how, diff)
				}
				if len(tt.errHas) == 0 && tt.errIs == nil {
					if gotErr != nil {
						t.Errorf("%s: unexpected error %v", how, gotErr)
					}
					continue
				}
				if gotErr == nil {
					t.Fatalf("%s: no error, want one", how)
				}
				if tt.errIs != nil && !errors.Is(gotErr, tt.errIs) {
					t.Errorf("%s: error %v does not match %v", how, gotErr, tt.errIs)
				}
				for _, s := range tt.errHas {
					if !strings.Contains(gotErr.Error(), s) {
						t.Errorf("%s: error %q does not mention %q", how, gotErr, s)
					}
				}
				if !strings.HasPrefix(gotErr.Error(), "stream: ") {
					t.Errorf("%s: error %q lacks the stream: prefix", how, gotErr)
				}
			}
		})
	}
}

func TestDecodeReaderError(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader(`{"Type":"a"}`+"\n"), iotest.ErrReader(boom))
	var got []event
	var gotErr error
	for e, err := range stream.Decode[event](r) {
		if err != nil {
			gotErr = err
			break
		}
		got = append(got, e)
	}
	if !errors.Is(gotErr, boom) || len(got) != 1 {
		t.Errorf("got %v, %v; want one event, then an error wrapping %v", got, gotErr, boom)
	}
}

// countingReader counts Read calls.
type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

func TestDecodeStopsEarly(t *testing.T) {
	t.Parallel()
	// An endless stream: stopping must not read on.
	r := &countingReader{r: infiniteEvents{}}
	n := 0
	for _, err := range stream.Decode[event](r) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 3 {
			break
		}
	}
	reads := r.reads
	if reads == 0 || reads > 2 {
		t.Errorf("%d reads for three small events", reads)
	}
	// The sequence holds no state: ranging again starts from where r is.
	for e, err := range stream.Decode[event](r) {
		if err != nil || e.Type != "container" {
			t.Errorf("second range: %+v, %v", e, err)
		}
		break
	}
}

// infiniteEvents yields newline-delimited events forever.
type infiniteEvents struct{}

func (infiniteEvents) Read(p []byte) (int, error) {
	const line = `{"Type":"container","Action":"start"}` + "\n"
	n := 0
	for n+len(line) <= len(p) {
		n += copy(p[n:], line)
	}
	if n == 0 {
		n = copy(p, line)
	}
	return n, nil
}

func TestDecodeRawMessage(t *testing.T) {
	t.Parallel()
	var got []string
	for m, err := range stream.Decode[json.RawMessage](strings.NewReader(`{"a":1} [2] "three"`)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(m))
	}
	if diff := cmp.Diff([]string{`{"a":1}`, `[2]`, `"three"`}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecodeAllocs(t *testing.T) {
	// Not parallel: testing.AllocsPerRun. Decode should allocate what the
	// hand-written json.Decoder loop does, or less.
	data := strings.Repeat(`{"Type":"container","Action":"start"}`+"\n", 1000)
	ours := testing.AllocsPerRun(10, func() {
		for _, err := range stream.Decode[event](strings.NewReader(data)) {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	theirs := testing.AllocsPerRun(10, func() {
		dec := json.NewDecoder(strings.NewReader(data))
		for {
			var e event
			if err := dec.Decode(&e); err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(err)
			}
		}
	})
	if ours > theirs {
		t.Errorf("Decode: %v allocations for 1000 events, json.Decoder loop: %v", ours, theirs)
	}
}
