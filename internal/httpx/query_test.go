package httpx

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQuery(t *testing.T) {
	t.Parallel()
	var q Query
	if q.Values() != nil {
		t.Fatal("zero Query has values")
	}
	q.Flag("all", true)
	q.Flag("size", false)
	q.Bool("force", false)
	q.String("name", "web")
	q.String("empty", "")
	q.Int("limit", -1)
	q.Strings("type", "image", "volume")
	q.Filters(map[string][]string{"status": {"running", "paused"}, "label": {"a=b"}})
	q.Filters(nil)
	if err := q.JSON("buildargs", map[string]string{"K": "v"}); err != nil {
		t.Fatal(err)
	}
	want := "all=1&buildargs=%7B%22K%22%3A%22v%22%7D&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%2C%22status%22%3A%5B%22running%22%2C%22paused%22%5D%7D&force=0&limit=-1&name=web&type=image&type=volume"
	if d := cmp.Diff(want, q.Values().Encode()); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestEncodeFilters(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   map[string][]string
		want string
	}{
		{nil, "{}"},
		{map[string][]string{"dangling": {"true"}}, `{"dangling":["true"]}`},
		{map[string][]string{"b": {}, "a": {`q"uote`, "<html>"}}, `{"a":["q\"uote","\u003chtml\u003e"],"b":[]}`},
	} {
		if got := EncodeFilters(tc.in); got != tc.want {
			t.Errorf("EncodeFilters(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
