package docker

import "github.com/berth-go/berth/internal/httpx"

// Filters selects objects in list, prune and events calls: each key (label,
// name, status, type, ...) maps to the values to match. A nil Filters is
// valid and filters nothing.
//
//	f := docker.Filters{}
//	f.Add("label", "app=web")
//	f.Add("status", "running", "paused")
type Filters map[string][]string

// Add appends values to key. It panics on a nil map, like any map write.
func (f Filters) Add(key string, values ...string) {
	f[key] = append(f[key], values...)
}

// Clone returns a copy that shares nothing with f.
func (f Filters) Clone() Filters {
	if f == nil {
		return nil
	}
	out := make(Filters, len(f))
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// Encode returns the JSON form the Engine expects in its "filters" query
// parameter: {"key":["value",...],...} with keys sorted.
func (f Filters) Encode() string {
	return httpx.EncodeFilters(f)
}
