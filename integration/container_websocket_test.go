package integration

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/internal/testing/testenv"
)

func TestContainerAttachWebsocket(t *testing.T) {
	testenv.SkipOnPodman(t, testenv.PodmanNoAttachWebsocket)
	s := ctrs(t)
	ctx := testenv.Context(t, 2*time.Minute)

	t.Run("output", func(t *testing.T) {
		id := newCtr(t, s, container.Config{Cmd: []string{"echo", "over", "websocket"}}, container.HostConfig{})
		ws, err := s.AttachWebsocket(ctx, id, container.Stdout(), container.Stderr(), container.Stream())
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		startCtr(t, s, id)
		b, err := io.ReadAll(ws)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != "over websocket\n" {
			t.Errorf("output %q", b)
		}
	})

	t.Run("unknown container", func(t *testing.T) {
		ws, err := s.AttachWebsocket(ctx, "berth-no-such-container-for-websocket")
		if err == nil {
			ws.Close()
			t.Fatal("no error")
		}
		var derr *docker.Error
		if !errors.Is(err, docker.ErrNotFound) || !errors.As(err, &derr) || !strings.Contains(derr.Message, "No such container") {
			t.Errorf("err = %v, want the daemon's 404 as a *docker.Error", err)
		}
	})

	t.Run("stdin", func(t *testing.T) {
		const n = 4 << 20
		id := newCtr(t, s, container.Config{Cmd: []string{"cat"}, OpenStdin: true}, container.HostConfig{})
		ws, err := s.AttachWebsocket(ctx, id, container.Stdin(), container.Stdout(), container.Stderr(), container.Stream())
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		startCtr(t, s, id)
		sent := make(chan error, 1)
		go func() {
			_, err := io.Copy(ws, testenv.PatternReader(6, n))
			sent <- err
		}()
		got := newSum()
		start := time.Now()
		if _, err := io.CopyN(got, ws, n); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d MiB through cat over a websocket in %v", n>>20, time.Since(start))
		if err := <-sent; err != nil {
			t.Fatal(err)
		}
		checkPattern(t, "websocket echo", got, 6, n)
	})
}
