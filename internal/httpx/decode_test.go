package httpx

import (
	"strings"
	"testing"
	"testing/iotest"
)

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ body, want string }{
		{`{"message":"No such container: x"}`, "No such container: x"},
		{"  plain text error\n", "plain text error"},
		{`{"other":"field"}`, `{"other":"field"}`},
		{"", ""},
		{strings.Repeat("x", 500), strings.Repeat("x", 120) + "..."},
	} {
		if got := ErrorMessage(strings.NewReader(tc.body)); got != tc.want {
			t.Errorf("ErrorMessage(%.30q) = %q, want %q", tc.body, got, tc.want)
		}
	}
	// The body is read at most MaxErrorBody bytes deep.
	r := &countingReader{r: strings.NewReader(strings.Repeat("y", 10*MaxErrorBody))}
	ErrorMessage(r)
	if r.n > MaxErrorBody {
		t.Errorf("read %d bytes of an error body, cap is %d", r.n, MaxErrorBody)
	}
}

type countingReader struct {
	r interface{ Read([]byte) (int, error) }
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	var v struct{ A int }
	if err := DecodeJSON(strings.NewReader(`{"A":1,"Unknown":[1,2,3]}`), &v, "GET /x"); err != nil || v.A != 1 {
		t.Fatalf("v = %+v, err = %v", v, err)
	}
	err := DecodeJSON(iotest.HalfReader(strings.NewReader("<html><body>Bad Gateway</body></html>")), &v, "GET /x")
	if err == nil || !strings.Contains(err.Error(), "<html><body>Bad Gateway") || !strings.Contains(err.Error(), "GET /x") {
		t.Errorf("err = %v", err)
	}
	if err := DecodeJSON(strings.NewReader(""), &v, "GET /x"); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty body: err = %v", err)
	}
}
