package container

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// endpointsFile is the module's copy of the shared operation checklist
// (shared/spec/endpoints.tsv): reference data, read in place rather than
// copied again.
var endpointsFile = filepath.Join("..", "..", "testdata", "spec", "endpoints.tsv")

// apiDoc matches the line an endpoint method's doc comment carries.
var apiDoc = regexp.MustCompile(`^API: (GET|POST|PUT|DELETE|HEAD) (/\S*)$`)

// TestEndpointCoverage fails for every operation tagged Container or Exec
// in the checklist that no exported method of this package documents with
// an "API: METHOD /path" line, and for every such line that names no
// operation of those tags.
func TestEndpointCoverage(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string][]string{} // "METHOD /path" -> methods
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Doc == nil || !fn.Name.IsExported() {
				continue
			}
			for _, line := range strings.Split(fn.Doc.Text(), "\n") {
				if m := apiDoc.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
					key := m[1] + " " + m[2]
					documented[key] = append(documented[key], fn.Name.Name)
				}
			}
		}
	}
	b, err := os.ReadFile(endpointsFile)
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]string{} // "METHOD /path" -> operationId
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		cols := strings.Split(line, "\t")
		if i == 0 || len(cols) < 4 || cols[3] != "Container" && cols[3] != "Exec" {
			continue
		}
		ops[cols[0]+" "+cols[1]] = cols[2]
	}
	if len(ops) != 29 {
		t.Errorf("the checklist has %d Container and Exec operations, want 29", len(ops))
	}
	keys := make([]string, 0, len(ops))
	for k := range ops {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if methods := documented[k]; len(methods) == 0 {
			t.Errorf("no method documents %s (%s)", ops[k], k)
		} else {
			t.Logf("%-26s %-40s %s", ops[k], k, strings.Join(methods, ", "))
		}
	}
	for k, methods := range documented {
		if _, ok := ops[k]; !ok {
			t.Errorf("%v document %q, which is no Container or Exec operation", methods, k)
		}
	}
}
