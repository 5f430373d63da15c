package image

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCommit(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", jsonBody(`{"Id":"sha256:`+hex64+`"}`))
	stop := 5
	cfg := Config{Cmd: []string{"serve"}, Env: []string{"A=1"}, Labels: map[string]string{"k": "v"}, ExposedPorts: map[string]struct{}{"80/tcp": {}}, StopTimeout: &stop}
	id, err := f.svc.Commit(t.Context(), "ctr1", cfg,
		Repo("registry.local:5000/app:snap"), Comment("snapshot"), Author("Jane <j@example.com>"), NoPause(), Changes("ENV B=2", "WORKDIR /app"))
	if err != nil {
		t.Fatal(err)
	}
	if id != "sha256:"+hex64 {
		t.Errorf("id = %q", id)
	}
	r := f.last(t)
	if r.Method != "POST" || r.Path != "/commit" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	want := url.Values{
		"container": {"ctr1"},
		"repo":      {"registry.local:5000/app"},
		"tag":       {"snap"},
		"comment":   {"snapshot"},
		"author":    {"Jane <j@example.com>"},
		"pause":     {"0"},
		"changes":   {"ENV B=2", "WORKDIR /app"},
	}
	if diff := cmp.Diff(want, r.Query); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		t.Fatal(err)
	}
	wantBody := map[string]any{"Cmd": []any{"serve"}, "Env": []any{"A=1"}, "Labels": map[string]any{"k": "v"}, "ExposedPorts": map[string]any{"80/tcp": map[string]any{}}, "StopTimeout": 5.0}
	if diff := cmp.Diff(wantBody, body); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
}

func TestCommitDefaults(t *testing.T) {
	t.Parallel()
	f := setup(t, "1.41", jsonBody(`{"Id":"sha256:1"}`))
	if _, err := f.svc.Commit(t.Context(), "c", Config{}); err != nil {
		t.Fatal(err)
	}
	r := f.last(t)
	if diff := cmp.Diff(url.Values{"container": {"c"}}, r.Query); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
	if r.Body != "{}" {
		t.Errorf("body = %q, want {}", r.Body)
	}
	if _, err := f.svc.Commit(t.Context(), "c", Config{}, Repo("a@"+dgst)); err == nil {
		t.Error("a digest repo was accepted")
	}
	// Podman answers the ID without sha256:.
	f = setup(t, "1.41", jsonBody(`{"Id":"`+hex64+`"}`))
	if id, err := f.svc.Commit(t.Context(), "c", Config{}); err != nil || id != "sha256:"+hex64 {
		t.Errorf("Commit = %q, %v; want sha256:%s", id, err, hex64)
	}
}
