package swarm

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// coveredTags are the API tags this package implements, with their number
// of operations in the spec.
var coveredTags = map[string]int{"Swarm": 7, "Node": 4, "Service": 6, "Task": 3, "Secret": 5, "Config": 5}

// TestEndpointCoverage fails when an operation of a covered tag in
// testdata/endpoints.tsv (a copy of the shared spec's checklist) has no
// exported method whose doc comment names it in an "API: METHOD /path"
// line, or when a method names an endpoint outside those tags.
func TestEndpointCoverage(t *testing.T) {
	t.Parallel()
	want := map[string]string{} // "METHOD /path" -> tag
	perTag := map[string]int{}
	f, err := os.Open(filepath.Join("testdata", "endpoints.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 {
			continue
		}
		if _, ok := coveredTags[cols[3]]; ok {
			want[cols[0]+" "+cols[1]] = cols[3]
			perTag[cols[3]]++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for tag, n := range coveredTags {
		if perTag[tag] != n {
			t.Errorf("the spec lists %d %s operations, want %d", perTag[tag], tag, n)
		}
	}

	got := documented(t)
	var missing []string
	for op, tag := range want {
		if _, ok := got[op]; !ok {
			missing = append(missing, tag+": "+op)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no method documents %s", m)
	}
	for op, fn := range got {
		if _, ok := want[op]; !ok {
			t.Errorf("%s documents %q, which is not an operation of %v", fn, op, coveredTags)
		}
	}
	if len(missing) == 0 {
		t.Logf("%d operations, each with a method", len(want))
	}
}

// documented maps each "METHOD /path" named by an "API:" doc line of an
// exported method in the package's non-test files to that method.
func documented(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	got := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Doc == nil || !fn.Name.IsExported() {
				continue
			}
			for _, c := range fn.Doc.List {
				if op, ok := strings.CutPrefix(c.Text, "// API: "); ok {
					if prev, dup := got[op]; dup {
						t.Errorf("%s and %s both document %s", prev, fn.Name.Name, op)
					}
					got[strings.TrimSpace(op)] = fn.Name.Name
				}
			}
		}
	}
	return got
}
