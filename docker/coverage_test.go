package docker

import (
	"io/fs"
	"path/filepath"
	"sort"
	"testing"

	"github.com/berth-go/berth/internal/testing/apicheck"
)

// TestEndpointCoverage checks the core's own operations (System, Session).
func TestEndpointCoverage(t *testing.T) {
	t.Parallel()
	apicheck.Check(t, ".", "System", "Session")
}

// TestWholeAPICovered fails for every operation of the spec's checklist
// (all 108 of API 1.57, the same as 1.56) that no function under docker/ documents. Each
// resource package checks its own tags too; this test makes sure no tag is
// left without a package.
func TestWholeAPICovered(t *testing.T) {
	t.Parallel()
	var dirs []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() != "testdata" {
			dirs = append(dirs, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got := apicheck.Documented(t, dirs...)
	ops := apicheck.Operations(t)
	if len(ops) != 108 { // a new spec with other operations needs a look, not only a new copy
		t.Errorf("the checklist has %d operations, want the 108 of API 1.56 and 1.57", len(ops))
	}
	perTag := map[string][2]int{}
	for op, tag := range ops {
		n := perTag[tag]
		n[1]++
		if _, ok := got[op]; ok {
			n[0]++
		} else {
			t.Errorf("no function under docker/ documents %s (%s)", op, tag)
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
}
