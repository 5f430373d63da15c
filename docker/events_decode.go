package docker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
)

// decodeEvents returns the events of an /events response body. The Engine
// writes one JSON object a line; for that form each object is parsed by
// hand (parseEvent), which costs a fraction of encoding/json's reflection:
// one string allocation per event, whose substrings become the fields, plus
// the attributes map. The result is the same as encoding/json's: the first
// value the hand parser does not accept (an escape, a non-ASCII byte, a
// float, a type mismatch, an array...) hands itself and the rest of the
// stream to encoding/json, whose results and errors (with the same offsets
// as stream.Decode) are yielded from then on.
//
// Like stream.Decode, it yields an object as soon as its closing brace has
// arrived, newline or not, and reads no further before the loop asks for
// the next one.
func decodeEvents(r io.Reader) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		d := eventReader{r: r, buf: make([]byte, 0, 32<<10)}
		var end int64 // where the last value ended (stream.Decode's error offsets count from there)
		for {
			d.skipSpace()
			data := d.buf[d.pos:]
			if len(data) == 0 {
				if d.err != nil {
					if d.err != io.EOF {
						yield(Event{}, fmt.Errorf("stream: decoding JSON value at offset %d: %w", end, d.err))
					}
					return
				}
				d.fill()
				continue
			}
			n := bytes.IndexByte(data, '\n')
			switch {
			case n >= 0: // the usual case: a whole line
			case d.err != nil: // the last line
				n = len(data)
			default:
				if n = valueEnd(data); n < 0 { // not complete yet
					if len(data) >= maxHandValue {
						// Unlike encoding/json, finding the end scans the
						// buffer from its start after every read: past this
						// size, let encoding/json go on.
						decodeRest(d.rest(), d.offset, end, yield)
						return
					}
					d.fill()
					continue
				}
			}
			_, to := jsonSpan(data[:n])
			ev, ok := parseEvent(data[:to])
			if !ok {
				decodeRest(d.rest(), d.offset, end, yield)
				return
			}
			if !yield(ev, nil) {
				return
			}
			end = d.offset + int64(to)
			d.consume(n)
		}
	}
}

// maxHandValue is the size of a value past which decodeEvents stops
// waiting for its end itself and hands the stream to encoding/json. Events
// are well under a kilobyte.
const maxHandValue = 1 << 20

// eventReader is decodeEvents' buffer over the body.
type eventReader struct {
	r      io.Reader
	buf    []byte // buf[pos:] is read and not consumed
	pos    int
	offset int64 // the body's offset of buf[pos]
	err    error // the error that ended reading (io.EOF at the end)
}

func (d *eventReader) consume(n int) {
	d.pos += n
	d.offset += int64(n)
}

func (d *eventReader) skipSpace() {
	n := 0
	for _, c := range d.buf[d.pos:] {
		if !isJSONSpace(c) {
			break
		}
		n++
	}
	d.consume(n)
}

// fill reads once more into the buffer, growing it when it is full.
func (d *eventReader) fill() {
	if d.pos > 0 {
		n := copy(d.buf, d.buf[d.pos:])
		d.buf, d.pos = d.buf[:n], 0
	}
	if len(d.buf) == cap(d.buf) {
		d.buf = slices.Grow(d.buf, cap(d.buf))
	}
	n, err := d.r.Read(d.buf[len(d.buf):cap(d.buf)])
	d.buf = d.buf[:len(d.buf)+n]
	if err != nil {
		d.err = err
	} else if n == 0 {
		d.err = io.ErrNoProgress
	}
}

// rest returns what is left of the body: the unconsumed buffer, then the
// body itself (or its error).
func (d *eventReader) rest() io.Reader {
	buffered := bytes.NewReader(bytes.Clone(d.buf[d.pos:]))
	switch d.err {
	case nil:
		return io.MultiReader(buffered, d.r)
	case io.EOF:
		return buffered
	default:
		return io.MultiReader(buffered, errReader{d.err})
	}
}

// valueEnd returns the length of the JSON object data starts with, or -1
// when it has not all arrived. It only follows strings and nesting: the
// parser checks the rest. Anything but an object counts as complete at
// once (length 1), to be left to the parser and encoding/json.
func valueEnd(data []byte) int {
	if data[0] != '{' {
		return 1
	}
	depth, inString := 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// jsonSpan returns where line's content starts and ends once JSON's
// whitespace (space, tab, CR, LF: nothing else) is trimmed.
func jsonSpan(line []byte) (from, to int) {
	to = len(line)
	for from < to && isJSONSpace(line[from]) {
		from++
	}
	for to > from && isJSONSpace(line[to-1]) {
		to--
	}
	return from, to
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// errReader returns err from every Read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// decodeRest decodes r with encoding/json, as stream.Decode does, where r
// starts at byte offset base of the body and the last value decoded before
// ended at offset end; errors name offsets in the body, as stream.Decode's.
func decodeRest(r io.Reader, base, end int64, yield func(Event, error) bool) {
	dec := json.NewDecoder(r)
	for first := true; ; first = false {
		var ev Event
		start := base + dec.InputOffset()
		if first {
			start = end
		}
		err := dec.Decode(&ev)
		if err == io.EOF {
			return
		}
		if err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				err = fmt.Errorf("stream: malformed JSON at offset %d: %w", base+max(se.Offset-1, 0), err)
			} else {
				err = fmt.Errorf("stream: decoding JSON value at offset %d: %w", start, err)
			}
			yield(Event{}, err)
			return
		}
		if !yield(ev, nil) {
			return
		}
	}
}

// parseEvent parses one JSON object holding an event, with nothing around
// it but whitespace. ok is false when the line is not in the simple form it
// handles (see decodeEvents); encoding/json then decides.
func parseEvent(line []byte) (ev Event, ok bool) {
	p := eventParser{s: string(line)}
	if !p.object(func(key string) bool { return p.eventField(&ev, key) }) {
		return Event{}, false
	}
	p.ws()
	return ev, p.i == len(p.s)
}

// eventParser is a cursor over one line.
type eventParser struct {
	s     string
	i     int
	depth int // nesting of skipped values
}

func (p *eventParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// next skips whitespace and reports whether the next byte is c, consuming
// it if so.
func (p *eventParser) next(c byte) bool {
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// null consumes a null literal if one comes next.
func (p *eventParser) null() bool {
	p.ws()
	if strings.HasPrefix(p.s[p.i:], "null") {
		p.i += 4
		return true
	}
	return false
}

// object parses {"key": value, ...}, calling field for each key with the
// cursor before the value; field must consume the value.
func (p *eventParser) object(field func(key string) bool) bool {
	if !p.next('{') {
		return false
	}
	if p.next('}') {
		return true
	}
	for {
		key, ok := p.plainString()
		if !ok || !p.next(':') || !field(key) {
			return false
		}
		if p.next(',') {
			continue
		}
		return p.next('}')
	}
}

// plainString parses a string without escapes or non-ASCII bytes and
// returns it as a substring of the line (no allocation).
func (p *eventParser) plainString() (string, bool) {
	if !p.next('"') {
		return "", false
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return p.s[start : p.i-1], true
		case c < 0x20 || c == '\\' || c >= 0x80:
			return "", false
		}
		p.i++
	}
	return "", false
}

// str parses a string value (or null, which leaves *dst alone, as
// encoding/json does).
func (p *eventParser) str(dst *string) bool {
	if p.null() {
		return true
	}
	s, ok := p.plainString()
	if ok {
		*dst = s
	}
	return ok
}

// int parses an integer value (or null). Anything else (a fraction, an
// exponent, a value out of range) is left to encoding/json.
func (p *eventParser) int(dst *int64) bool {
	if p.null() {
		return true
	}
	start := p.i
	if p.i < len(p.s) && p.s[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	if p.i == digits || (p.s[digits] == '0' && p.i-digits > 1) {
		return false
	}
	if p.i < len(p.s) {
		if c := p.s[p.i]; c == '.' || c == 'e' || c == 'E' {
			return false
		}
	}
	n, err := strconv.ParseInt(p.s[start:p.i], 10, 64)
	if err != nil {
		return false
	}
	*dst = n
	return true
}

// fieldName returns the field name that key stands for among names:
// encoding/json takes an exact match, or else one that differs in case.
func fieldName(key string, names ...string) string {
	for _, n := range names {
		if key == n {
			return n
		}
	}
	for _, n := range names {
		if strings.EqualFold(key, n) {
			return n
		}
	}
	return ""
}

func (p *eventParser) eventField(ev *Event, key string) bool {
	switch fieldName(key, "Type", "Action", "Actor", "scope", "time", "timeNano", "status", "id", "from") {
	case "Type":
		return p.str(&ev.Type)
	case "Action":
		return p.str(&ev.Action)
	case "Actor":
		if p.null() {
			return true
		}
		return p.object(func(key string) bool { return p.actorField(&ev.Actor, key) })
	case "scope":
		return p.str(&ev.Scope)
	case "time":
		return p.int(&ev.Time)
	case "timeNano":
		return p.int(&ev.TimeNano)
	case "status":
		return p.str(&ev.Status)
	case "id":
		return p.str(&ev.ID)
	case "from":
		return p.str(&ev.From)
	}
	return p.skip()
}

func (p *eventParser) actorField(a *EventActor, key string) bool {
	switch fieldName(key, "ID", "Attributes") {
	case "ID":
		return p.str(&a.ID)
	case "Attributes":
		if p.null() {
			a.Attributes = nil
			return true
		}
		if a.Attributes == nil {
			a.Attributes = make(map[string]string, 8)
		}
		return p.object(func(key string) bool {
			var v string
			if p.null() {
				// encoding/json stores the zero value for a null element.
				a.Attributes[key] = ""
				return true
			}
			if !p.str(&v) {
				return false
			}
			a.Attributes[key] = v
			return true
		})
	}
	return p.skip()
}

// skip consumes a value of a field Event does not have. It accepts only
// plain strings, integers, literals and nested arrays and objects of those
// (at most 32 deep); anything else goes to encoding/json.
func (p *eventParser) skip() bool {
	p.ws()
	if p.i >= len(p.s) {
		return false
	}
	switch c := p.s[p.i]; {
	case c == '"':
		_, ok := p.plainString()
		return ok
	case c == '{':
		if p.depth >= 32 {
			return false
		}
		p.depth++
		ok := p.object(func(string) bool { return p.skip() })
		p.depth--
		return ok
	case c == '[':
		if p.depth >= 32 {
			return false
		}
		p.depth++
		defer func() { p.depth-- }()
		p.i++
		if p.next(']') {
			return true
		}
		for {
			if !p.skip() {
				return false
			}
			if p.next(',') {
				continue
			}
			return p.next(']')
		}
	case c == '-' || (c >= '0' && c <= '9'):
		var n int64
		return p.int(&n)
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if strings.HasPrefix(p.s[p.i:], lit) {
			p.i += len(lit)
			return true
		}
	}
	return false
}
