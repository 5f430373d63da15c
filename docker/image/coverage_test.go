package image

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEndpointCoverage fails when an operation that endpoints.tsv tags Image
// or Distribution has no method whose doc comment carries its
// "// API: METHOD /path" line, or when such a line names an operation the
// table does not list.
func TestEndpointCoverage(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/endpoints.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{} // "METHOD /path" -> operationId
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 || cols[0] == "method" {
			continue
		}
		if cols[3] == "Image" || cols[3] == "Distribution" {
			want[cols[0]+" "+cols[1]] = cols[2]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) != 17 {
		t.Errorf("endpoints.tsv lists %d Image and Distribution operations, want 17", len(want))
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	apiLine := regexp.MustCompile(`^// API: ([A-Z]+ /\S*)$`)
	have := map[string][]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		for i, line := range lines {
			m := apiLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			// The doc comment must belong to a method of Service.
			j := i + 1
			for j < len(lines) && strings.HasPrefix(lines[j], "//") {
				j++
			}
			if j == len(lines) || !strings.HasPrefix(lines[j], "func (s *Service) ") {
				t.Errorf("%s:%d: %q does not document a Service method", name, i+1, line)
				continue
			}
			method := strings.TrimPrefix(lines[j], "func (s *Service) ")
			method = method[:strings.IndexByte(method, '(')]
			have[m[1]] = append(have[m[1]], method)
		}
	}
	for op, id := range want {
		if len(have[op]) == 0 {
			t.Errorf("%s (%s) has no method", op, id)
		}
	}
	for op, methods := range have {
		if _, ok := want[op]; !ok {
			t.Errorf("%v document %s, which endpoints.tsv does not tag Image or Distribution", methods, op)
		}
	}
	t.Logf("%d operations, covered by %v", len(want), have)
}
