package dockertest

import (
	"encoding/json"
	"net/http"
	"runtime"
	"time"
)

// statsSample makes one plausible stats object for a container: CPU time
// that grows while it runs, a steady memory use, no network (the fake has
// none) and one process.
func statsSample(name, id string, running bool, started time.Time, prev map[string]any, osType bool) map[string]any {
	now := time.Now().UTC()
	var cpu, system uint64
	mem := uint64(0)
	pids := 0
	if running {
		up := uint64(time.Since(started))
		cpu, system = up/100, up*uint64(runtime.NumCPU())
		mem, pids = 4<<20, 1
	}
	sample := map[string]any{
		"name": "/" + name, "id": id, "read": now, "preread": time.Time{},
		"pids_stats":    map[string]any{"current": pids, "limit": 4096},
		"blkio_stats":   map[string]any{"io_service_bytes_recursive": []any{}},
		"num_procs":     0,
		"storage_stats": map[string]any{},
		"cpu_stats": map[string]any{
			"cpu_usage":        map[string]any{"total_usage": cpu, "usage_in_kernelmode": cpu / 4, "usage_in_usermode": cpu - cpu/4},
			"system_cpu_usage": system, "online_cpus": runtime.NumCPU(),
			"throttling_data": map[string]any{"periods": 0, "throttled_periods": 0, "throttled_time": 0},
		},
		"precpu_stats": map[string]any{"cpu_usage": map[string]any{"total_usage": 0}, "throttling_data": map[string]any{}},
		"memory_stats": map[string]any{"usage": mem, "limit": uint64(8 << 30), "stats": map[string]any{"inactive_file": uint64(1 << 20), "anon": mem - (1 << 20)}},
	}
	if osType { // API 1.52
		sample["os_type"] = "linux"
	}
	if !running {
		sample["memory_stats"] = map[string]any{}
	}
	if prev != nil {
		sample["preread"] = prev["read"]
		sample["precpu_stats"] = prev["cpu_stats"]
	}
	return sample
}

func (s *Server) handleContainerStats(w http.ResponseWriter, r *http.Request, p params) {
	q := r.URL.Query()
	streaming := q.Get("stream") == "" || isTrue(q.Get("stream"))
	oneShot := isTrue(q.Get("one-shot"))
	var c *fakeContainer
	s.withContainer(w, p, func(found *fakeContainer) { c = found })
	if c == nil {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	enc := json.NewEncoder(w)
	sample := func(prev map[string]any) (map[string]any, bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return statsSample(c.name[1:], c.id, c.cur != nil, c.st.StartedAt, prev, atLeast(r, "1.52")), c.cur != nil
	}
	var prev map[string]any
	if !streaming && !oneShot {
		// Without one-shot the Engine takes two samples a second apart so
		// the first has precpu_stats filled in.
		prev, _ = sample(nil)
		select {
		case <-time.After(time.Second):
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
	for {
		cur, running := sample(prev)
		if enc.Encode(cur) != nil {
			return
		}
		_ = http.NewResponseController(w).Flush()
		if !streaming || !running {
			return
		}
		prev = cur
		select {
		case <-time.After(time.Second):
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}
