package plugin

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEndpointCoverage fails when an operation of the spec's Plugin tag
// (testdata/endpoints.tsv, copied from the shared spec) has no method whose
// doc comment names it with an "API: METHOD /path" line, or when a method
// names an endpoint the spec does not have.
func TestEndpointCoverage(t *testing.T) {
	t.Parallel()
	want := specOperations(t, filepath.Join("testdata", "endpoints.tsv"), "Plugin")
	if len(want) != 11 {
		t.Errorf("the spec lists %d Plugin operations, want 11", len(want))
	}
	got := documentedEndpoints(t, ".")
	for op := range want {
		if _, ok := got[op]; !ok {
			t.Errorf("no method documents %q", op)
		}
	}
	for op, fn := range got {
		if _, ok := want[op]; !ok {
			t.Errorf("method %s documents %q, which is not a Plugin operation of the spec", fn, op)
		}
	}
}

// specOperations returns "METHOD /path" for every row of the tsv with tag.
func specOperations(t *testing.T, file, tag string) map[string]bool {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ops := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) >= 4 && cols[3] == tag {
			ops[cols[0]+" "+cols[1]] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ops
}

// documentedEndpoints maps each "METHOD /path" named by an "API:" line in
// the doc comment of a method in dir's non-test files to that method.
func documentedEndpoints(t *testing.T, dir string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
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
					got[strings.TrimSpace(op)] = fn.Name.Name
				}
			}
		}
	}
	return got
}
