// Command benchtable reads the output of `go test -bench` (any number of
// runs of each benchmark, as for benchstat) and prints a markdown table of
// berth's ratio to every other implementation, one row per benchmark and
// unit: the median of berth's samples divided by the median of the other's.
//
// Implementations are told apart by a "client=NAME" or "impl=NAME" element
// of the benchmark's name; the reference is "berth" (change it with -ref).
// For units where lower is better (ns/op, B/op, allocs/op, sizes, counts) a
// ratio under 1 favours berth; for throughput (MB/s) a ratio over 1 does.
//
// Usage:
//
//	benchtable [-ref berth] results.txt...
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func main() {
	ref := flag.String("ref", "berth", "the implementation the ratios are of")
	flag.Parse()
	t := newTable()
	if flag.NArg() == 0 {
		if err := t.read(os.Stdin); err != nil {
			fail(err)
		}
	}
	for _, name := range flag.Args() {
		f, err := os.Open(name)
		if err != nil {
			fail(err)
		}
		err = t.read(f)
		f.Close()
		if err != nil {
			fail(err)
		}
	}
	t.print(os.Stdout, *ref)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchtable:", err)
	os.Exit(1)
}

// key is one row of the table.
type key struct{ bench, unit string }

type table struct {
	rows    []key                        // in order of first appearance
	samples map[key]map[string][]float64 // row -> implementation -> samples
	impls   []string                     // in order of first appearance
}

func newTable() *table { return &table{samples: map[key]map[string][]float64{}} }

var (
	procsSuffix = regexp.MustCompile(`-[0-9]+$`)
	implElem    = regexp.MustCompile(`^(client|impl)=(.+)$`)
)

// skipUnits are reported by benchmarks for information, not compared.
var skipUnits = map[string]bool{"events/op": true}

func (t *table) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue // not a result line
		}
		bench, impl := splitName(procsSuffix.ReplaceAllString(f[0], ""))
		if impl == "" {
			continue
		}
		if !slices.Contains(t.impls, impl) {
			t.impls = append(t.impls, impl)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil || skipUnits[f[i+1]] {
				continue
			}
			k := key{bench, f[i+1]}
			if t.samples[k] == nil {
				t.samples[k] = map[string][]float64{}
				t.rows = append(t.rows, k)
			}
			t.samples[k][impl] = append(t.samples[k][impl], v)
		}
	}
	return sc.Err()
}

// splitName takes the implementation's element out of a benchmark name.
func splitName(name string) (bench, impl string) {
	var rest []string
	for _, e := range strings.Split(name, "/") {
		if m := implElem.FindStringSubmatch(e); m != nil {
			impl = m[2]
			continue
		}
		rest = append(rest, e)
	}
	return strings.TrimPrefix(strings.Join(rest, "/"), "Benchmark"), impl
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// higherIsBetter tells the units where a larger number is the better one.
func higherIsBetter(unit string) bool {
	return strings.HasSuffix(unit, "/s")
}

func (t *table) print(w io.Writer, ref string) {
	var others []string
	for _, impl := range t.impls {
		if impl != ref {
			others = append(others, impl)
		}
	}
	fmt.Fprintf(w, "| benchmark | unit | %s (median) |", ref)
	for _, o := range others {
		fmt.Fprintf(w, " %s / %s |", ref, o)
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, "|---|---|---:|")
	for range others {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w)
	for _, k := range t.rows {
		s := t.samples[k]
		if len(s[ref]) == 0 {
			continue
		}
		r := median(s[ref])
		unit := k.unit
		if higherIsBetter(unit) {
			unit += " (higher is better)"
		}
		fmt.Fprintf(w, "| %s | %s | %s |", k.bench, unit, format(r))
		for _, o := range others {
			if len(s[o]) == 0 || median(s[o]) == 0 {
				fmt.Fprint(w, " |")
				continue
			}
			fmt.Fprintf(w, " %.2f |", r/median(s[o]))
		}
		fmt.Fprintln(w)
	}
}

func format(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}
