package contract

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
)

// Target is the Engine a contract run talks to.
type Target struct {
	Name   string         // "fake" or "engine", for messages
	Client *docker.Client // a client pointed at it
	Image  string         // a reference to the test image (entrypoint /berth-test)
	Labels map[string]string
	// Fake is true for dockertest: cases that document a difference skip.
	Fake bool
}

// Run runs every contract case against tg as subtests.
func Run(t *testing.T, tg Target) {
	for _, c := range slices.Concat(cases, networkCases, volumeCases, buildCases, swarmCases) {
		t.Run(c.name, func(t *testing.T) {
			if c.skipFake != "" && tg.Fake {
				t.Skip("differs on the fake: " + c.skipFake)
			}
			h := &harness{T: t, tg: tg, ctrs: container.New(tg.Client)}
			c.run(h)
		})
	}
}

type contractCase struct {
	name     string
	skipFake string // the documented reason the fake skips this case
	run      func(h *harness)
}

// harness is what each case gets: the target and helpers that clean up.
type harness struct {
	*testing.T
	tg   Target
	ctrs *container.Service
}

// atLeast reports whether the target speaks API v or newer. Cases branch
// on it where Engines differ by version; the client negotiates, so this is
// the Engine's own version (or berth's newest, if the Engine is newer).
func (h *harness) atLeast(v string) bool {
	h.Helper()
	have, err := h.tg.Client.NegotiateAPIVersion(h.ctx())
	if err != nil {
		h.Fatal(err)
	}
	return docker.CompareVersions(have, v) >= 0
}

// ctx is bounded so no case can hang a run.
func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(h.Context(), 2*time.Minute)
	h.Cleanup(cancel)
	return ctx
}

// create makes a container of the test image running args, with the run's
// labels and no network, removed when the case ends.
func (h *harness) create(cfg container.Config, opts ...container.CreateOption) string {
	h.Helper()
	return h.createWith(cfg, container.HostConfig{}, opts...)
}

// createWith is create with a host configuration (its NetworkMode is
// always "none").
func (h *harness) createWith(cfg container.Config, hc container.HostConfig, opts ...container.CreateOption) string {
	h.Helper()
	cfg.Image = h.tg.Image
	if cfg.Labels == nil {
		cfg.Labels = map[string]string{}
	}
	for k, v := range h.tg.Labels {
		cfg.Labels[k] = v
	}
	hc.NetworkMode = "none"
	opts = append([]container.CreateOption{container.WithHostConfig(hc)}, opts...)
	c, err := h.ctrs.Create(h.ctx(), cfg, opts...)
	if err != nil {
		h.Fatalf("create: %v", err)
	}
	h.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = h.ctrs.Remove(ctx, c.ID, container.Force())
	})
	return c.ID
}

// run creates, starts and waits for a container, returning its id and exit
// status.
func (h *harness) run(cfg container.Config) (string, int64) {
	h.Helper()
	return h.runWith(cfg, container.HostConfig{})
}

// runWith is run with a host configuration.
func (h *harness) runWith(cfg container.Config, hc container.HostConfig) (string, int64) {
	h.Helper()
	id := h.createWith(cfg, hc)
	ctx := h.ctx()
	if err := h.ctrs.Start(ctx, id); err != nil {
		h.Fatalf("start: %v", err)
	}
	exit, err := h.ctrs.Wait(ctx, id)
	if err != nil {
		h.Fatalf("wait: %v", err)
	}
	return id, exit.StatusCode
}
