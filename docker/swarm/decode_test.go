package swarm

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFixturesRoundTrip decodes bodies captured from Engine 20.10 (API 1.41),
// and bodies composed from the 1.56 specification's fields, into the
// package's types and encodes them again: every non-zero value the
// daemon sent must survive, so no field is missing from the types.
func TestFixturesRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		into func() any
	}{
		{"swarm-v1.41.json", func() any { return new(Info) }},
		{"nodes-v1.41.json", func() any { return new([]Node) }},
		{"service-v1.41.json", func() any { return new(Service) }},
		{"tasks-v1.41.json", func() any { return new([]Task) }},
		{"secrets-v1.41.json", func() any { return new([]Secret) }},
		{"configs-v1.41.json", func() any { return new([]Config) }},
		{"service-v1.56-composed.json", func() any { return new(Service) }},
		{"task-v1.56-composed.json", func() any { return new(Task) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			raw := fixture(t, tc.file)
			v := tc.into()
			if err := json.Unmarshal(raw, v); err != nil {
				t.Fatal(err)
			}
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			var want, got any
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(again, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(pruneZero(want), pruneZero(got)); diff != "" {
				t.Errorf("lost or changed in a round trip (-daemon +berth):\n%s", diff)
			}
		})
	}
}

// pruneZero drops zero values (false, 0, "", empty objects and arrays) from
// decoded JSON, since the types omit some of them when encoding.
func pruneZero(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if p := pruneZero(e); p != nil {
				out[k] = p
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		if len(x) == 0 {
			return nil
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = pruneZero(e)
		}
		return out
	case string:
		if x == "" || x == "0001-01-01T00:00:00Z" {
			return nil
		}
	case float64:
		if x == 0 {
			return nil
		}
	case bool:
		if !x {
			return nil
		}
	case nil:
		return nil
	}
	return v
}
