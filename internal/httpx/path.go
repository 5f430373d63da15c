package httpx

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Path builds a request path from a pattern whose "{}" placeholders are
// replaced, in order, by the escaped segments. Every segment comes from a
// caller (an id, a name, a reference), so each one is checked and escaped:
//
//   - an empty segment is rejected, so "/containers/{}/json" can never become
//     "/containers//json" and reach another route;
//   - a segment that is, or contains a path element that is, "." or ".." is
//     rejected, because the Engine's router cleans such paths and would serve
//     a different endpoint (an id of "../../images/json" must never reach
//     /images/json);
//   - everything else is escaped with url.PathEscape, so "/" inside an id is
//     sent as %2F.
//
// what names the kind of segment ("container id", "image name") for errors.
func Path(pattern string, what string, segments ...string) (string, error) {
	var b strings.Builder
	b.Grow(len(pattern) + 16)
	rest := pattern
	for _, seg := range segments {
		at := strings.Index(rest, "{}")
		if at < 0 {
			return "", fmt.Errorf("httpx: pattern %q has fewer placeholders than %d segments", pattern, len(segments))
		}
		if err := CheckSegment(what, seg); err != nil {
			return "", err
		}
		b.WriteString(rest[:at])
		b.WriteString(EscapeSegment(seg))
		rest = rest[at+2:]
	}
	if strings.Contains(rest, "{}") {
		return "", fmt.Errorf("httpx: pattern %q has more placeholders than %d segments", pattern, len(segments))
	}
	b.WriteString(rest)
	return b.String(), nil
}

// ErrEmptySegment is wrapped by the error Path returns for an empty id or name.
var ErrEmptySegment = errors.New("empty")

// CheckSegment reports whether seg may be used as one caller-supplied path
// segment. See Path for the rules.
func CheckSegment(what, seg string) error {
	if seg == "" {
		return fmt.Errorf("docker: %s is %w", what, ErrEmptySegment)
	}
	for elem := range strings.SplitSeq(seg, "/") {
		if elem == "." || elem == ".." {
			return fmt.Errorf("docker: invalid %s %q: it contains a %q path element", what, seg, elem)
		}
	}
	if strings.ContainsAny(seg, "\x00\r\n") {
		return fmt.Errorf("docker: invalid %s %q: it contains a control character", what, seg)
	}
	return nil
}

// EscapeSegment escapes one path segment. Unlike url.PathEscape alone, it
// also escapes the dots of a segment made only of dots; CheckSegment already
// rejects those, so this is a second line of defence.
func EscapeSegment(seg string) string {
	if strings.Trim(seg, ".") == "" {
		return strings.Repeat("%2E", len(seg))
	}
	return url.PathEscape(seg)
}
