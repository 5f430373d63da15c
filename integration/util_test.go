package integration

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"testing"
	"time"

	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// shaWriter hashes and counts what is written to it.
type shaWriter struct {
	h hash.Hash
	n int64
}

func newSHA() *shaWriter { return &shaWriter{h: sha256.New()} }

func (s *shaWriter) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	return s.h.Write(p)
}

func (s *shaWriter) hex() string { return hex.EncodeToString(s.h.Sum(nil)) }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// wantRefusal checks that err is the Engine's refusal want (a sentinel) or,
// on Podman, which answers most such refusals 500 (podman-status-500), a
// 500 whose message says podmanSays.
func wantRefusal(t *testing.T, what string, err, want error, podmanSays string) {
	t.Helper()
	if msg := testenv.RefusalMismatch(testenv.ServerOf(t).Podman, what, err, want, podmanSays); msg != "" {
		t.Error(msg)
	}
}

// eventsNow is the until of an events window that ends now. Podman stops
// reading events at the wall-clock moment until names
// (podman-events-until), so there the window ends a moment ahead.
func eventsNow(t *testing.T) time.Time {
	t.Helper()
	if testenv.OnPodman(t, testenv.PodmanEventsUntil) {
		return time.Now().Add(2 * time.Second)
	}
	return time.Now()
}

// plainHTTP returns the options a push or a pull to the local plain-HTTP
// registry needs: none on the Engine, which trusts registries on
// 127.0.0.1; Podman's tlsVerify=false (podman-registry-http), which its
// push honours and its Docker-compatible pull ignores, relying on
// registries.conf (.ci/run marks the registry insecure there).
func plainHTTP(t *testing.T) (push []image.PushOption, pull []image.PullOption) {
	t.Helper()
	if !testenv.OnPodman(t, testenv.PodmanRegistryHTTP) {
		return nil, nil
	}
	tls := image.ExtraQuery("tlsVerify", "false")
	return []image.PushOption{tls}, []image.PullOption{tls}
}
