package image

import (
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker"
)

func TestAttestations(t *testing.T) {
	t.Parallel()
	body := `[{"Descriptor":{"mediaType":"application/vnd.in-toto+json","digest":"sha256:` + hex64 + `","size":100},
		"PredicateType":"https://slsa.dev/provenance/v0.2","Statement":{"_type":"https://in-toto.io/Statement/v0.1"}}]`
	f := setup(t, "1.56", jsonBody(body))
	got, err := f.svc.Attestations(t.Context(), "app:1", Platform("linux/amd64"),
		PredicateType("https://slsa.dev/provenance/v0.2"), PredicateType("https://spdx.dev/Document"), Statement())
	if err != nil {
		t.Fatal(err)
	}
	want := []Attestation{{
		Descriptor:    Descriptor{MediaType: "application/vnd.in-toto+json", Digest: "sha256:" + hex64, Size: 100},
		PredicateType: "https://slsa.dev/provenance/v0.2",
		Statement:     json.RawMessage(`{"_type":"https://in-toto.io/Statement/v0.1"}`),
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result mismatch (-want +got):\n%s", diff)
	}
	r := f.last(t)
	if r.Method != "GET" || r.Path != "/images/app:1/attestations" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	wantQuery := url.Values{
		"platform":  {`{"architecture":"amd64","os":"linux"}`},
		"type":      {"https://slsa.dev/provenance/v0.2", "https://spdx.dev/Document"},
		"statement": {"1"},
	}
	if diff := cmp.Diff(wantQuery, r.Query); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
	g := setup(t, "1.56", status(501, "not implemented"))
	if _, err := g.svc.Attestations(t.Context(), "x"); !errors.Is(err, docker.ErrNotImplemented) {
		t.Errorf("error = %v, want ErrNotImplemented", err)
	}
}
