package container

import "strings"

// CPUPercent returns the container's CPU use between the previous sample
// and this one, as `docker stats` computes it: 100 is one full CPU, so a
// container using two CPUs shows 200. It is 0 when the sample has no
// previous one (StatsOnce with OneShot, the first streamed sample).
//
// On Linux it is the container's share of the host's CPU time times the
// number of online CPUs; on Windows its CPU time over the time the sample
// covers times the processor count.
func (s Stats) CPUPercent() float64 {
	cur, prev := s.CPUStats, s.PreCPUStats
	if cur.CPUUsage.TotalUsage <= prev.CPUUsage.TotalUsage {
		return 0
	}
	used := float64(cur.CPUUsage.TotalUsage - prev.CPUUsage.TotalUsage)
	if s.isWindows() {
		// Windows counts CPU time in 100ns intervals.
		if s.PreRead.IsZero() || !s.Read.After(s.PreRead) || s.NumProcs == 0 {
			return 0
		}
		possible := float64(s.Read.Sub(s.PreRead).Nanoseconds()) / 100 * float64(s.NumProcs)
		return used / possible * 100
	}
	if prev.SystemUsage == 0 || cur.SystemUsage <= prev.SystemUsage {
		return 0 // no previous sample
	}
	system := float64(cur.SystemUsage - prev.SystemUsage)
	cpus := float64(cur.OnlineCPUs)
	if cpus == 0 {
		cpus = float64(len(cur.CPUUsage.PercpuUsage))
	}
	return used / system * cpus * 100
}

// MemoryUsage returns the memory the container uses without the page cache
// the kernel can reclaim, as `docker stats` shows it: on Linux the cgroup's
// usage minus its inactive file pages ("total_inactive_file" on cgroup v1,
// "inactive_file" on cgroup v2; "cache" when a v1 sample lacks the former,
// as the docker CLI did before 20.10), on Windows the private working set.
func (s Stats) MemoryUsage() uint64 {
	m := s.MemoryStats
	if s.isWindows() {
		return m.PrivateWorkingSet
	}
	for _, key := range []string{"total_inactive_file", "inactive_file", "cache"} {
		if v, ok := m.Stats[key]; ok {
			if v < m.Usage {
				return m.Usage - v
			}
			return m.Usage
		}
	}
	return m.Usage
}

// MemoryPercent returns MemoryUsage as a percentage of the container's
// memory limit (the host's memory when it has none); 0 when the limit is
// unknown (Windows).
func (s Stats) MemoryPercent() float64 {
	if s.MemoryStats.Limit == 0 {
		return 0
	}
	return float64(s.MemoryUsage()) / float64(s.MemoryStats.Limit) * 100
}

// NetworkIO returns the bytes received and sent over all of the
// container's network interfaces.
func (s Stats) NetworkIO() (rx, tx uint64) {
	for _, n := range s.Networks {
		rx += n.RxBytes
		tx += n.TxBytes
	}
	return rx, tx
}

// BlockIO returns the bytes the container read from and wrote to block
// devices (on Windows, its storage read and write sizes).
func (s Stats) BlockIO() (read, write uint64) {
	if s.isWindows() {
		return s.StorageStats.ReadSizeBytes, s.StorageStats.WriteSizeBytes
	}
	for _, e := range s.BlkioStats.IoServiceBytesRecursive {
		switch strings.ToLower(e.Op) {
		case "read":
			read += e.Value
		case "write":
			write += e.Value
		}
	}
	return read, write
}

// isWindows reports whether the sample comes from a Windows container:
// os_type says so from API 1.52; before, only Windows sends num_procs.
func (s Stats) isWindows() bool {
	if s.OSType != "" {
		return s.OSType == "windows"
	}
	return s.NumProcs > 0
}
