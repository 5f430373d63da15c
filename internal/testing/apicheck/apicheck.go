// Package apicheck checks, in tests, that berth's methods cover the Engine
// API: every operation of the spec's checklist (testdata/spec/endpoints.tsv,
// a copy of ../shared/spec/endpoints.tsv, made from the 1.56 spec; the 1.57
// spec has the same 108 operations, paths, methods, ids and tags, and
// differs only in declaring application/json for errors of streaming
// operations) must be named by an
// "// API: METHOD /path" line in the doc comment of an exported function or
// method, and every such line must name a real operation. Coverage is
// checked, not claimed.
package apicheck

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Checklist is the path of the operation checklist in the repository.
func Checklist() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "spec", "endpoints.tsv") // from internal/testing/apicheck
}

// Operations returns the checklist's operations of the given tags (all
// tags when none are given), as "METHOD /path" → tag.
func Operations(t testing.TB, tags ...string) map[string]string {
	t.Helper()
	f, err := os.Open(Checklist())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]bool{}
	for _, tag := range tags {
		want[tag] = true
	}
	ops := map[string]string{}
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 4 {
			continue
		}
		if len(tags) == 0 || want[cols[3]] {
			ops[cols[0]+" "+cols[1]] = cols[3]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ops
}

// Documented maps each "METHOD /path" named by an API line in the doc
// comment of an exported function or method in the non-test files of dirs
// to that function's name ("Service.Start").
func Documented(t testing.TB, dirs ...string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	got := map[string]string{}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
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
				if !ok || fn.Doc == nil || !fn.Name.IsExported() {
					continue
				}
				for _, c := range fn.Doc.List {
					if op, ok := strings.CutPrefix(c.Text, "// API: "); ok {
						got[strings.TrimSpace(op)] = funcName(fn)
					}
				}
			}
		}
	}
	return got
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	typ := fn.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// Check fails t for every operation of tags that no function in dir
// documents, and for every operation documented in dir that is not one of
// tags' operations.
func Check(t *testing.T, dir string, tags ...string) {
	t.Helper()
	want := Operations(t, tags...)
	if len(want) == 0 {
		t.Fatalf("the checklist has no operation of tags %v", tags)
	}
	got := Documented(t, dir)
	for op, tag := range want {
		if _, ok := got[op]; !ok {
			t.Errorf("no method documents %s (%s)", op, tag)
		}
	}
	for op, fn := range got {
		if _, ok := want[op]; !ok {
			t.Errorf("%s documents %q, which is not an operation of %v", fn, op, tags)
		}
	}
}
