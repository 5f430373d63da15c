package docker

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// uncoveredTags are API tags that berth does not wrap yet. Every operation
// of every other tag must have a method with a "// API: METHOD /path" line
// in its doc comment somewhere under docker/, so coverage is checked, not
// claimed. (All 15 tags of the 1.56 spec are covered.)
var uncoveredTags = map[string]bool{}

// apiLine matches the doc line every endpoint method carries.
var apiLine = regexp.MustCompile(`^\s*// API: (GET|POST|PUT|DELETE|HEAD) (/\S*)`)

// TestEndpointCoverage reads the operation checklist (testdata/spec/endpoints.tsv,
// a copy of the shared spec's) and fails for every operation of a covered tag
// that no method documents.
func TestEndpointCoverage(t *testing.T) {
	t.Parallel()
	documented := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		// An API line counts only in the doc comment of a function.
		var pending []string
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if m := apiLine.FindStringSubmatch(line); m != nil {
				pending = append(pending, m[1]+" "+m[2])
				continue
			}
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			if strings.HasPrefix(line, "func ") {
				for _, op := range pending {
					documented[op] = true
				}
			}
			pending = pending[:0]
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "spec", "endpoints.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	perTag := map[string][2]int{}
	var missing []string
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		cols := strings.Split(line, "\t")
		if i == 0 || len(cols) < 4 {
			continue
		}
		method, path, op, tag := cols[0], cols[1], cols[2], cols[3]
		n := perTag[tag]
		n[1]++
		if documented[method+" "+path] {
			n[0]++
		} else if !uncoveredTags[tag] {
			missing = append(missing, tag+": "+op+" ("+method+" "+path+")")
		}
		perTag[tag] = n
	}
	tags := make([]string, 0, len(perTag))
	for tag := range perTag {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	for _, tag := range tags {
		t.Logf("%-12s %3d/%3d documented", tag, perTag[tag][0], perTag[tag][1])
	}
	for _, m := range missing {
		t.Errorf("no method documents %s", m)
	}
}
