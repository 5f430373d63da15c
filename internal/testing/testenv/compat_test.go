package testenv

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDifferencesDocumented checks that every Difference the tests can
// skip or branch for is a row of docs/compatibility.md, and that no two
// share an ID: a tolerated departure is always one a user can read about.
func TestDifferencesDocumented(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join(RepoRoot(), "docs", "compatibility.md"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "compat.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "Difference" || len(lit.Elts) == 0 {
			return true
		}
		bl, ok := lit.Elts[0].(*ast.BasicLit)
		if !ok {
			t.Errorf("%s: a Difference whose ID is not a string literal", fset.Position(lit.Pos()))
			return true
		}
		id, _ := strconv.Unquote(bl.Value)
		if seen[id] {
			t.Errorf("two differences have the ID %q", id)
		}
		seen[id] = true
		if !strings.Contains(string(doc), "`"+id+"`") {
			t.Errorf("docs/compatibility.md has no row for `%s`", id)
		}
		return true
	})
	if len(seen) < 10 {
		t.Errorf("found only %d differences in compat.go: is the parse looking at the right file?", len(seen))
	}
}
