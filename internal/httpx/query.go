package httpx

import (
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
)

// Query accumulates query parameters in the Engine's dialect. The zero value
// is ready to use; a nil *Query is not.
type Query struct {
	v url.Values
}

// Values returns the encoded parameters (nil when none were set).
func (q *Query) Values() url.Values { return q.v }

func (q *Query) add(key, value string) {
	if q.v == nil {
		q.v = url.Values{}
	}
	q.v.Add(key, value)
}

// Set replaces key with one value.
func (q *Query) Set(key, value string) {
	if q.v == nil {
		q.v = url.Values{}
	}
	q.v.Set(key, value)
}

// String sets key to value unless value is empty.
func (q *Query) String(key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}

// Strings adds key once per value (the API's repeated-key arrays, e.g. type=image&type=volume).
func (q *Query) Strings(key string, values ...string) {
	for _, v := range values {
		q.add(key, v)
	}
}

// Bool sets key to "1" or "0". The Engine parses booleans with strconv-like
// rules that accept both; "1"/"0" are what the docker CLI sends.
func (q *Query) Bool(key string, value bool) {
	if value {
		q.Set(key, "1")
	} else {
		q.Set(key, "0")
	}
}

// Flag sets key to "1" when value is true and leaves it unset otherwise, so
// the daemon's default applies.
func (q *Query) Flag(key string, value bool) {
	if value {
		q.Set(key, "1")
	}
}

// Int sets key to the decimal form of value.
func (q *Query) Int(key string, value int64) {
	q.Set(key, strconv.FormatInt(value, 10))
}

// JSON sets key to the JSON encoding of value (used for buildargs, labels,
// cachefrom and similar parameters that the Engine reads as JSON).
func (q *Query) JSON(key string, value any) error {
	b, err := json.Marshal(value)
	if err != nil {
		return err
	}
	q.Set(key, string(b))
	return nil
}

// Filters sets "filters" to the Engine's JSON form of f: an object mapping
// each key to a list of values. Keys are written in sorted order, so the
// encoding is stable. Nothing is set when f is empty.
func (q *Query) Filters(f map[string][]string) {
	if len(f) == 0 {
		return
	}
	q.Set("filters", EncodeFilters(f))
}

// EncodeFilters returns the JSON object {"key":["v1","v2"],...} with keys
// sorted. Empty value lists are kept as [] because some filters (dangling,
// for one) are meaningful by key alone only when they carry a value; callers
// decide what they put in.
func EncodeFilters(f map[string][]string) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	buf := make([]byte, 0, 64)
	buf = append(buf, '{')
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, k)
		buf = append(buf, ':', '[')
		for j, v := range f[k] {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, v)
		}
		buf = append(buf, ']')
	}
	buf = append(buf, '}')
	return string(buf)
}

func appendJSONString(buf []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return append(buf, b...)
}
