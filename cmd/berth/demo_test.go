package main

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
)

// wantInOrder fails t unless each of lines occurs in out, each after the
// one before.
func wantInOrder(t *testing.T, out string, lines ...string) {
	t.Helper()
	rest := out
	for _, l := range lines {
		i := strings.Index(rest, l)
		if i < 0 {
			t.Fatalf("output lacks %q (or has it too early):\n%s", l, out)
		}
		rest = rest[i+len(l):]
	}
}

// TestDemoInMemory runs the tour as `berth demo` does by default, in
// process, and checks its key lines.
func TestDemoInMemory(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"--host", memoryHost, "demo"}, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("demo: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	wantInOrder(t, out.String(),
		"a tour of the berth library on the in-memory Engine",
		"$ berth build -t berth-demo:", "Step 1/3 : FROM scratch", "Successfully tagged berth-demo:",
		"$ berth run -i --name berth-demo-", "--network none", "hello, berth    # typed\nhello, berth\n",
		"$ berth exec berth-demo-", " false\nexit status 1\n",
		"$ berth cp berth-demo-", "greeting.txt (-rw-r--r--, 33 bytes): Hello from an image berth built.\n",
		"$ berth logs -f berth-demo-", "hello, berth\n",
		"$ berth wait berth-demo-", "\n0\n",
		"# swarm init",
		"$ printf not-a-real-secret | berth secret create",
		"$ berth service create --name berth-demo-", "--replicas 1 --secret", "converged: task berth-demo-", ".1 is running",
		"/run/secrets/berth-demo-", "(-r--r--r--, 17 bytes): not-a-real-secret",
		"$ berth service rm", "# swarm leave --force",
		"$ berth events", "image tag berth-demo:", "container create berth-demo-", "container exec_die berth-demo-",
		"container destroy berth-demo-", "service create berth-demo-", "secret remove berth-demo-",
		"$ berth rmi berth-demo:", "Untagged: berth-demo:",
		"left nothing behind",
	)
	if errOut.Len() > 0 {
		t.Errorf("stderr: %s", errOut.String())
	}
}

// daemonForTour is a fake Engine that stands in for a daemon (not the
// memory host): the tour's image program there is the integration tests'
// berth-test, whose cat and exit the fake plays.
func daemonForTour(t *testing.T) *dockertest.Server {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles the tour's image program (-short)")
	}
	srv := dockertest.NewServer(t)
	srv.HandleProcess("berth-test", func(ctx context.Context, p *dockertest.ProcessIO) int {
		switch {
		case len(p.Args) == 2 && p.Args[1] == "cat":
			if _, err := io.Copy(p.Stdout, p.Stdin); err != nil {
				return 1
			}
			return 0
		case len(p.Args) == 3 && p.Args[1] == "exit":
			n, err := strconv.Atoi(p.Args[2])
			if err != nil {
				return 2
			}
			return n
		}
		return 127
	})
	return srv
}

// leftovers counts the containers and images of the fake that carry the
// tour's label.
func leftovers(t *testing.T, srv *dockertest.Server) int {
	t.Helper()
	ctrs, err := container.New(srv.Client()).List(t.Context(), container.All(), container.Filter("label", demoLabel))
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := image.New(srv.Client()).List(t.Context(), image.All(), image.Filter("label", demoLabel))
	if err != nil {
		t.Fatal(err)
	}
	return len(ctrs) + len(imgs)
}

// TestDemoOnADaemon tours a named daemon: the image carries the program it
// compiled, the swarm is left alone, the events are the tour's own, and
// nothing is left.
func TestDemoOnADaemon(t *testing.T) {
	t.Parallel()
	srv := daemonForTour(t)
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"--host", srv.Host(), "demo"}, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("demo: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	wantInOrder(t, out.String(),
		"a tour of the berth library on the daemon at "+srv.Host(),
		"go build -trimpath -ldflags=-s -o berth-test "+imageProgramPackage, "berth-test: ",
		"$ berth build -t berth-demo:", "greeting.txt, berth-test", "COPY berth-test /berth-test", "Successfully tagged",
		"hello, berth    # typed\nhello, berth\n",
		" /berth-test exit 3\nexit status 3\n",
		"Hello from an image berth built.\n",
		"# swarm: skipped on a daemon",
		"$ berth events", "--filter label=berth.demo=", "container create berth-demo-",
		"left nothing behind",
	)
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/swarm") || strings.HasPrefix(r.Path, "/services") || strings.HasPrefix(r.Path, "/secrets") {
			t.Errorf("the tour of a daemon sent %s %s", r.Method, r.Path)
		}
	}
	if n := leftovers(t, srv); n != 0 {
		t.Errorf("%d labelled objects left", n)
	}
}

// TestDemoCleansUpAfterFailure makes a step fail on a daemon: the tour
// fails, and removes what it had made.
func TestDemoCleansUpAfterFailure(t *testing.T) {
	t.Parallel()
	srv := daemonForTour(t)
	srv.Inject(dockertest.Fault{Route: "ExecStart", Status: 500, Message: "injected", Times: 1})
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"--host", srv.Host(), "demo"}, strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "injected") {
		t.Fatalf("err = %v, want the injected failure\nstdout:\n%s", err, out.String())
	}
	if !strings.Contains(errOut.String(), "that the failed tour left") {
		t.Errorf("stderr does not report the clean-up: %s", errOut.String())
	}
	if n := leftovers(t, srv); n != 0 {
		t.Errorf("%d labelled objects left after the failure", n)
	}
}
