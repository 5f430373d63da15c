package testenv

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// Main runs the tests and then removes everything this run created that
// carries its label (containers, networks, volumes, images, the test image),
// whatever the tests' outcome. Use it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if err := CleanupRun(); err != nil {
		fmt.Fprintln(os.Stderr, "testenv: cleanup:", err)
	}
	os.Exit(code)
}

// CleanupRun removes this run's labelled objects from the daemon, if one
// was used.
func CleanupRun() error {
	cli := daemon.cli
	if cli == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var firstErr error
	note := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	f := url.Values{"filters": {docker.Filters{"label": {RunFilter()}}.Encode()}}

	var ctrs []struct {
		ID string `json:"Id"`
	}
	note(cli.DoJSON(ctx, &docker.Request{Path: "/containers/json", Query: url.Values{"all": {"1"}, "filters": f["filters"]}}, &ctrs))
	for _, c := range ctrs {
		note(remove(ctx, cli, "/containers/{}", c.ID, url.Values{"force": {"1"}, "v": {"1"}}))
	}
	var nets []struct {
		ID string `json:"Id"`
	}
	note(cli.DoJSON(ctx, &docker.Request{Path: "/networks", Query: f}, &nets))
	for _, n := range nets {
		note(remove(ctx, cli, "/networks/{}", n.ID, nil))
	}
	var vols struct{ Volumes []struct{ Name string } }
	note(cli.DoJSON(ctx, &docker.Request{Path: "/volumes", Query: f}, &vols))
	for _, v := range vols.Volumes {
		note(remove(ctx, cli, "/volumes/{}", v.Name, url.Values{"force": {"1"}}))
	}
	var imgs []struct {
		ID string `json:"Id"`
	}
	note(cli.DoJSON(ctx, &docker.Request{Path: "/images/json", Query: f}, &imgs))
	for _, i := range imgs {
		note(remove(ctx, cli, "/images/{}", i.ID, url.Values{"force": {"1"}}))
	}
	return firstErr
}

func remove(ctx context.Context, cli *docker.Client, pattern, id string, q url.Values) error {
	p, err := httpx.Path(pattern, "id", id)
	if err != nil {
		return err
	}
	err = cli.DoJSON(ctx, &docker.Request{Method: http.MethodDelete, Path: p, Query: q}, nil)
	if err != nil && !errorIsGone(err) {
		return err
	}
	return nil
}

func errorIsGone(err error) bool {
	var de *docker.Error
	if errors.As(err, &de) {
		return de.StatusCode == http.StatusNotFound
	}
	return false
}
