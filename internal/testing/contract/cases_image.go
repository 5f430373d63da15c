package contract

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// buildCases build FROM the local test image, which needs no registry.
var buildCases = []contractCase{
	{name: "BuildCopyThenRun", run: func(h *harness) {
		ctx := h.ctx()
		imgs := image.New(h.tg.Client)
		ref := "berth-contract-build:" + strings.ToLower(strings.TrimPrefix(testenv.Name("b"), "berth-"))
		const greeting = "built by the contract suite\n"
		bctx, err := image.ContextFromFiles(
			image.ContextFile{Name: "Dockerfile", Data: []byte("FROM " + h.tg.Image + "\nENV GREETING=hello\nCOPY greeting.txt /greet/greeting.txt\nCOPY dir /copied/\n")},
			image.ContextFile{Name: "greeting.txt", Data: []byte(greeting)},
			image.ContextFile{Name: "dir/sub/deep.txt", Data: []byte("deep")},
		)
		if err != nil {
			h.Fatal(err)
		}
		h.Cleanup(func() { // after the containers' removal, which runs first
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, _ = imgs.Remove(ctx, ref, image.Force())
		})
		var steps []string
		var id string
		for p, err := range imgs.Build(ctx, bctx, image.Tags(ref), image.Labels(h.labels(nil))) {
			if err != nil {
				h.Fatalf("build: %v\n%s", err, strings.Join(steps, ""))
			}
			steps = append(steps, p.Stream)
			var aux struct{ ID string }
			if len(p.Aux) > 0 && docker.DecodeAux(p.Aux, &aux) == nil {
				id = aux.ID
			}
		}
		out := strings.Join(steps, "")
		wants := []string{"Step 1/", " : FROM " + h.tg.Image, " : COPY greeting.txt /greet/greeting.txt\n ---> "}
		if h.onPodman(testenv.PodmanBuildOutput) {
			wants = []string{"STEP 1/", ": FROM " + h.tg.Image + "\n", ": COPY greeting.txt /greet/greeting.txt\n--> "}
		}
		for _, want := range append(wants, "Successfully built "+strings.TrimPrefix(id, "sha256:")[:12], "Successfully tagged "+ref) {
			if !strings.Contains(out, want) {
				h.Errorf("build output lacks %q:\n%s", want, out)
			}
		}
		d, err := imgs.Inspect(ctx, ref)
		if err != nil || d.ID != id {
			h.Fatalf("inspect = %s, %v; want %s", d.ID, err, id)
		}
		if d.Config == nil || !slices.Equal(d.Config.Entrypoint, []string{"/berth-test"}) || !slices.Contains(d.Config.Env, "GREETING=hello") {
			h.Errorf("built config = %+v", d.Config)
		}
		for k, v := range h.tg.Labels {
			if d.Config.Labels[k] != v {
				h.Errorf("label %s = %q, want %q", k, d.Config.Labels[k], v)
			}
		}
		for path, want := range map[string]string{"/greet/greeting.txt": greeting, "/copied/sub/deep.txt": "deep"} {
			c, err := h.ctrs.Create(ctx, container.Config{Image: ref, Cmd: []string{"cat-file", path}, Labels: h.labels(nil)},
				container.WithHostConfig(container.HostConfig{NetworkMode: "none"}))
			if err != nil {
				h.Fatal(err)
			}
			h.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				_ = h.ctrs.Remove(ctx, c.ID, container.Force())
			})
			if code := h.startWait(c.ID); code != 0 {
				h.Errorf("cat-file %s exited %d", path, code)
			}
			if got := h.stdout(c.ID); got != want {
				h.Errorf("cat-file %s = %q, want %q", path, got, want)
			}
		}
	}},
	{name: "BuildFailures", run: func(h *harness) {
		ctx := h.ctx()
		imgs := image.New(h.tg.Client)
		// NetworkMode none: RUN needs no network (and the default bridge may
		// be missing on a CI host).
		build := func(dockerfile string) error {
			bctx, err := image.ContextFromFiles(image.ContextFile{Name: "Dockerfile", Data: []byte(dockerfile)})
			if err != nil {
				h.Fatal(err)
			}
			// ForceRm: a failed RUN's intermediate container goes too.
			for _, err := range imgs.Build(ctx, bctx, image.Labels(h.labels(nil)), image.ForceRm(), image.NetworkMode("none")) {
				if err != nil {
					return err
				}
			}
			return nil
		}
		var se *docker.StreamError
		if h.onPodman(testenv.PodmanBuildOutput) {
			// buildah's words, all inside the stream.
			for dockerfile, want := range map[string]string{
				"FROBNICATE x\n":                           `Unknown instruction: "FROBNICATE"`,
				"COPY nope.txt /x\n":                       `"/nope.txt": no such file or directory`,
				"RUN [\"/berth-test\", \"exit\", \"3\"]\n": "exit status 3",
			} {
				if err := build("FROM " + h.tg.Image + "\n" + dockerfile); !errors.As(err, &se) || !strings.Contains(err.Error(), want) {
					h.Errorf("%q: %v, want a stream error saying %q", dockerfile, err, want)
				}
			}
			return
		}
		// Engine 23 (API 1.42) took a newer Dockerfile parser that says
		// "parse error on line 2" where 20.10's says "parse error line 2";
		// the rest of the message stays.
		err := build("FROM " + h.tg.Image + "\nFROBNICATE x\n")
		if !errors.Is(err, docker.ErrInvalidArgument) || !strings.Contains(err.Error(), "dockerfile parse error ") ||
			!strings.Contains(err.Error(), "line 2: unknown instruction: FROBNICATE") {
			h.Errorf("unknown instruction: %v", err)
		}
		err = build("FROM " + h.tg.Image + "\nCOPY nope.txt /x\n")
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "COPY failed: file not found in build context or excluded by .dockerignore: stat nope.txt: file does not exist") {
			h.Errorf("missing COPY source: %v", err)
		}
		err = build("FROM " + h.tg.Image + "\nRUN [\"/berth-test\", \"exit\", \"3\"]\n")
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "The command '/berth-test exit 3' returned a non-zero code: 3") {
			h.Errorf("failing RUN: %v", err)
		}
	}},
}
