package container

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestStatsStream(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var query url.Values
	ended := make(chan struct{})
	f.handle("GET /containers/c/stats", func(w http.ResponseWriter, r *http.Request) {
		defer close(ended)
		query = r.URL.Query()
		w.WriteHeader(200)
		for i := 1; i <= 1000; i++ { // bounded; the client leaves after 3
			if _, err := fmt.Fprintf(w, `{"name":"/c","num_procs":0,"pids_stats":{"current":%d}}`+"\n", i); err != nil {
				return
			}
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	var got []uint64
	for st, err := range f.svc.Stats(t.Context(), "c") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, st.PidsStats.Current)
		if len(got) == 3 {
			break
		}
	}
	if diff := cmp.Diff([]uint64{1, 2, 3}, got); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the connection stayed open after break")
	}
	if diff := cmp.Diff(url.Values{"stream": {"1"}}, query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}

func TestStatsOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var rec recorder
	rec.serve(f, 200, `{"name":"/c","memory_stats":{"usage":10}}`)
	st, err := f.svc.StatsOnce(t.Context(), "c", OneShot())
	if err != nil {
		t.Fatal(err)
	}
	if st.Name != "/c" || st.MemoryStats.Usage != 10 {
		t.Errorf("sample = %+v", st)
	}
	if diff := cmp.Diff(url.Values{"stream": {"0"}, "one-shot": {"1"}}, rec.last(t).Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	// OneShot needs API 1.41.
	old := setupVersion(t, "1.40")
	if _, err := old.svc.StatsOnce(t.Context(), "c", OneShot()); !isVersionErr(err) {
		t.Errorf("OneShot on 1.40: %v, want ErrVersion", err)
	}
}

func TestStatsCalc(t *testing.T) {
	t.Parallel()
	type figures struct {
		CPU, MemPercent float64
		Mem             uint64
		Rx, Tx          uint64
		Read, Write     uint64
	}
	for _, tc := range []struct {
		file string
		want figures
	}{
		{
			// Engine 20.10, cgroup v1: 15584612ns of 2010000000ns system time on 2 CPUs;
			// usage 1425408 minus total_inactive_file 0, of a 64 MiB limit.
			file: "engine-20.10/stats.json",
			want: figures{CPU: 15584612.0 / 2010000000 * 2 * 100, Mem: 1425408, MemPercent: 1425408.0 / (64 << 20) * 100},
		},
		{
			// cgroup v2: 1s of 4s on 4 CPUs; usage minus inactive_file.
			file: "stats-cgroup2.json",
			want: figures{CPU: 100, Mem: 10485760 - 4194304, MemPercent: float64(10485760-4194304) / (2 << 30) * 100,
				Rx: 1001, Tx: 2002, Read: 4196, Write: 8192},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			var st Stats
			decodeStrict(t, tc.file, &st)
			var got figures
			got.CPU, got.Mem, got.MemPercent = st.CPUPercent(), st.MemoryUsage(), st.MemoryPercent()
			got.Rx, got.Tx = st.NetworkIO()
			got.Read, got.Write = st.BlockIO()
			approx := cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-9 })
			if diff := cmp.Diff(tc.want, got, approx); diff != "" {
				t.Errorf("figures (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatsCalcEdges(t *testing.T) {
	t.Parallel()
	read := time.Unix(100, 0)
	for _, tc := range []struct {
		name    string
		stats   string
		cpu     float64
		memory  uint64
		percent float64
	}{
		{"empty", `{}`, 0, 0, 0},
		{"no previous sample", `{"cpu_stats":{"cpu_usage":{"total_usage":5},"system_cpu_usage":10,"online_cpus":1}}`, 0, 0, 0},
		{"percpu fallback", `{"cpu_stats":{"cpu_usage":{"total_usage":20,"percpu_usage":[10,10]},"system_cpu_usage":200},
			"precpu_stats":{"cpu_usage":{"total_usage":10},"system_cpu_usage":100}}`, 20, 0, 0},
		{"v1 cache fallback", `{"memory_stats":{"usage":100,"limit":1000,"stats":{"cache":40}}}`, 0, 60, 6},
		{"inactive above usage", `{"memory_stats":{"usage":100,"stats":{"inactive_file":400}}}`, 0, 100, 0},
		{"windows", fmt.Sprintf(`{"os_type":"windows","read":%q,"preread":%q,"num_procs":2,
			"cpu_stats":{"cpu_usage":{"total_usage":15000000}},"precpu_stats":{"cpu_usage":{"total_usage":5000000}},
			"memory_stats":{"privateworkingset":7,"commitbytes":9}}`,
			read.Format(time.RFC3339Nano), read.Add(-time.Second).Format(time.RFC3339Nano)), 50, 7, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var st Stats
			if err := json.Unmarshal([]byte(tc.stats), &st); err != nil {
				t.Fatal(err)
			}
			if got := st.CPUPercent(); math.Abs(got-tc.cpu) > 1e-9 {
				t.Errorf("CPUPercent = %v, want %v", got, tc.cpu)
			}
			if got := st.MemoryUsage(); got != tc.memory {
				t.Errorf("MemoryUsage = %v, want %v", got, tc.memory)
			}
			if got := st.MemoryPercent(); math.Abs(got-tc.percent) > 1e-9 {
				t.Errorf("MemoryPercent = %v, want %v", got, tc.percent)
			}
		})
	}
}
