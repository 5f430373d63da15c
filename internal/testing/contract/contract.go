package contract

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// Target is the Engine a contract run talks to.
type Target struct {
	Name   string         // "fake" or "engine", for messages
	Client *docker.Client // a client pointed at it
	Image  string         // a reference to the test image (entrypoint /berth-test)
	Labels map[string]string
	// Fake is true for dockertest: cases that document a difference skip.
	Fake bool
	// Podman is true for Podman's Docker-compatible service: cases skip,
	// or branch, for the differences testenv names.
	Podman bool
}

// Run runs every contract case against tg as subtests.
func Run(t *testing.T, tg Target) {
	for _, c := range slices.Concat(cases, networkCases, volumeCases, buildCases, swarmCases) {
		t.Run(c.name, func(t *testing.T) {
			if c.skipFake != "" && tg.Fake {
				t.Skip("differs on the fake: " + c.skipFake)
			}
			if c.skipPodman.ID != "" && tg.Podman {
				t.Skip(c.skipPodman.String())
			}
			h := &harness{T: t, tg: tg, ctrs: container.New(tg.Client)}
			c.run(h)
		})
	}
}

type contractCase struct {
	name       string
	skipFake   string             // the documented reason the fake skips this case
	skipPodman testenv.Difference // the difference Podman skips this case for
	run        func(h *harness)
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

// onPodman reports whether the target is Podman, logging d when it is:
// cases branch on it where Podman answers otherwise (see testenv.OnPodman).
func (h *harness) onPodman(d testenv.Difference) bool {
	h.Helper()
	if !h.tg.Podman {
		return false
	}
	h.Log(d.String())
	return true
}

// refused checks that err is the refusal want (a sentinel) or, on Podman,
// which answers most such refusals 500 (podman-status-500), a 500 whose
// message says podmanSays.
func (h *harness) refused(what string, err, want error, podmanSays string) {
	h.Helper()
	if msg := testenv.RefusalMismatch(h.tg.Podman, what, err, want, podmanSays); msg != "" {
		h.Error(msg)
	}
}

// now is the until of an events window that ends now. Podman stops
// reading events at the wall-clock moment until names
// (podman-events-until), so there the window ends a moment ahead.
func (h *harness) now() time.Time {
	h.Helper()
	if h.onPodman(testenv.PodmanEventsUntil) {
		return time.Now().Add(2 * time.Second)
	}
	return time.Now()
}

// tagged reports whether tags holds ref. Podman lists references
// qualified (podman-names): docker.io/library/NAME:TAG, or localhost/NAME:TAG
// for an image built or tagged locally.
func (h *harness) tagged(tags []string, ref string) bool {
	h.Helper()
	if slices.Contains(tags, ref) {
		return true
	}
	return h.tg.Podman && (slices.Contains(tags, "docker.io/library/"+ref) || slices.Contains(tags, "localhost/"+ref))
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
	return id, h.startWait(id)
}
