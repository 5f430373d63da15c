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
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
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

// Since replays the events of a past window; with Until as well the loop
// ends by itself once the window is replayed. Here the daemon is the fake
// Engine of package dockertest.
func ExampleClient_Events_since() {
	srv, err := dockertest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	if _, err := srv.AddImage("app:1", image.Config{Entrypoint: []string{"app"}}, nil); err != nil {
		log.Fatal(err)
	}
	cli := srv.Client()
	ctx := context.Background()
	ctrs := container.New(cli)

	start := time.Now()
	c, err := ctrs.Create(ctx, container.Config{Image: "app:1"}, container.Name("web"))
	if err != nil {
		log.Fatal(err)
	}
	if err := ctrs.Remove(ctx, c.ID); err != nil {
		log.Fatal(err)
	}

	for ev, err := range cli.Events(ctx, docker.Since(start), docker.Until(time.Now()), docker.Filter("type", "container")) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ev.Type, ev.Action, ev.Actor.Attributes["name"])
	}
	// Output:
	// container create web
	// container destroy web
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
