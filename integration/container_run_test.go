package integration

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// runCfg returns a run configuration of the test image with the run's
// labels and no network.
func runCfg(t *testing.T, cmd ...string) (container.Config, container.CreateOption) {
	return container.Config{Image: testenv.Image(t), Cmd: cmd, Labels: testenv.Labels()},
		container.WithHostConfig(container.HostConfig{NetworkMode: "none"})
}

func TestContainerRun(t *testing.T) {
	s := ctrs(t)
	ctx := testenv.Context(t, 2*time.Minute)

	t.Run("streams", func(t *testing.T) {
		cfg, hc := runCfg(t, "echoerr", "warn", "--", "cat", "--", "exit", "5")
		var out, errOut bytes.Buffer
		res, err := s.Run(ctx, cfg, hc, container.WithStdin(strings.NewReader("from stdin")),
			container.WithStdout(&out), container.WithStderr(&errOut), container.RemoveWhenDone())
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 5 || out.String() != "from stdin" || errOut.String() != "warn\n" {
			t.Errorf("run = %+v, stdout %q, stderr %q", res, out.String(), errOut.String())
		}
		if _, err := s.Inspect(ctx, res.ID); !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("container left after RemoveWhenDone: %v", err)
		}
	})

	t.Run("first bytes", func(t *testing.T) {
		// A container that writes and exits at once: attach before start
		// keeps its output.
		for i := range 5 {
			cfg, hc := runCfg(t, "echo", "first")
			var out bytes.Buffer
			res, err := s.Run(ctx, cfg, hc, container.WithStdout(&out), container.RemoveWhenDone())
			if err != nil || res.StatusCode != 0 || out.String() != "first\n" {
				t.Fatalf("run %d = %+v, %q, %v", i, res, out.String(), err)
			}
		}
	})

	t.Run("tty", func(t *testing.T) {
		cfg, hc := runCfg(t, "echo", "hi")
		cfg.Tty = true
		var out bytes.Buffer
		res, err := s.Run(ctx, cfg, hc, container.WithStdout(&out), container.WithStderr(&out), container.RemoveWhenDone())
		if err != nil || out.String() != "hi\r\n" || res.StatusCode != 0 {
			t.Errorf("tty run = %+v, %q, %v", res, out.String(), err)
		}
	})

	t.Run("auto-remove", func(t *testing.T) {
		cfg, _ := runCfg(t, "exit", "4")
		res, err := s.Run(ctx, cfg, container.WithHostConfig(container.HostConfig{NetworkMode: "none", AutoRemove: true}))
		if err != nil || res.StatusCode != 4 {
			t.Errorf("auto-remove run = %+v, %v", res, err)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		for _, remove := range []bool{true, false} {
			cfg, hc := runCfg(t, "ticker", "1000", "50ms")
			rctx, cancel := context.WithCancel(ctx)
			out := writerFunc(func(p []byte) (int, error) {
				time.AfterFunc(100*time.Millisecond, cancel)
				return len(p), nil
			})
			opts := []container.RunOption{hc, container.WithStdout(out)}
			if remove {
				opts = append(opts, container.RemoveWhenDone())
			}
			start := time.Now()
			res, err := s.Run(rctx, cfg, opts...)
			cancel()
			if !errors.Is(err, context.Canceled) || res.ID == "" {
				t.Fatalf("cancelled run = %+v, %v", res, err)
			}
			t.Logf("cancelled run returned after %v (remove %v)", time.Since(start), remove)
			d, err := s.Inspect(ctx, res.ID)
			if remove {
				if !errors.Is(err, docker.ErrNotFound) {
					t.Errorf("container left after a cancelled run with RemoveWhenDone: %v", err)
				}
				continue
			}
			t.Cleanup(func() { removeCtr(t, s, res.ID) })
			if err != nil || d.State.Running {
				t.Errorf("container after a cancelled run: %+v, %v; want it stopped", d.State, err)
			}
		}
	})

	t.Run("missing image", func(t *testing.T) {
		_, err := s.Run(ctx, container.Config{Image: "berth-no-such-image:1", Labels: testenv.Labels()})
		if !errors.Is(err, docker.ErrNotFound) {
			t.Errorf("run of a missing image: %v, want ErrNotFound", err)
		}
	})
}
