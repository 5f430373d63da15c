package image

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
)

func TestInspectDistribution(t *testing.T) {
	t.Parallel()
	body := `{"Descriptor":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:` + hex64 + `","size":524},
		"Platforms":[{"architecture":"amd64","os":"linux"},{"architecture":"arm64","os":"linux","variant":"v8"}]}`
	f := setup(t, "1.41", jsonBody(body))
	auth := registry.AuthConfig{Username: "u", Password: "p", ServerAddress: "127.0.0.1:5012"}
	got, err := f.svc.InspectDistribution(t.Context(), "127.0.0.1:5012/berth/app:1", Auth(auth))
	if err != nil {
		t.Fatal(err)
	}
	want := Distribution{
		Descriptor: Descriptor{MediaType: "application/vnd.docker.distribution.manifest.v2+json", Digest: "sha256:" + hex64, Size: 524},
		Platforms:  []OCIPlatform{{Architecture: "amd64", OS: "linux"}, {Architecture: "arm64", OS: "linux", Variant: "v8"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result mismatch (-want +got):\n%s", diff)
	}
	if got.Platforms[1].String() != "linux/arm64/v8" {
		t.Errorf("String() = %q", got.Platforms[1].String())
	}
	r := f.last(t)
	if r.Method != "GET" || r.Path != "/distribution/127.0.0.1:5012%2Fberth%2Fapp:1/json" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	if sent, _ := registry.DecodeAuth(r.Header.Get("X-Registry-Auth")); sent != auth {
		t.Errorf("auth sent = %v", sent)
	}
	g := setup(t, "1.41", status(401, "authentication required"))
	if _, err := g.svc.InspectDistribution(t.Context(), "127.0.0.1:5012/x"); !errors.Is(err, docker.ErrUnauthorized) {
		t.Errorf("error = %v, want ErrUnauthorized", err)
	}
	if _, err := g.svc.InspectDistribution(t.Context(), "Bad"); !errors.Is(err, ErrInvalidReference) {
		t.Errorf("error = %v, want ErrInvalidReference", err)
	}
}
