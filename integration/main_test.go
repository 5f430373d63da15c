package integration

import (
	"context"
	"net/http"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/testing/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// rawContainer creates a container of the test image through Do, for the
// core's own tests (the container package has its own), and removes it when
// the test ends.
func rawContainer(t *testing.T, cli *docker.Client, body map[string]any) string {
	t.Helper()
	body["Image"] = testenv.Image(t)
	body["Labels"] = testenv.Labels()
	hc, _ := body["HostConfig"].(map[string]any)
	if hc == nil {
		hc = map[string]any{}
	}
	hc["NetworkMode"] = "none"
	body["HostConfig"] = hc
	var created struct {
		ID string `json:"Id"`
	}
	ctx := testenv.Context(t, time0)
	if err := cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/containers/create", JSON: body}, &created); err != nil {
		t.Fatalf("create container: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time0)
		defer cancel()
		_ = cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: "/containers/" + created.ID, Query: map[string][]string{"force": {"1"}}}, nil)
	})
	return created.ID
}
