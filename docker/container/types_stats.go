package container

import "time"

// Stats is one sample of a container's resource usage (GET
// /containers/{id}/stats). Which fields are filled depends on the platform
// and the cgroup version: MemoryStats.Stats holds cgroup v1 keys ("cache",
// "total_inactive_file", ...) or cgroup v2 keys ("inactive_file", "anon",
// ...). The helper methods (CPUPercent, MemoryUsage, NetworkIO, BlockIO)
// compute what `docker stats` shows.
type Stats struct {
	ID     string `json:"id,omitempty"`      // API >= 1.38 on Linux
	Name   string `json:"name,omitempty"`    // with a leading "/"
	OSType string `json:"os_type,omitempty"` // API >= 1.52

	Read    time.Time `json:"read"`    // when this sample was taken
	PreRead time.Time `json:"preread"` // when the previous one was

	CPUStats    CPUStats    `json:"cpu_stats"`
	PreCPUStats CPUStats    `json:"precpu_stats"` // the previous sample, for deltas
	MemoryStats MemoryStats `json:"memory_stats"`
	// Networks is per interface; absent for containers without a network
	// (NetworkMode "none").
	Networks     map[string]NetworkStats `json:"networks,omitempty"`
	PidsStats    PidsStats               `json:"pids_stats"`
	BlkioStats   BlkioStats              `json:"blkio_stats"`
	NumProcs     uint32                  `json:"num_procs"`     // Windows
	StorageStats StorageStats            `json:"storage_stats"` // Windows
}

// CPUStats is the CPU part of a sample.
type CPUStats struct {
	CPUUsage CPUUsage `json:"cpu_usage"`
	// SystemUsage is the host's cumulative CPU time in nanoseconds (Linux).
	SystemUsage    uint64         `json:"system_cpu_usage,omitempty"`
	OnlineCPUs     uint32         `json:"online_cpus,omitempty"`
	ThrottlingData ThrottlingData `json:"throttling_data"`
}

// CPUUsage is cumulative CPU time in nanoseconds (100ns units on Windows).
type CPUUsage struct {
	TotalUsage uint64 `json:"total_usage"`
	// PercpuUsage is per CPU on cgroup v1 hosts only.
	PercpuUsage       []uint64 `json:"percpu_usage,omitempty"`
	UsageInKernelmode uint64   `json:"usage_in_kernelmode"`
	UsageInUsermode   uint64   `json:"usage_in_usermode"`
}

// ThrottlingData counts CFS throttling (Linux).
type ThrottlingData struct {
	Periods          uint64 `json:"periods"`
	ThrottledPeriods uint64 `json:"throttled_periods"`
	ThrottledTime    uint64 `json:"throttled_time"` // nanoseconds
}

// MemoryStats is the memory part of a sample. Usage, MaxUsage, Failcnt,
// Limit and Stats are Linux fields (MaxUsage and Failcnt cgroup v1 only);
// Commit, CommitPeak and PrivateWorkingSet are Windows fields.
type MemoryStats struct {
	Usage    uint64 `json:"usage,omitempty"`
	MaxUsage uint64 `json:"max_usage,omitempty"`
	// Stats holds the cgroup's memory.stat counters by name.
	Stats   map[string]uint64 `json:"stats,omitempty"`
	Failcnt uint64            `json:"failcnt,omitempty"`
	Limit   uint64            `json:"limit,omitempty"`

	Commit            uint64 `json:"commitbytes,omitempty"`
	CommitPeak        uint64 `json:"commitpeakbytes,omitempty"`
	PrivateWorkingSet uint64 `json:"privateworkingset,omitempty"`
}

// NetworkStats counts one network interface's traffic.
type NetworkStats struct {
	RxBytes   uint64 `json:"rx_bytes"`
	RxPackets uint64 `json:"rx_packets"`
	RxErrors  uint64 `json:"rx_errors"`
	RxDropped uint64 `json:"rx_dropped"`
	TxBytes   uint64 `json:"tx_bytes"`
	TxPackets uint64 `json:"tx_packets"`
	TxErrors  uint64 `json:"tx_errors"`
	TxDropped uint64 `json:"tx_dropped"`
	// EndpointID and InstanceID are Windows fields.
	EndpointID string `json:"endpoint_id,omitempty"`
	InstanceID string `json:"instance_id,omitempty"`
}

// PidsStats counts the container's processes (Linux).
type PidsStats struct {
	Current uint64 `json:"current,omitempty"`
	Limit   uint64 `json:"limit,omitempty"` // 0 when unlimited
}

// BlkioStats are the block-I/O counters of the cgroup (Linux). On cgroup v2
// only IoServiceBytesRecursive is filled.
type BlkioStats struct {
	IoServiceBytesRecursive []BlkioStatEntry `json:"io_service_bytes_recursive"`
	IoServicedRecursive     []BlkioStatEntry `json:"io_serviced_recursive"`
	IoQueuedRecursive       []BlkioStatEntry `json:"io_queue_recursive"`
	IoServiceTimeRecursive  []BlkioStatEntry `json:"io_service_time_recursive"`
	IoWaitTimeRecursive     []BlkioStatEntry `json:"io_wait_time_recursive"`
	IoMergedRecursive       []BlkioStatEntry `json:"io_merged_recursive"`
	IoTimeRecursive         []BlkioStatEntry `json:"io_time_recursive"`
	SectorsRecursive        []BlkioStatEntry `json:"sectors_recursive"`
}

// BlkioStatEntry is one counter of one device; Op is "Read", "Write",
// "Sync", "Async", "Discard" or "Total" (lower case on cgroup v2).
type BlkioStatEntry struct {
	Major uint64 `json:"major"`
	Minor uint64 `json:"minor"`
	Op    string `json:"op"`
	Value uint64 `json:"value"`
}

// StorageStats are the storage counters of a Windows container.
type StorageStats struct {
	ReadCountNormalized  uint64 `json:"read_count_normalized,omitempty"`
	ReadSizeBytes        uint64 `json:"read_size_bytes,omitempty"`
	WriteCountNormalized uint64 `json:"write_count_normalized,omitempty"`
	WriteSizeBytes       uint64 `json:"write_size_bytes,omitempty"`
}
