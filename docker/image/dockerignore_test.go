package image

import (
	"errors"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadDockerignore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", nil},
		{"comments and blanks", "# c\n\n  \n#x\na\n", []string{"a"}},
		{"comment only at line start", " # not a comment\n", []string{"# not a comment"}},
		{"trim", "  a  \n\tb\t\n", []string{"a", "b"}},
		{"clean", "./a/\na//b\na/../c\n", []string{"a", "a/b", "c"}},
		{"leading slash", "/a\n/\n", []string{"a", "/"}},
		{"exception", "!a\n! /b/\n!\n", []string{"!a", "!b", "!"}},
		{"bom", "\xef\xbb\xbfa\n\xef\xbb\xbfb\n", []string{"a", "\xef\xbb\xbfb"}},
		{"crlf", "a\r\nb\r\n", []string{"a", "b"}},
		{"no final newline", "a\nb", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ReadDockerignore(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadDockerignore(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestReadDockerignoreLongLine(t *testing.T) {
	t.Parallel()
	if _, err := ReadDockerignore(strings.NewReader(strings.Repeat("a", 70<<10))); err == nil {
		t.Error("a 70 KiB line was accepted")
	}
}

func TestNewIgnoreMatcherErrors(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"!", "[", "a[", "[a-", "a\\", "\\e"} {
		if _, err := NewIgnoreMatcher([]string{p}); err == nil {
			t.Errorf("NewIgnoreMatcher(%q) succeeded, want an error", p)
		} else if !strings.HasPrefix(err.Error(), "docker: .dockerignore: ") {
			t.Errorf("error %q lacks the prefix", err)
		}
	}
	if _, err := NewIgnoreMatcher([]string{"", "  ", "a"}); err != nil {
		t.Errorf("empty patterns: %v", err)
	}
}

// TestIgnoreCases checks IgnoreMatcher.Excluded and ContextFromDir against
// the table that TestDockerignoreMatchesCLI checks against the CLI.
func TestIgnoreCases(t *testing.T) {
	t.Parallel()
	if len(ignoreCases) < 30 {
		t.Errorf("only %d cases", len(ignoreCases))
	}
	paths := 0
	for _, tc := range ignoreCases {
		paths += len(tc.included) + len(tc.excluded)
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			patterns, err := ReadDockerignore(strings.NewReader(tc.ignore))
			if err != nil {
				t.Fatal(err)
			}
			m, err := NewIgnoreMatcher(patterns)
			if err != nil {
				t.Fatal(err)
			}
			df := tc.dockerfile
			if df == "" {
				df = "Dockerfile"
			}
			for _, f := range tc.included {
				if f != df && m.Excluded(f) {
					t.Errorf("Excluded(%q) = true, want false", f)
				}
			}
			for _, f := range tc.excluded {
				if !m.Excluded(f) {
					t.Errorf("Excluded(%q) = false, want true", f)
				}
			}
			// What ContextFromDir sends: the included files, the
			// Dockerfile and .dockerignore, never an excluded file.
			names := ourContext(t, makeCaseDir(t, tc), tc.dockerfile)
			var files []string
			for _, n := range names {
				if !strings.HasSuffix(n, "/") {
					files = append(files, n)
				}
			}
			want := append([]string{".dockerignore", df}, tc.included...)
			slices.Sort(want)
			want = slices.Compact(want)
			if diff := cmp.Diff(want, files); diff != "" {
				t.Errorf("files sent mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if paths < 60 {
		t.Errorf("only %d paths", paths)
	}
}

func TestExcludedPaths(t *testing.T) {
	t.Parallel()
	m, err := NewIgnoreMatcher([]string{"a", "!a/keep"})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"a": true, "/a": true, "a/": true, "./a/x": true, "a/keep": false, "": false, ".": false, "/": false, "b": false,
	} {
		if got := m.Excluded(name); got != want {
			t.Errorf("Excluded(%q) = %v, want %v", name, got, want)
		}
	}
}

// FuzzIgnorePatterns parses arbitrary .dockerignore content and matches the
// patterns against a few paths: nothing may panic; malformed patterns are
// errors with the package prefix; Excluded of a path agrees with the walk's
// decision for it when its directories are not excluded.
func FuzzIgnorePatterns(f *testing.F) {
	for _, tc := range ignoreCases {
		f.Add(tc.ignore, "a/b/c.md")
	}
	f.Add("[", "x")
	f.Add("**\\", "x")
	f.Fuzz(func(t *testing.T, content, name string) {
		patterns, err := ReadDockerignore(strings.NewReader(content))
		if err != nil {
			return // an over-long line
		}
		m, err := NewIgnoreMatcher(patterns)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "docker: .dockerignore: ") && !errors.Is(err, path.ErrBadPattern) {
				t.Fatalf("error %q lacks the prefix", err)
			}
			return
		}
		for _, p := range []string{name, "a", "a/b", "a/b/c.md", ".git/config", "Dockerfile"} {
			_ = m.Excluded(p)
		}
		// For a top-level name the walk and Excluded decide alike.
		if clean := strings.TrimPrefix(path.Clean(name), "/"); clean != "" && clean != "." && !strings.Contains(clean, "/") {
			walk, _ := m.matchChild(clean, nil)
			if got := m.Excluded(name); got != walk {
				t.Fatalf("Excluded(%q) = %v, the walk decides %v", name, got, walk)
			}
		}
	})
}
