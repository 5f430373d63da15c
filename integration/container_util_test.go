package integration

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"maps"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// ctrs returns the container service for the test daemon.
func ctrs(t *testing.T) *container.Service {
	t.Helper()
	return container.New(testenv.Client(t))
}

// newCtr creates a container of the test image with the run's labels and
// no network (unless hc says otherwise), and force-removes it when the test
// ends. cfg.Image defaults to the test image.
func newCtr(t *testing.T, s *container.Service, cfg container.Config, hc container.HostConfig, opts ...container.CreateOption) string {
	t.Helper()
	if cfg.Image == "" {
		cfg.Image = testenv.Image(t)
	}
	labels := testenv.Labels()
	maps.Copy(labels, cfg.Labels)
	cfg.Labels = labels
	if hc.NetworkMode == "" {
		hc.NetworkMode = "none"
	}
	ctx := testenv.Context(t, time.Minute)
	created, err := s.Create(ctx, cfg, append([]container.CreateOption{container.WithHostConfig(hc)}, opts...)...)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { removeCtr(t, s, created.ID) })
	return created.ID
}

// removeCtr force-removes a container, tolerating one already gone.
func removeCtr(t *testing.T, s *container.Service, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Remove(ctx, id, container.Force(), container.RemoveVolumes()); err != nil && !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("cleanup: remove %s: %v", id, err)
	}
}

// startCtr starts a container created by newCtr.
func startCtr(t *testing.T, s *container.Service, id string) {
	t.Helper()
	if err := s.Start(testenv.Context(t, time.Minute), id); err != nil {
		t.Fatalf("start: %v", err)
	}
}

// runCtr creates and starts a container and returns its id.
func runCtr(t *testing.T, s *container.Service, cfg container.Config, hc container.HostConfig) string {
	t.Helper()
	id := newCtr(t, s, cfg, hc)
	startCtr(t, s, id)
	return id
}

// waitExit waits for a container to stop and returns its exit code.
func waitExit(t *testing.T, s *container.Service, id string, d time.Duration) int64 {
	t.Helper()
	exit, err := s.Wait(testenv.Context(t, d), id)
	if err != nil {
		t.Fatalf("wait: %v", err)
	}
	return exit.StatusCode
}

// sumWriter hashes and counts what is written to it.
type sumWriter struct {
	h hash.Hash
	n int64
}

func newSum() *sumWriter { return &sumWriter{h: sha256.New()} }

func (s *sumWriter) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	return s.h.Write(p)
}

func (s *sumWriter) hex() string { return hex.EncodeToString(s.h.Sum(nil)) }

var errDeadline = context.DeadlineExceeded

func contextWithTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}
