package image

import (
	"errors"
	"strings"
)

// Docker Hub's names in references.
const (
	// DefaultDomain is the registry of references without one.
	DefaultDomain = "docker.io"
	// legacyDomain is another name of DefaultDomain.
	legacyDomain = "index.docker.io"
	// officialPrefix is the namespace of Docker Hub's official images.
	officialPrefix = "library/"
	// DefaultTag is the tag of references that have neither tag nor digest.
	DefaultTag = "latest"
	// maxNameLength bounds a repository name, domain included.
	maxNameLength = 255
	// maxTagLength bounds a tag.
	maxTagLength = 128
)

// ErrInvalidReference is matched (errors.Is) by every error ParseReference
// returns.
var ErrInvalidReference = errors.New("docker: invalid reference format")

// invalidFormat is the reason of a reference that does not follow the
// grammar.
const invalidFormat = "invalid reference format"

// ReferenceError reports a reference that does not parse, and why. It
// matches ErrInvalidReference.
type ReferenceError struct {
	Ref    string // the input
	Reason string // e.g. "repository name must be lowercase"
}

func (e *ReferenceError) Error() string {
	return "docker: invalid reference " + quote(e.Ref) + ": " + e.Reason
}

// Is reports whether target is ErrInvalidReference.
func (e *ReferenceError) Is(target error) bool { return target == ErrInvalidReference }

// quote quotes s for an error message, shortening a long input.
func quote(s string) string {
	const max = 300
	if len(s) > max {
		s = s[:max] + "..."
	}
	return `"` + strings.ToValidUTF8(strings.ReplaceAll(s, `"`, `\"`), "?") + `"`
}

// Reference is a parsed, normalised image reference: the repository name
// (Domain and Path) and an optional Tag and Digest. The zero value is not a
// valid reference.
type Reference struct {
	Domain string // registry host, with ":port" if any: "docker.io", "registry.local:5000", "[::1]:5000"
	Path   string // repository path in the registry: "library/alpine", "team/app"
	Tag    string // "3.20", or "" when absent
	Digest string // "sha256:..." or "" when absent
}

// ParseReference parses s the way the docker command line does and returns
// it normalised: a reference without a registry is on Docker Hub
// (DefaultDomain), and a Docker Hub name without a namespace is an official
// image ("alpine" is docker.io/library/alpine). No default tag is added; see
// WithDefaultTag. "index.docker.io" is spelled DefaultDomain.
//
// The first path element is the registry when it contains a "." or a ":",
// is "localhost", or has an upper-case letter. The repository path must be
// lower case, of components made of [a-z0-9] joined by ".", "_", "__" or
// dashes; a tag is up to 128 of [A-Za-z0-9_.-] not starting with "." or "-";
// a digest is "algorithm:hex", with sha256, sha384 and sha512 checked for
// their length. A 64-character hexadecimal string is refused (it is an image
// ID, not a name), and so is a name longer than 255 bytes.
//
// Errors are *ReferenceError values and match ErrInvalidReference; the
// reason is the CLI's ("invalid reference format", "repository name must be
// lowercase", ...).
func ParseReference(s string) (Reference, error) {
	fail := func(reason string) (Reference, error) {
		return Reference{}, &ReferenceError{Ref: s, Reason: reason}
	}
	if s == "" {
		return fail("repository name must have at least one component")
	}
	if len(s) == 64 && isHex(s) && strings.ToLower(s) == s {
		return fail("cannot specify 64-byte hexadecimal strings as a repository name")
	}
	domain, rest := splitDomain(s)
	remote := rest
	if i := strings.IndexByte(remote, ':'); i >= 0 {
		remote = remote[:i]
	}
	if strings.ToLower(remote) != remote {
		return fail("repository name (" + remote + ") must be lowercase")
	}
	name, digest, hasDigest := strings.Cut(rest, "@")
	path, tag, hasTag := strings.Cut(name, ":")
	if !validDomain(domain) || !validPath(path) || (hasTag && !validTag(tag)) {
		return fail(invalidFormat)
	}
	if len(domain)+1+len(path) > maxNameLength {
		return fail("repository name must not be more than 255 characters")
	}
	if hasDigest {
		if reason := checkDigest(digest); reason != "" {
			return fail(reason)
		}
	}
	return Reference{Domain: domain, Path: path, Tag: tag, Digest: digest}, nil
}

// NormalizeReference returns s parsed (see ParseReference) with the default
// tag added when it has neither tag nor digest, in full: "alpine" gives
// "docker.io/library/alpine:latest".
func NormalizeReference(s string) (string, error) {
	r, err := ParseReference(s)
	if err != nil {
		return "", err
	}
	return r.WithDefaultTag().String(), nil
}

// splitDomain splits the registry off s as the CLI does, normalising
// Docker Hub's names.
func splitDomain(s string) (domain, rest string) {
	i := strings.IndexByte(s, '/')
	if i < 0 || (!strings.ContainsAny(s[:i], ".:") && s[:i] != "localhost" && strings.ToLower(s[:i]) == s[:i]) {
		domain, rest = DefaultDomain, s
	} else {
		domain, rest = s[:i], s[i+1:]
	}
	if domain == legacyDomain {
		domain = DefaultDomain
	}
	if domain == DefaultDomain && !strings.Contains(rest, "/") {
		rest = officialPrefix + rest
	}
	return domain, rest
}

// Name returns the full repository name, "docker.io/library/alpine".
func (r Reference) Name() string { return r.Domain + "/" + r.Path }

// String returns the full reference: Name, then ":tag" and "@digest" when
// set.
func (r Reference) String() string { return r.Name() + r.suffix() }

// FamiliarName returns the repository name as the CLI shows it: without
// "docker.io/", and without "library/" for official images ("alpine").
func (r Reference) FamiliarName() string {
	if r.Domain != DefaultDomain {
		return r.Name()
	}
	if rest, ok := strings.CutPrefix(r.Path, officialPrefix); ok && !strings.Contains(rest, "/") {
		return rest
	}
	return r.Path
}

// Familiar returns the reference as the CLI shows it: FamiliarName with the
// tag and digest.
func (r Reference) Familiar() string { return r.FamiliarName() + r.suffix() }

// WithDefaultTag returns r with Tag set to DefaultTag when r has neither a
// tag nor a digest.
func (r Reference) WithDefaultTag() Reference {
	if r.Tag == "" && r.Digest == "" {
		r.Tag = DefaultTag
	}
	return r
}

func (r Reference) suffix() string {
	s := ""
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// validDomain reports whether d is host[:port], host being a DNS name whose
// labels are [A-Za-z0-9] with inner dashes, or an IPv6 address in brackets.
func validDomain(d string) bool {
	host, port := d, ""
	if strings.HasPrefix(d, "[") {
		end := strings.IndexByte(d, ']')
		if end < 0 {
			return false
		}
		host, port = d[:end+1], d[end+1:]
		inner := host[1:end]
		if inner == "" || strings.Trim(inner, "0123456789abcdefABCDEF:") != "" {
			return false
		}
	} else {
		if i := strings.IndexByte(d, ':'); i >= 0 {
			host, port = d[:i], d[i:]
		}
		for label := range strings.SplitSeq(host, ".") {
			if !validLabel(label) {
				return false
			}
		}
	}
	if port == "" {
		return true
	}
	digits, ok := strings.CutPrefix(port, ":")
	return ok && digits != "" && strings.Trim(digits, "0123456789") == ""
}

func validLabel(l string) bool {
	if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		if c := l[i]; !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// validPath reports whether p is components of lower-case alphanumerics
// joined by one separator (".", "_", "__" or one or more "-"), separated by
// "/".
func validPath(p string) bool {
	for comp := range strings.SplitSeq(p, "/") {
		if !validComponent(comp) {
			return false
		}
	}
	return true
}

func validComponent(c string) bool {
	if c == "" || !isLowerAlnum(c[0]) || !isLowerAlnum(c[len(c)-1]) {
		return false
	}
	for i := 1; i < len(c); {
		if isLowerAlnum(c[i]) {
			i++
			continue
		}
		// A separator run between two alphanumerics.
		j := i
		for j < len(c) && !isLowerAlnum(c[j]) {
			j++
		}
		switch sep := c[i:j]; {
		case sep == "." || sep == "_" || sep == "__":
		case strings.Trim(sep, "-") == "":
		default:
			return false
		}
		i = j
	}
	return true
}

// validTag reports whether t is a word character followed by at most 127
// word characters, dots and dashes.
func validTag(t string) bool {
	if t == "" || len(t) > maxTagLength || !isWord(t[0]) {
		return false
	}
	for i := 1; i < len(t); i++ {
		if c := t[i]; !isWord(c) && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// digestLengths are the hex lengths of the algorithms the CLI verifies.
var digestLengths = map[string]int{"sha256": 64, "sha384": 96, "sha512": 128}

// checkDigest returns why d is not a valid digest, or "".
func checkDigest(d string) string {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok || !validAlgorithm(alg) || len(hex) < 32 || !isHex(hex) {
		return invalidFormat
	}
	want, known := digestLengths[alg]
	switch {
	case !known:
		return "unsupported digest algorithm"
	case len(hex) != want:
		return "invalid checksum digest length"
	case strings.ToLower(hex) != hex:
		return "invalid checksum digest format"
	}
	return ""
}

// validAlgorithm reports whether a is components of [A-Za-z][A-Za-z0-9]*
// joined by one of "+._-".
func validAlgorithm(a string) bool {
	for _, comp := range strings.FieldsFunc(a, func(r rune) bool { return strings.ContainsRune("+._-", r) }) {
		if !isLetter(comp[0]) {
			return false
		}
		for i := 1; i < len(comp); i++ {
			if !isAlnum(comp[i]) {
				return false
			}
		}
	}
	// FieldsFunc drops empty fields: reject leading, trailing and doubled
	// separators explicitly.
	if a == "" || strings.ContainsRune("+._-", rune(a[0])) || strings.ContainsRune("+._-", rune(a[len(a)-1])) {
		return false
	}
	for i := 1; i < len(a); i++ {
		if strings.IndexByte("+._-", a[i]) >= 0 && strings.IndexByte("+._-", a[i-1]) >= 0 {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool     { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool      { return isLetter(c) || '0' <= c && c <= '9' }
func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }
func isWord(c byte) bool       { return isAlnum(c) || c == '_' }
