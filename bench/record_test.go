package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
)

// recordedEvents is how many events testdata/events.jsonl holds.
const recordedEvents = 2000

// TestRecordFixtures captures, from the real Engine, the fixtures the
// in-memory benchmarks replay: testdata/events.jsonl (recordedEvents events
// as the Engine sent them, one per line) and
// testdata/container-summary.json (one entry of GET /containers/json, the
// template of the 1000-container list). It runs only with
// BERTH_BENCH_RECORD=1:
//
//	BERTH_BENCH_RECORD=1 go test -run TestRecordFixtures -v
//
// The events come from containers that start, run execs, get killed and
// removed, and from image tags: the mix a busy host streams.
func TestRecordFixtures(t *testing.T) {
	if os.Getenv("BERTH_BENCH_RECORD") != "1" {
		t.Skip("set BERTH_BENCH_RECORD=1 to record the fixtures from the daemon")
	}
	cli := setupClient(t)
	image := testImage(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()

	resp, err := cli.Do(ctx, &docker.Request{Path: "/events", Stream: true,
		Query: map[string][]string{"since": {docker.FormatTime(time.Now())}}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan []byte, recordedEvents)
	go func() { // ends when the body is closed (deferred above) or ends
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			lines <- bytes.Clone(sc.Bytes())
		}
	}()

	var events bytes.Buffer
	n := 0
	ctrs := container.New(cli)
	for round := 0; n < recordedEvents && round < 200; round++ {
		if err := eventRound(ctx, cli, ctrs, image, round); err != nil {
			t.Fatal(err)
		}
	drain:
		for n < recordedEvents {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatal("the event stream ended")
				}
				events.Write(l)
				events.WriteByte('\n')
				n++
			case <-time.After(500 * time.Millisecond):
				break drain
			}
		}
	}
	if n < recordedEvents {
		t.Fatalf("recorded %d events, want %d", n, recordedEvents)
	}
	writeFixture(t, "events.jsonl", events.Bytes())

	// One container of this run, as GET /containers/json lists it.
	list, err := cli.Do(ctx, &docker.Request{Path: "/containers/json",
		Query: map[string][]string{"all": {"1"}, "limit": {"1"}, "filters": {fmt.Sprintf(`{"label":[%q]}`, labelRun+"="+runID)}}})
	if err != nil {
		t.Fatal(err)
	}
	defer list.Body.Close()
	var summaries []json.RawMessage
	if err := json.NewDecoder(list.Body).Decode(&summaries); err != nil || len(summaries) != 1 {
		t.Fatalf("listing: %v (%d entries)", err, len(summaries))
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, summaries[0], "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	writeFixture(t, "container-summary.json", pretty.Bytes())
}

// eventRound makes a container go through its life (create, start, ten
// execs, kill, remove; the last one is kept for the list template) and
// tags and untags the image.
func eventRound(ctx context.Context, cli *docker.Client, ctrs *container.Service, image string, round int) error {
	id, err := createContainer(ctx, cli, image, container.HostConfig{}, labels(), "sleep", "60")
	if err != nil {
		return err
	}
	if err := ctrs.Start(ctx, id); err != nil {
		return err
	}
	for i := range 10 {
		exec, err := ctrs.ExecCreate(ctx, id, container.ExecConfig{Cmd: []string{"/berth-test", "echo", strconv.Itoa(i)}})
		if err != nil {
			return err
		}
		if err := ctrs.ExecStartDetached(ctx, exec); err != nil {
			return err
		}
	}
	if err := ctrs.Kill(ctx, id); err != nil {
		return err
	}
	if _, err := ctrs.Wait(ctx, id); err != nil {
		return err
	}
	if round > 0 {
		if err := ctrs.Remove(ctx, id); err != nil {
			return err
		}
	}
	repo := "berth-bench-record-" + runID
	req := &docker.Request{Method: http.MethodPost, Path: "/images/" + image + "/tag",
		Query: map[string][]string{"repo": {repo}, "tag": {strconv.Itoa(round)}}}
	if err := cli.DoJSON(ctx, req, nil); err != nil {
		return err
	}
	return cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: "/images/" + repo + ":" + strconv.Itoa(round)}, nil)
}

func writeFixture(t *testing.T, name string, data []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", path, len(data))
}
