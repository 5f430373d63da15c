package integration

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/swarm"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// swNodesService is a service of the test image that sleeps until stopped.
func swNodesService(name, imageID string, mode swarm.ServiceMode) swarm.ServiceSpec {
	grace := time.Second
	return swarm.ServiceSpec{
		Name:   testenv.Name(name),
		Labels: testenv.Labels(),
		TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{
			Image: imageID, Labels: testenv.Labels(), Args: []string{"sleep", "10m"}, StopGracePeriod: &grace,
		}},
		Mode:         mode,
		UpdateConfig: &swarm.UpdateConfig{Parallelism: 0, Order: "stop-first", Monitor: 200 * time.Millisecond},
		EndpointSpec: &swarm.EndpointSpec{Mode: "dnsrr"},
	}
}

// swCopyImage copies an image from one Engine to the other through save
// and load, which keep its id: services name the image by id, so that no
// node tries to pull it.
func swCopyImage(t *testing.T, ctx context.Context, from, to *docker.Client, id string) {
	t.Helper()
	r, err := image.New(from).Save(ctx, id)
	if err != nil {
		t.Fatalf("save the test image: %v", err)
	}
	defer r.Close()
	loaded, err := image.New(to).LoadAndWait(ctx, r, nil)
	if err != nil {
		t.Fatalf("load the test image into the worker: %v", err)
	}
	if len(loaded) != 1 || loaded[0] != id {
		t.Fatalf("loaded %q, want %s", loaded, id)
	}
}

// swSetAvailability sets a node's availability.
func swSetAvailability(t *testing.T, ctx context.Context, nodes *swarm.Nodes, id string, a swarm.NodeAvailability) {
	t.Helper()
	if err := swUpdateNode(ctx, nodes, id, func(s *swarm.NodeSpec) { s.Availability = a }); err != nil {
		t.Fatalf("set availability %s: %v", a, err)
	}
	if n, err := nodes.Inspect(ctx, id); err != nil || n.Spec.Availability != a {
		t.Fatalf("availability %s after update (err %v), want %s", n.Spec.Availability, err, a)
	}
}

// swRunningOn counts the service's running tasks (meant to run, and
// running as last reported) per node id.
func swRunningOn(ctx context.Context, tasks *swarm.Tasks, serviceID string) (map[string]int, error) {
	list, err := tasks.List(ctx, swarm.Filter("service", serviceID), swarm.Filter("desired-state", "running"))
	if err != nil {
		return nil, err
	}
	on := map[string]int{}
	for _, t := range list {
		if t.Status.State == swarm.TaskStateRunning {
			on[t.NodeID]++
		}
	}
	return on, nil
}

// swNodeStates describes nodes for a message.
func swNodeStates(list []swarm.Node) string {
	var b strings.Builder
	for i, n := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s %s %s %s", n.ID, n.Spec.Role, n.Status.State, n.Spec.Availability, n.Status.Addr)
	}
	return b.String()
}

// swPoll calls check every 250ms until it reports done, and returns how
// long that took. It gives up when ctx ends or limit has passed, with the
// state check last described.
func swPoll(ctx context.Context, limit time.Duration, check func(context.Context) (done bool, state string, err error)) (time.Duration, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		done, state, err := check(ctx)
		if err == nil && done {
			return time.Since(start), nil
		}
		select {
		case <-ctx.Done():
			return time.Since(start), fmt.Errorf("after %v: %s (last error: %v)", time.Since(start).Round(time.Millisecond), state, err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// swTimings collects the measured times of the two-node test's steps.
type swTimings struct {
	mu    sync.Mutex
	steps []string
}

func (s *swTimings) add(step string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, fmt.Sprintf("%s %v", step, d.Round(time.Millisecond)))
}

func (s *swTimings) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "timings: " + strings.Join(s.steps, ", ")
}

// swLog is a buffer a logger writes to while the test reads it.
type swLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *swLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *swLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
