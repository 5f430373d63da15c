package dockertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/image"
	"github.com/google/go-cmp/cmp"
)

func TestNegotiate(t *testing.T) {
	t.Parallel()
	offers := []string{"application/jsonl", "application/x-ndjson", "application/json-seq"}
	for _, tc := range []struct{ accept, want string }{
		{"", "application/json"},
		{"text/html", "application/json"},
		{"*/*", "application/jsonl"},
		{"application/*", "application/jsonl"},
		{"application/json-seq, application/x-ndjson", "application/x-ndjson"}, // equal weights: the Engine's order
		{"application/json-seq, application/x-ndjson;q=0.9", "application/json-seq"},
		{"application/json-seq, */*;q=1", "application/json-seq"}, // exact beats a wildcard of the same weight
		{"application/jsonl;q=0, */*", "application/jsonl"},       // like the Engine: */* still matches what q=0 refused
		{"application/jsonl;q=0", "application/json"},
		{"application/jsonl;q=oops, application/x-ndjson", "application/x-ndjson"},
		{"application/json", "application/json"},
	} {
		r := httptest.NewRequest("GET", "/events", nil)
		if tc.accept != "" {
			r.Header.Set("Accept", tc.accept)
		}
		if got := negotiate(r, offers, "application/json"); got != tc.want {
			t.Errorf("Accept %q: %s, want %s", tc.accept, got, tc.want)
		}
	}
}

// rawEvents reads the events of [since, now] as a client pinned to
// version sends them with Accept, returning the Content-Type and the
// objects as the daemon wrote them.
func rawEvents(t *testing.T, srv *Server, version, accept string, since time.Time) (string, []map[string]any) {
	t.Helper()
	cli, err := docker.New(docker.WithHost(srv.URL()), docker.WithAPIVersion(version))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	h := http.Header{}
	if accept != "" {
		h.Set("Accept", accept)
	}
	resp, err := cli.Do(t.Context(), &docker.Request{Path: "/events", Header: h, Stream: true,
		Query: map[string][]string{"since": {docker.FormatTime(since)}, "until": {docker.FormatTime(time.Now())}}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	ct := resp.Header.Get("Content-Type")
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Bytes()
		if ct == "application/json-seq" {
			if len(line) == 0 || line[0] != 0x1e {
				t.Fatalf("json-seq record without a separator: %q", line)
			}
			line = line[1:]
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		out = append(out, m)
	}
	return ct, out
}

// TestEventsEras checks the events stream of the Engine the fake plays
// and of the version a request names: the media type (chosen from 1.52),
// the deprecated fields (gone from 1.52), image "create" events (from
// 1.46) and die's restarting attribute (from 1.57).
func TestEventsEras(t *testing.T) {
	t.Parallel()
	type seen struct {
		ContentType string
		Legacy      bool     // status, id and from were sent
		Actions     []string // image and container actions, in order
		Restarting  []string // the restarting attribute of each die
	}
	for _, tc := range []struct {
		advertise, request, accept string
		want                       seen
	}{
		{"1.41", "1.41", "application/jsonl", seen{"application/json", true, []string{"image tag", "container create", "container start", "container kill", "container die", "container start", "container restart"}, []string{""}}},
		{"1.51", "1.51", "application/x-ndjson", seen{"application/json", true, []string{"image create", "image tag", "container create", "container start", "container kill", "container die", "container start", "container restart"}, []string{""}}},
		{"1.52", "1.52", "application/jsonl, application/json-seq", seen{"application/json-seq", false, []string{"image create", "image tag", "container create", "container start", "container kill", "container die", "container start", "container restart"}, []string{""}}},
		{"1.57", "1.57", "", seen{"application/json", false, []string{"image create", "image tag", "container create", "container start", "container kill", "container die", "container start", "container restart"}, []string{"true"}}},
		{"1.57", "1.57", "*/*", seen{"application/jsonl", false, []string{"image create", "image tag", "container create", "container start", "container kill", "container die", "container start", "container restart"}, []string{"true"}}},
		// An old client of a new Engine: versioned changes follow the
		// request, the others the Engine.
		{"1.57", "1.45", "application/x-ndjson", seen{"application/x-ndjson", true, []string{"image tag", "container create", "container start", "container kill", "container die", "container start", "container restart"}, []string{"true"}}},
	} {
		t.Run(tc.advertise+"/"+tc.request+"/"+tc.accept, func(t *testing.T) {
			t.Parallel()
			srv := NewServer(t, WithAPIVersion(tc.advertise))
			srv.HandleProcess("app", func(ctx context.Context, p *ProcessIO) int { <-ctx.Done(); return 143 })
			since := time.Now().Add(-time.Second)
			buildAndRestart(t, srv)
			ct, evs := rawEvents(t, srv, tc.request, tc.accept, since)
			got := seen{ContentType: ct, Legacy: len(evs) > 0}
			for _, ev := range evs {
				typ, _ := ev["Type"].(string)
				action, _ := ev["Action"].(string)
				if typ != "image" && typ != "container" {
					continue
				}
				got.Actions = append(got.Actions, typ+" "+action)
				_, status := ev["status"]
				_, id := ev["id"]
				got.Legacy = got.Legacy && status && id
				if action == "die" {
					attrs, _ := ev["Actor"].(map[string]any)["Attributes"].(map[string]any)
					r, _ := attrs["restarting"].(string)
					got.Restarting = append(got.Restarting, r)
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

// buildAndRestart builds app:1 (a new image, tagged) and runs a container
// of it that it restarts once.
func buildAndRestart(t *testing.T, srv *Server) {
	t.Helper()
	ctx := t.Context()
	bctx, err := image.ContextFromFiles(image.ContextFile{Name: "Dockerfile", Data: []byte("FROM scratch\nLABEL era=test\nENTRYPOINT [\"app\"]\n")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := image.New(srv.Client()).BuildAndWait(ctx, bctx, nil, image.Tags("app:1")); err != nil {
		t.Fatal(err)
	}
	ctrs := container.New(srv.Client())
	c, err := ctrs.Create(ctx, container.Config{Image: "app:1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ctrs.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := ctrs.Restart(ctx, c.ID, container.Timeout(time.Second)); err != nil {
		t.Fatal(err)
	}
}
