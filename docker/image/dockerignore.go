package image

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ReadDockerignore reads a .dockerignore file into its patterns the way the
// docker CLI does: lines starting with "#" are comments, blank lines are
// skipped, surrounding space is trimmed (also after a leading "!"), each
// pattern is cleaned like a path (path.Clean: "./a/" is "a", "a/../b" is
// "b") and loses a leading "/" (patterns are relative to the context's
// root). A UTF-8 byte order mark at the start is ignored. Lines longer than
// 64 KiB are an error.
func ReadDockerignore(r io.Reader) ([]string, error) {
	var patterns []string
	sc := bufio.NewScanner(r)
	first := true
	for sc.Scan() {
		line := sc.Bytes()
		if first {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			first = false
		}
		p := string(line)
		if strings.HasPrefix(p, "#") {
			continue
		}
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		invert := p[0] == '!'
		if invert {
			p = strings.TrimSpace(p[1:])
		}
		if p != "" {
			p = path.Clean(p)
			if len(p) > 1 && p[0] == '/' {
				p = p[1:]
			}
		}
		if invert {
			p = "!" + p
		}
		patterns = append(patterns, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("docker: reading .dockerignore: %w", err)
	}
	return patterns, nil
}

// IgnoreMatcher decides which paths of a build context a list of
// .dockerignore patterns excludes, with the docker CLI's rules:
//
//   - paths and patterns are slash-separated and relative to the context's
//     root;
//   - "*" matches any run of characters but "/", "?" any one character but
//     "/", "[...]" a character class, and "\" escapes the next character;
//   - "**" matches any number of directories, zero included ("**/*.go",
//     "a/**/b"); a pattern ending in "**" matches everything below its
//     prefix;
//   - a pattern that matches a directory excludes everything below it;
//   - patterns apply in order and the last one that matches decides: a
//     pattern starting with "!" re-includes what earlier patterns excluded
//     ("*.md" then "!README.md").
//
// An IgnoreMatcher is safe for concurrent use.
type IgnoreMatcher struct {
	patterns   []*ignorePattern
	exclusions bool // some pattern starts with "!"
}

// matchKind is how a pattern is matched; simple patterns avoid regexps.
type matchKind int

const (
	exactMatch  matchKind = iota // the path equals the pattern
	prefixMatch                  // "prefix**": the path starts with prefix
	suffixMatch                  // "**suffix": the path ends with suffix
	regexpMatch                  // anything else
)

type ignorePattern struct {
	text      string // cleaned, without the "!"
	exclusion bool   // the pattern started with "!"
	kind      matchKind
	re        *regexp.Regexp
}

// NewIgnoreMatcher compiles patterns (as ReadDockerignore returns them).
// Empty patterns are skipped; a lone "!" and malformed patterns (an
// unclosed "[", a bad escape) are errors.
func NewIgnoreMatcher(patterns []string) (*IgnoreMatcher, error) {
	m := &IgnoreMatcher{}
	for _, raw := range patterns {
		p := strings.TrimSpace(raw)
		if p == "" {
			continue
		}
		p = path.Clean(p)
		ip := &ignorePattern{}
		if p[0] == '!' {
			if len(p) == 1 {
				return nil, errors.New(`docker: .dockerignore: illegal exclusion pattern "!"`)
			}
			ip.exclusion, m.exclusions = true, true
			p = p[1:]
		}
		// path.Match reports malformed classes and escapes the way the
		// CLI's syntax check does.
		if _, err := path.Match(p, "."); err != nil {
			return nil, fmt.Errorf("docker: .dockerignore: pattern %q: %w", raw, err)
		}
		ip.text = p
		if err := ip.compile(); err != nil {
			return nil, fmt.Errorf("docker: .dockerignore: pattern %q: %w", raw, err)
		}
		m.patterns = append(m.patterns, ip)
	}
	return m, nil
}

// escaped lists the characters that mean something in a regexp but not in
// a pattern.
const escaped = `.+()|{}$`

// compile turns the pattern into a matcher: a plain comparison when it has
// no wildcards, else a regexp anchored at both ends.
func (p *ignorePattern) compile() error {
	var re strings.Builder
	re.WriteByte('^')
	p.kind = exactMatch
	s := p.text
	for i := 0; s != ""; i++ {
		ch, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case ch == '*' && strings.HasPrefix(s, "*"):
			s = strings.TrimPrefix(s[1:], "/") // "**/" is "**"
			if s == "" {
				if p.kind == exactMatch {
					p.kind = prefixMatch
				} else {
					re.WriteString(".*")
					p.kind = regexpMatch
				}
			} else {
				re.WriteString("(.*/)?")
				p.kind = regexpMatch
			}
			if i == 0 {
				p.kind = suffixMatch
			}
		case ch == '*':
			re.WriteString("[^/]*")
			p.kind = regexpMatch
		case ch == '?':
			re.WriteString("[^/]")
			p.kind = regexpMatch
		case strings.ContainsRune(escaped, ch):
			re.WriteByte('\\')
			re.WriteRune(ch)
		case ch == '\\':
			if s == "" {
				re.WriteByte('\\')
				break
			}
			next, n := utf8.DecodeRuneInString(s)
			s = s[n:]
			re.WriteByte('\\')
			re.WriteRune(next)
			p.kind = regexpMatch
		case ch == '[' || ch == ']':
			re.WriteRune(ch)
			p.kind = regexpMatch
		default:
			re.WriteRune(ch)
		}
	}
	if p.kind != regexpMatch {
		return nil
	}
	re.WriteByte('$')
	compiled, err := regexp.Compile(re.String())
	if err != nil {
		return path.ErrBadPattern
	}
	p.re = compiled
	return nil
}

// match reports whether p matches name itself (not its parents).
func (p *ignorePattern) match(name string) bool {
	switch p.kind {
	case exactMatch:
		return name == p.text
	case prefixMatch:
		return strings.HasPrefix(name, p.text[:len(p.text)-2])
	case suffixMatch:
		suffix := p.text[2:]
		if strings.HasSuffix(name, suffix) {
			return true
		}
		return suffix[0] == '/' && name == suffix[1:] // "**/a" matches "a"
	default:
		return p.re.MatchString(name)
	}
}

// Excluded reports whether the patterns exclude name, a slash-separated
// path relative to the context's root such as "src/main.go", from a build
// context. A path below an excluded directory is excluded unless a later "!"
// pattern matches it; as in the CLI, that "!" pattern must start with the
// directory's path ("!logs/keep"), else the directory is not looked into.
func (m *IgnoreMatcher) Excluded(name string) bool {
	name = strings.TrimPrefix(path.Clean(name), "/")
	if name == "." || name == "" {
		return false
	}
	var parent []bool
	for i := 0; ; {
		j := strings.IndexByte(name[i:], '/')
		if j < 0 {
			excluded, _ := m.matchChild(name, parent)
			return excluded
		}
		dir := name[:i+j]
		var excluded bool
		excluded, parent = m.matchChild(dir, parent)
		if excluded && !m.mayReinclude(dir) {
			return true
		}
		i += j + 1
	}
}

// matchChild decides name given which patterns matched its parent
// directory (nil for a top-level name), and returns which patterns match
// name itself or a parent, for name's children. This is the order in which
// the CLI evaluates a context while walking it: a pattern that an earlier
// decision made irrelevant for a directory is not carried to its children.
func (m *IgnoreMatcher) matchChild(name string, parent []bool) (bool, []bool) {
	matched := false
	info := make([]bool, len(m.patterns))
	for i, p := range m.patterns {
		match := parent != nil && parent[i]
		if !match {
			if p.exclusion != matched {
				continue
			}
			match = p.match(name)
			if !match && parent == nil {
				match = p.matchParents(name)
			}
		}
		info[i] = match
		if match {
			matched = !p.exclusion
		}
	}
	return matched, info
}

// matchParents reports whether p matches one of name's parent directories.
func (p *ignorePattern) matchParents(name string) bool {
	for i := 0; ; {
		j := strings.IndexByte(name[i:], '/')
		if j < 0 {
			return false
		}
		if p.match(name[:i+j]) {
			return true
		}
		i += j + 1
	}
}

// matchesOrParentMatches decides name alone, every pattern checked against
// name and its parents; the CLI uses it to decide whether the Dockerfile and
// .dockerignore need re-including.
func (m *IgnoreMatcher) matchesOrParentMatches(name string) bool {
	matched := false
	for _, p := range m.patterns {
		if p.exclusion != matched {
			continue
		}
		if p.match(name) || p.matchParents(name) {
			matched = !p.exclusion
		}
	}
	return matched
}

// mayReinclude reports whether a "!" pattern could re-include something
// below the directory dir: the CLI walks into an excluded directory only
// then.
func (m *IgnoreMatcher) mayReinclude(dir string) bool {
	if !m.exclusions {
		return false
	}
	prefix := dir + "/"
	for _, p := range m.patterns {
		if p.exclusion && strings.HasPrefix(p.text+"/", prefix) {
			return true
		}
	}
	return false
}
