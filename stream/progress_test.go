package stream_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/stream"
)

// readProgress decodes a captured progress stream from testdata.
func readProgress(t *testing.T, name string) []stream.Progress {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var msgs []stream.Progress
	for p, err := range stream.Decode[stream.Progress](f) {
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, p)
	}
	return msgs
}

func TestProgressFromEngine(t *testing.T) {
	t.Parallel()
	load := readProgress(t, "load.jsonl")
	want := stream.Progress{
		Status:         "Loading layer",
		ID:             "2a8da5598f27",
		Progress:       "[>                                                  ]  32.77kB/3.002MB",
		ProgressDetail: &stream.ProgressDetail{Current: 32768, Total: 3001856},
	}
	if diff := cmp.Diff(want, load[0]); diff != "" {
		t.Errorf("load.jsonl, first message (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(stream.Progress{Stream: "Loaded image: berth-stream-capture:1\n"}, load[len(load)-1]); diff != "" {
		t.Errorf("load.jsonl, last message (-want +got):\n%s", diff)
	}

	build := readProgress(t, "build.jsonl")
	var aux struct{ ID string }
	for _, p := range build {
		if p.Aux != nil {
			if err := json.Unmarshal(p.Aux, &aux); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, failed := p.Failed(); failed {
			t.Errorf("build.jsonl: %+v failed", p)
		}
	}
	if want := "sha256:f21f0bf18009857348a4fdfeb21dd395d564e9750ac7c3e1526a120b3c703da4"; aux.ID != want {
		t.Errorf("build.jsonl: aux ID = %q, want %q", aux.ID, want)
	}

	failedBuild := readProgress(t, "build-error.jsonl")
	msg, code, failed := failedBuild[len(failedBuild)-1].Failed()
	wantMsg := `failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown`
	if !failed || code != 0 || msg != wantMsg {
		t.Errorf("build-error.jsonl: Failed() = %q, %d, %v; want %q, 0, true", msg, code, failed, wantMsg)
	}
}

func TestProgressFailed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       stream.Progress
		wantMsg  string
		wantCode int
		failed   bool
	}{
		{"no error", stream.Progress{Status: "Pull complete"}, "", 0, false},
		{"errorDetail wins", stream.Progress{Error: "old", ErrorDetail: &stream.ErrorDetail{Code: 401, Message: "unauthorized"}}, "unauthorized", 401, true},
		{"error only", stream.Progress{Error: "manifest unknown"}, "manifest unknown", 0, true},
		{"empty errorDetail message", stream.Progress{Error: "text", ErrorDetail: &stream.ErrorDetail{Code: 500}}, "text", 500, true},
		{"empty errorDetail alone", stream.Progress{ErrorDetail: &stream.ErrorDetail{}}, "unknown error", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg, code, failed := tt.in.Failed()
			if msg != tt.wantMsg || code != tt.wantCode || failed != tt.failed {
				t.Errorf("Failed() = %q, %d, %v; want %q, %d, %v", msg, code, failed, tt.wantMsg, tt.wantCode, tt.failed)
			}
		})
	}
}

func TestProgressJSON(t *testing.T) {
	t.Parallel()
	p := stream.Progress{
		Status: "Downloading", ID: "abc", Progress: "[=>]",
		ProgressDetail: &stream.ProgressDetail{Current: 1, Total: 2, Unit: "layers", HideCounts: true},
		Aux:            json.RawMessage(`{"Tag":"1"}`),
		ErrorDetail:    &stream.ErrorDetail{Code: 1, Message: "m"}, Error: "m",
	}
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"status":"Downloading","id":"abc","progress":"[=\u003e]",` +
		`"progressDetail":{"current":1,"total":2,"units":"layers","hidecounts":true},` +
		`"aux":{"Tag":"1"},"error":"m","errorDetail":{"code":1,"message":"m"}}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got, _ := json.Marshal(stream.Progress{}); string(got) != "{}" {
		t.Errorf("zero Progress marshals to %s, want {}", got)
	}
}
