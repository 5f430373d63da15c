package integration

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// TestRegistryAuthRefusals checks that the local registry's refusal of
// credentials matches docker.ErrUnauthorized however the daemon relays it
// (Engine 20.10: a 500 for login and pull, an error without a code inside
// push's 200 stream), with a wrong password and with no credentials, and
// that a 500 also matches docker.ErrInternal. No password shows in any
// error. Failures that are not refusals match neither: a login to a
// registry that does not answer, a pull of a tag that does not exist with
// good credentials.
func TestRegistryAuthRefusals(t *testing.T) {
	addr, user, password := testenv.Registry(t)
	cli := testenv.Client(t)
	s := image.New(cli)
	ctx := testenv.Context(t, 3*time.Minute)
	ref := imgRepo(addr, "auth") + ":1"
	// The image to push is the test image under a name in the registry;
	// the refusals come before any layer is sent, so nothing is stored.
	if err := s.Tag(ctx, testenv.Image(t), ref); err != nil {
		t.Fatal(err)
	}
	imgCleanup(t, ref)
	wrongPassword := "wrong-" + password
	wrong := image.Auth(registry.AuthConfig{Username: user, Password: wrongPassword, ServerAddress: addr})
	good := image.Auth(registry.AuthConfig{Username: user, Password: password, ServerAddress: addr})

	for _, tc := range []struct {
		name    string
		call    func() error
		refusal bool
	}{
		{"login/wrong password", func() error {
			_, err := cli.Login(ctx, registry.AuthConfig{Username: user, Password: wrongPassword, ServerAddress: addr})
			return err
		}, true},
		{"login/no credentials", func() error {
			_, err := cli.Login(ctx, registry.AuthConfig{ServerAddress: addr})
			return err
		}, true},
		{"pull/wrong password", func() error { return s.PullAndWait(ctx, ref, nil, wrong) }, true},
		{"pull/no credentials", func() error { return s.PullAndWait(ctx, ref, nil) }, true},
		{"push/wrong password", func() error { _, err := s.PushAndWait(ctx, ref, nil, wrong); return err }, true},
		{"push/no credentials", func() error { _, err := s.PushAndWait(ctx, ref, nil); return err }, true},
		{"login/no registry", func() error {
			_, err := cli.Login(ctx, registry.AuthConfig{Username: user, Password: wrongPassword, ServerAddress: "127.0.0.1:1"})
			return err
		}, false},
		{"pull/unknown tag", func() error { return s.PullAndWait(ctx, imgRepo(addr, "auth")+":absent", nil, good) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if strings.HasPrefix(tc.name, "login/") && tc.refusal {
				// Podman never gets to the plain-HTTP registry's refusal.
				testenv.SkipOnPodman(t, testenv.PodmanLogin)
			}
			err := tc.call()
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, password) {
				t.Fatalf("the error shows the password: %s", strings.ReplaceAll(msg, password, "***"))
			}
			if got := errors.Is(err, docker.ErrUnauthorized); got != tc.refusal {
				t.Errorf("errors.Is(err, docker.ErrUnauthorized) = %v, want %v; err = %v", got, tc.refusal, err)
			}
			var de *docker.Error
			var se *docker.StreamError
			switch {
			case errors.As(err, &de):
				if got, want := errors.Is(err, docker.ErrInternal), de.StatusCode == 500; got != want {
					t.Errorf("status %d: errors.Is(err, docker.ErrInternal) = %v", de.StatusCode, got)
				}
				t.Logf("*docker.Error %d: %s", de.StatusCode, de.Message)
			case errors.As(err, &se):
				if errors.Is(err, docker.ErrInternal) {
					t.Errorf("a stream error matches docker.ErrInternal: %v", err)
				}
				t.Logf("*docker.StreamError code %d: %s", se.Code, se.Message)
			default:
				t.Errorf("err = %T %v, want a *docker.Error or a *docker.StreamError", err, err)
			}
		})
	}
}
