package docker_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/berth-go/berth/docker"
)

func Example() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	ctx := context.Background()
	v, err := cli.Version(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Engine", v.Version, "API", cli.APIVersion())
}

// A Client can talk to any HTTP server that speaks the Engine API, such as an
// httptest fake.
func ExampleWithHost() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", "1.41")
		w.Header().Set("OSType", "linux")
		fmt.Fprint(w, "OK")
	}))
	defer srv.Close()

	cli, err := docker.New(docker.WithHost(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	p, err := cli.Ping(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.APIVersion, p.OSType)
	// Output: 1.41 linux
}

func ExampleClient_Events() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Replay the last ten minutes of container events, then stop.
	for ev, err := range cli.Events(ctx, docker.Since(time.Now().Add(-10*time.Minute)), docker.Until(time.Now()),
		docker.Filter("type", "container")) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ev.When().Format(time.RFC3339), ev.Action, ev.Actor.Attributes["name"])
	}
}

func ExampleError() {
	err := error(&docker.Error{StatusCode: 404, Message: "No such container: web", Method: "GET", Path: "/containers/web/json"})
	fmt.Println(errors.Is(err, docker.ErrNotFound))
	fmt.Println(err)
	// Output:
	// true
	// docker: GET /containers/web/json: 404 No such container: web
}

func ExampleFilters() {
	f := docker.Filters{}
	f.Add("label", "app=web")
	f.Add("status", "running", "paused")
	fmt.Println(f.Encode())
	// Output: {"label":["app=web"],"status":["running","paused"]}
}

// Do reaches endpoints berth does not wrap; the version prefix, headers and
// error mapping are still applied.
func ExampleClient_Do() {
	cli, err := docker.New(docker.FromEnv())
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	var body struct{ Containers int }
	if err := cli.DoJSON(context.Background(), &docker.Request{Path: "/info"}, &body); err != nil {
		log.Fatal(err)
	}
	fmt.Println(body.Containers, "containers")
}
