package httpx

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern string
		segs    []string
		want    string
		wantErr string
	}{
		{"/containers/{}/json", []string{"abc"}, "/containers/abc/json", ""},
		{"/images/{}/json", []string{"registry.local:5000/app:1.4"}, "/images/registry.local:5000%2Fapp:1.4/json", ""},
		{"/containers/{}/json", []string{"a b?c#d%e"}, "/containers/a%20b%3Fc%23d%25e/json", ""},
		{"/plugins/{}/set", []string{"vieux/sshfs:latest"}, "/plugins/vieux%2Fsshfs:latest/set", ""},
		{"/networks/{}/connect", []string{""}, "", "empty"},
		{"/containers/{}/json", []string{"../../images/json"}, "", `".." path element`},
		{"/containers/{}/json", []string{".."}, "", `".." path element`},
		{"/containers/{}/json", []string{"."}, "", `"." path element`},
		{"/containers/{}/json", []string{"a/./b"}, "", `"." path element`},
		{"/containers/{}/json", []string{"a\nb"}, "", "control character"},
		{"/containers/{}/json", []string{"a", "b"}, "", "fewer placeholders"},
		{"/containers/{}/{}", []string{"a"}, "", "more placeholders"},
	} {
		got, err := Path(tc.pattern, "id", tc.segs...)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Path(%q, %q) = %q, %v; want error containing %q", tc.pattern, tc.segs, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Path(%q, %q) = %q, %v; want %q", tc.pattern, tc.segs, got, err, tc.want)
		}
	}
	if _, err := Path("/x/{}", "container id", ""); !errors.Is(err, ErrEmptySegment) || !strings.Contains(err.Error(), "container id") {
		t.Errorf("empty segment error = %v", err)
	}
}

// FuzzPath checks that no segment can escape its place: whatever the input,
// a path Path accepts decodes back to exactly the pattern around the segment,
// and the decoded segment has no "." or ".." element a router would clean.
func FuzzPath(f *testing.F) {
	for _, s := range []string{"abc", "../../images/json", "a/b", "%2e%2e", "..", "a\x00", "é/ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seg string) {
		p, err := Path("/containers/{}/json", "id", seg)
		if err != nil {
			return
		}
		if !strings.HasPrefix(p, "/containers/") || !strings.HasSuffix(p, "/json") {
			t.Fatalf("Path(%q) = %q", seg, p)
		}
		escaped := strings.TrimSuffix(strings.TrimPrefix(p, "/containers/"), "/json")
		if strings.Contains(escaped, "/") {
			t.Fatalf("Path(%q) = %q: a raw slash inside the segment", seg, p)
		}
		dec, err := url.PathUnescape(escaped)
		if err != nil || dec != seg {
			t.Fatalf("Path(%q) = %q: decodes to %q, %v", seg, p, dec, err)
		}
		for _, elem := range strings.Split(dec, "/") {
			if elem == "." || elem == ".." {
				t.Fatalf("Path(%q) accepted a %q element", seg, elem)
			}
		}
	})
}
