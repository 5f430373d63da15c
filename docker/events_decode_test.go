package docker

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/stream"
)

// eventResults collects what a decoder yields: the events, and the error
// that ended it ("" if none).
type eventResults struct {
	Events []Event
	Err    string
}

func collectEvents(seq func(func(Event, error) bool)) eventResults {
	var r eventResults
	for ev, err := range seq {
		if err != nil {
			r.Err = err.Error()
			break
		}
		r.Events = append(r.Events, ev)
	}
	return r
}

// engineEvent is a line as Engine 20.10 sends it.
const engineEvent = `{"status":"create","id":"ffc98a9f","from":"berth-bench:1","Type":"container","Action":"create","Actor":{"ID":"ffc98a9f","Attributes":{"berth.test":"1","image":"berth-bench:1","name":"awesome_cerf"}},"scope":"local","time":1795373339,"timeNano":1795373339031480322}`

// eventBodies are streams that decodeEvents must decode exactly as
// stream.Decode does: events, errors and error offsets.
var eventBodies = map[string]string{
	"empty":               "",
	"engine lines":        engineEvent + "\n" + engineEvent + "\n",
	"no final newline":    engineEvent + "\n" + `{"Type":"image","Action":"pull","Actor":{"ID":"alpine:3"},"time":1700000001}`,
	"blank lines":         "\n\n" + engineEvent + "\r\n\n  \t\n" + engineEvent,
	"two on a line":       engineEvent + engineEvent + "\n" + engineEvent,
	"across lines":        "{\n  \"Type\": \"network\",\n  \"Action\": \"connect\"\n}\n" + engineEvent,
	"escapes":             `{"Type":"container","Action":"exec_start: sh -c \"echo \\u00e9\"","Actor":{"ID":"a\/b","Attributes":{"k\n":"v\t"}}}` + "\n",
	"non-ASCII":           `{"Type":"container","Actor":{"Attributes":{"name":"café","x":"` + "\xff" + `"}}}` + "\n",
	"folded keys":         `{"type":"a","ACTION":"b","actor":{"id":"c","attributes":{"K":"v"}},"Scope":"s","TIME":1,"timenano":2,"STATUS":"d","Id":"e","From":"f"}` + "\n",
	"exact wins per key":  `{"type":"a","Type":"b"}` + "\n" + `{"Type":"b","type":"a"}` + "\n",
	"nulls":               `{"Type":null,"Actor":null,"time":null}` + "\n" + `{"Actor":{"ID":null,"Attributes":null}}` + "\n" + `{"Actor":{"Attributes":{"a":null}}}` + "\n",
	"null value":          "null\n" + engineEvent,
	"unknown fields":      `{"x":{"y":[1,-2,true,false,null,"s",{"z":[]}]},"Type":"t","w":[]}` + "\n",
	"unknown float":       `{"x":1.5e3,"Type":"t"}` + "\n",
	"duplicate actor":     `{"Actor":{"ID":"a","Attributes":{"x":"1"}},"Actor":{"Attributes":{"y":"2"}}}` + "\n",
	"float time":          engineEvent + "\n" + `{"time":1.5}` + "\n",
	"negative time":       `{"time":-12,"timeNano":-0}` + "\n",
	"huge time":           `{"time":99999999999999999999}` + "\n",
	"leading zero":        `{"time":012}` + "\n",
	"wrong type":          engineEvent + "\n" + `{"Type":1}` + "\n" + engineEvent,
	"wrong actor type":    `{"Actor":"x"}` + "\n",
	"attributes not map":  `{"Actor":{"Attributes":["x"]}}` + "\n",
	"malformed":           engineEvent + "\n" + `{"Type":"container",}` + "\n",
	"garbage":             engineEvent + "\n\n  xyz\n",
	"cut short":           engineEvent + "\n" + `{"Type":"conta`,
	"vertical tab":        engineEvent + "\v\n",
	"trailing comma line": engineEvent + ",\n",
	"long line":           `{"Type":"container","Actor":{"Attributes":{"big":"` + strings.Repeat("x", 100<<10) + `"}}}` + "\n" + engineEvent,
	"huge value":          engineEvent + "\n" + `{"Type":"container","Actor":{"Attributes":{"big":"` + strings.Repeat("y", 3<<20) + `"}}}`,
	"huge value, newline": `{"Type":"container","Actor":{"Attributes":{"big":"` + strings.Repeat("y", 2<<20) + `"}}}` + "\n" + engineEvent,
	"deep unknown":        `{"x":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `,"Type":"t"}` + "\n",
}

func TestDecodeEventsMatchesStreamDecode(t *testing.T) {
	t.Parallel()
	for name, body := range eventBodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := collectEvents(stream.Decode[Event](strings.NewReader(body)))
			got := collectEvents(decodeEvents(strings.NewReader(body)))
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("decodeEvents differs from stream.Decode (-want +got)\n%s", d)
			}
		})
	}
}

// TestDecodeEventsReadError: an error from the body ends the stream as
// stream.Decode ends it.
func TestDecodeEventsReadError(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"", engineEvent + "\n", engineEvent + "\n" + `{"Type":"x"`} {
		t.Run(fmt.Sprintf("%d bytes", len(body)), func(t *testing.T) {
			t.Parallel()
			failing := func() *strings.Reader { return strings.NewReader(body) }
			want := collectEvents(stream.Decode[Event](readThenFail(failing())))
			got := collectEvents(decodeEvents(readThenFail(failing())))
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
			if got.Err == "" {
				t.Error("no error")
			}
		})
	}
}

// readThenFail returns r's bytes, then an error instead of io.EOF.
func readThenFail(r *strings.Reader) *failAfter { return &failAfter{r: r} }

type failAfter struct{ r *strings.Reader }

func (f *failAfter) Read(p []byte) (int, error) {
	if f.r.Len() == 0 {
		return 0, fmt.Errorf("connection reset")
	}
	return f.r.Read(p)
}

// TestDecodeEventsBreak: stopping the loop stops decoding.
func TestDecodeEventsBreak(t *testing.T) {
	t.Parallel()
	n := 0
	for range decodeEvents(strings.NewReader(strings.Repeat(engineEvent+"\n", 10))) {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("yielded %d events after break at 3", n)
	}
}

// FuzzDecodeEvents checks the hand parser against encoding/json on any
// input: the same events, the same error at the same offset.
func FuzzDecodeEvents(f *testing.F) {
	for _, body := range eventBodies {
		if len(body) < 4<<10 {
			f.Add(body)
		}
	}
	f.Fuzz(func(t *testing.T, body string) {
		want := collectEvents(stream.Decode[Event](strings.NewReader(body)))
		got := collectEvents(decodeEvents(strings.NewReader(body)))
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("decodeEvents differs from stream.Decode on %q (-want +got)\n%s", body, d)
		}
	})
}

func BenchmarkDecodeEvents(b *testing.B) {
	body := strings.Repeat(engineEvent+"\n", 1000)
	for _, impl := range []struct {
		name   string
		decode func(r *strings.Reader) func(func(Event, error) bool)
	}{
		{"hand", func(r *strings.Reader) func(func(Event, error) bool) { return decodeEvents(r) }},
		{"encoding-json", func(r *strings.Reader) func(func(Event, error) bool) { return stream.Decode[Event](r) }},
	} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				for _, err := range impl.decode(strings.NewReader(body)) {
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
