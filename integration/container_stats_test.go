package integration

import (
	"testing"
	"time"

	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/internal/testing/testenv"
)

func TestContainerStats(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, time.Minute)
	id := runCtr(t, s, container.Config{Cmd: []string{"sleep", "300"}},
		container.HostConfig{Resources: container.Resources{Memory: 64 << 20, PidsLimit: new64(32)}})

	// Podman's stream=false sample has no previous one, and no pids limit
	// on cgroup v1.
	podman := testenv.OnPodman(t, testenv.PodmanStats)
	one, err := s.StatsOnce(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if one.Read.IsZero() || one.PreRead.IsZero() && !podman || one.ID != id || one.MemoryStats.Usage == 0 ||
		one.MemoryStats.Limit != 64<<20 || one.PidsStats.Current == 0 || one.PidsStats.Limit != 32 && !podman {
		t.Errorf("stats: read %v preread %v id %q memory %+v pids %+v", one.Read, one.PreRead, one.ID, one.MemoryStats, one.PidsStats)
	}
	if cpu := one.CPUPercent(); cpu < 0 || cpu > 200 {
		t.Errorf("cpu %% = %v", cpu)
	}
	if m := one.MemoryUsage(); m == 0 || m > one.MemoryStats.Usage {
		t.Errorf("memory usage %d of %d", m, one.MemoryStats.Usage)
	}
	rx, tx := one.NetworkIO()
	r, w := one.BlockIO()
	t.Logf("one sample: cpu %.2f%% mem %d (%.2f%%) net %d/%d block %d/%d pids %d",
		one.CPUPercent(), one.MemoryUsage(), one.MemoryPercent(), rx, tx, r, w, one.PidsStats.Current)

	shot, err := s.StatsOnce(ctx, id, container.OneShot())
	if err != nil {
		t.Fatal(err)
	}
	if shot.Read.IsZero() || !shot.PreRead.IsZero() || shot.CPUPercent() != 0 {
		t.Errorf("one-shot: read %v preread %v cpu %v", shot.Read, shot.PreRead, shot.CPUPercent())
	}

	var reads []time.Time
	start := time.Now()
	for st, err := range s.Stats(ctx, id) {
		if err != nil {
			t.Fatal(err)
		}
		reads = append(reads, st.Read)
		if len(reads) == 3 {
			break
		}
	}
	if len(reads) != 3 || !reads[1].After(reads[0]) || !reads[2].After(reads[1]) {
		t.Errorf("streamed samples read at %v", reads)
	}
	t.Logf("3 streamed samples in %v", time.Since(start))
}
