package swarm

import (
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"
)

// Driver names a driver and its options: a secret's external store, a
// templating engine ("golang"), a network or volume driver.
type Driver struct {
	Name    string
	Options map[string]string `json:",omitempty"`
}

// Secret is a secret as GET /secrets and GET /secrets/{id} report it. The
// daemon never sends a secret's data back: Spec.Data is empty.
type Secret struct {
	ID        string
	Version   Version
	CreatedAt time.Time
	UpdatedAt time.Time
	Spec      SecretSpec
}

// SecretSpec is a secret's configuration, the body of POST /secrets/create
// and POST /secrets/{id}/update (where only Labels may change).
//
// String, Format (every fmt verb) and LogValue never show Data, so a spec
// can be printed or logged safely; they say only how many bytes it holds.
type SecretSpec struct {
	Name   string            `json:",omitempty"`
	Labels map[string]string `json:",omitempty"`
	// Data is the secret (at most 500 KiB); it travels base64-encoded.
	// Leave it empty when Driver names an external store.
	Data []byte `json:",omitempty"`
	// Driver names the secrets driver of an external store.
	Driver *Driver `json:",omitempty"`
	// Templating names a templating driver ("golang") that expands the data
	// per task.
	Templating *Driver `json:",omitempty"`
}

// String describes the spec without its data.
func (s SecretSpec) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{Name:%s Labels:%s Data:%s", s.Name, labelString(s.Labels), redactData(s.Data))
	if s.Driver != nil {
		fmt.Fprintf(&b, " Driver:%s", s.Driver.Name)
	}
	if s.Templating != nil {
		fmt.Fprintf(&b, " Templating:%s", s.Templating.Name)
	}
	b.WriteByte('}')
	return b.String()
}

// Format prints String for every verb (%v, %+v, %#v, %s, %x, ...), so the
// data cannot leak through fmt.
func (s SecretSpec) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

// GoString is String, for %#v through other paths.
func (s SecretSpec) GoString() string { return s.String() }

// LogValue describes the spec to slog without its data.
func (s SecretSpec) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("name", s.Name),
		slog.Int("data_bytes", len(s.Data)),
	}
	if len(s.Labels) > 0 {
		attrs = append(attrs, slog.String("labels", labelString(s.Labels)))
	}
	if s.Driver != nil {
		attrs = append(attrs, slog.String("driver", s.Driver.Name))
	}
	return slog.GroupValue(attrs...)
}

func redactData(b []byte) string {
	if len(b) == 0 {
		return "[]"
	}
	return fmt.Sprintf("[redacted %d bytes]", len(b))
}

// labelString prints labels in key order.
func labelString(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("map[")
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k + ":" + m[k])
	}
	b.WriteByte(']')
	return b.String()
}

// Config is a config as GET /configs and GET /configs/{id} report it.
// Unlike a secret's, its data is returned.
type Config struct {
	ID        string
	Version   Version
	CreatedAt time.Time
	UpdatedAt time.Time
	Spec      ConfigSpec
}

// ConfigSpec is a config's configuration, the body of POST /configs/create
// and POST /configs/{id}/update (where only Labels may change).
type ConfigSpec struct {
	Name   string            `json:",omitempty"`
	Labels map[string]string `json:",omitempty"`
	// Data is the config's content (at most 1000 KiB); it travels
	// base64-encoded.
	Data []byte `json:",omitempty"`
	// Templating names a templating driver ("golang") that expands the data
	// per task.
	Templating *Driver `json:",omitempty"`
}
