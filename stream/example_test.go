package stream_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/berth-go/berth/stream"
)

// Demux splits container output into its stdout and stderr.
func ExampleDemux() {
	// What the Engine sends for a container without a TTY: one frame per
	// write of the program, each tagged with its stream.
	var body bytes.Buffer
	stdout := stream.NewWriter(&body, stream.Stdout)
	stderr := stream.NewWriter(&body, stream.Stderr)
	fmt.Fprintln(stdout, "listening on :8080")
	fmt.Fprintln(stderr, "warning: no config file, using defaults")
	fmt.Fprintln(stdout, "ready")

	var errs strings.Builder
	n, err := stream.Demux(os.Stdout, &errs, &body)
	if err != nil {
		fmt.Println("demux:", err)
		return
	}
	fmt.Printf("stderr: %q\n", errs.String())
	fmt.Println(n, "bytes")
	// Output:
	// listening on :8080
	// ready
	// stderr: "warning: no config file, using defaults\n"
	// 65 bytes
}

// Frames reads a multiplexed stream one frame at a time.
func ExampleFrames() {
	var body bytes.Buffer
	io.WriteString(stream.NewWriter(&body, stream.Stdout), "hello")
	io.WriteString(stream.NewWriter(&body, stream.Stderr), "oops")
	for f, err := range stream.Frames(&body) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Printf("%s: %s\n", f.Kind, f.Data)
	}
	// Output:
	// stdout: hello
	// stderr: oops
}

// Decode reads a stream of JSON objects, such as the events stream.
func ExampleDecode() {
	body := strings.NewReader(`{"Type":"container","Action":"start","Actor":{"ID":"4f1c"}}
{"Type":"container","Action":"die","Actor":{"ID":"4f1c"}}
{"Type":"network","Action":"disconnect"`) // cut short
	type event struct {
		Type, Action string
		Actor        struct{ ID string }
	}
	for e, err := range stream.Decode[event](body) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(e.Type, e.Action, e.Actor.ID)
	}
	// Output:
	// container start 4f1c
	// container die 4f1c
	// error: stream: decoding JSON value at offset 117: unexpected EOF
}

// A Renderer draws pull, push, build and load progress. Given false, it
// writes plain lines fit for a log; given true, it redraws each layer's line
// in place.
func ExampleRenderer() {
	body := strings.NewReader(`{"status":"Pulling from library/alpine","id":"3.19"}
{"status":"Pulling fs layer","progressDetail":{},"id":"4abcf2066143"}
{"status":"Downloading","progressDetail":{"current":1048576,"total":3408729},"id":"4abcf2066143"}
{"status":"Pull complete","progressDetail":{},"id":"4abcf2066143"}
{"status":"Status: Downloaded newer image for alpine:3.19"}`)
	r := stream.NewRenderer(os.Stdout, false)
	for p, err := range stream.Decode[stream.Progress](body) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		if msg, _, failed := p.Failed(); failed {
			fmt.Println("failed:", msg)
			return
		}
		if err := r.Render(p); err != nil {
			return
		}
	}
	// Output:
	// 3.19: Pulling from library/alpine
	// 4abcf2066143: Pulling fs layer
	// 4abcf2066143: Pull complete
	// Status: Downloaded newer image for alpine:3.19
}

// IsMultiplexed decides how to read container output from the response's
// Content-Type, falling back to the container's TTY flag.
func ExampleIsMultiplexed() {
	fmt.Println(stream.IsMultiplexed("application/vnd.docker.raw-stream", false))
	fmt.Println(stream.IsMultiplexed("", false)) // API < 1.42: no TTY, so multiplexed
	fmt.Println(stream.IsMultiplexed("", true))
	// Output:
	// false
	// true
	// false
}
