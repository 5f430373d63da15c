package image

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker/registry"
)

// Search needs Docker Hub; it is tested against the fake only.
func TestSearch(t *testing.T) {
	t.Parallel()
	body := `[{"description":"A minimal image","is_official":true,"is_automated":false,"name":"alpine","star_count":11000},
		{"description":"","is_official":false,"is_automated":false,"name":"someone/alpine-tools","star_count":3}]`
	f := setup(t, "1.41", jsonBody(body))
	hub := registry.AuthConfig{Username: "me", Password: "pw", ServerAddress: registry.IndexServer}
	store := &fakeStore{auths: map[string]registry.AuthConfig{registry.IndexServer: hub}}
	got, err := f.svc.Search(t.Context(), "alpine", Limit(2), Filter("is-official", "true"), Filter("stars", "3"), AuthFrom(store))
	if err != nil {
		t.Fatal(err)
	}
	want := []SearchResult{
		{Name: "alpine", Description: "A minimal image", StarCount: 11000, IsOfficial: true},
		{Name: "someone/alpine-tools", StarCount: 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
	r := f.last(t)
	wantQuery := url.Values{"term": {"alpine"}, "limit": {"2"}, "filters": {`{"is-official":["true"],"stars":["3"]}`}}
	if r.Method != "GET" || r.Path != "/images/search" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	if diff := cmp.Diff(wantQuery, r.Query); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
	if sent, _ := registry.DecodeAuth(r.Header.Get("X-Registry-Auth")); sent != hub {
		t.Errorf("auth sent = %v", sent)
	}
	if diff := cmp.Diff([]string{registry.IndexServer}, store.asked); diff != "" {
		t.Errorf("store asked (-want +got):\n%s", diff)
	}
	// A term naming a registry resolves that registry's credentials.
	if _, err := f.svc.Search(t.Context(), "registry.local:5000/app", AuthFrom(store)); err != nil {
		t.Fatal(err)
	}
	if got := store.asked[len(store.asked)-1]; got != "registry.local:5000" {
		t.Errorf("store asked for %q", got)
	}
}
