package swarm

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const secretValue = "hunter2-very-secret"

func TestSecretSpecNeverPrintsData(t *testing.T) {
	t.Parallel()
	spec := SecretSpec{
		Name:       "db-password",
		Labels:     map[string]string{"b": "2", "a": "1"},
		Data:       []byte(secretValue),
		Driver:     &Driver{Name: "vault"},
		Templating: &Driver{Name: "golang"},
	}
	secret := Secret{ID: "s1", Spec: spec}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "spec", spec, "secret", secret)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "spec", spec)
	hex := fmt.Sprintf("%x", []byte(secretValue))
	b64 := base64.StdEncoding.EncodeToString([]byte(secretValue))
	outputs := map[string]string{
		"String": spec.String(),
		"%v":     fmt.Sprintf("%v", spec),
		"%+v":    fmt.Sprintf("%+v", spec),
		"%#v":    fmt.Sprintf("%#v", spec),
		"%s":     fmt.Sprintf("%s", spec),
		"%q":     fmt.Sprintf("%q", spec),
		"%x":     fmt.Sprintf("%x", spec),
		"%X":     fmt.Sprintf("%X", spec),
		"nested": fmt.Sprintf("%+v %v", secret, []SecretSpec{spec}),
		"ptr":    fmt.Sprintf("%v", &spec),
		"slog":   text.String(),
		"json":   js.String(),
	}
	for name, out := range outputs {
		for _, leak := range []string{secretValue, hex, strings.ToUpper(hex), b64} {
			if strings.Contains(out, leak) {
				t.Errorf("%s shows the secret: %s", name, out)
			}
		}
	}
	if want := "{Name:db-password Labels:map[a:1 b:2] Data:[redacted 19 bytes] Driver:vault Templating:golang}"; spec.String() != want {
		t.Errorf("String() = %s, want %s", spec.String(), want)
	}
	if !strings.Contains(js.String(), `"data_bytes":19`) {
		t.Errorf("slog JSON %s lacks the data size", js.String())
	}
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("POST /v1.41/secrets/create", http.StatusCreated, `{"ID":"s1"}`)
	f.Reply("GET /v1.41/secrets", http.StatusOK, fixture(t, "secrets-v1.41.json"))
	f.Reply("GET /v1.41/secrets/{id}", http.StatusOK, `{"ID":"s1","Version":{"Index":11},"Spec":{"Name":"db","Labels":{"a":"1"}}}`)
	f.Reply("POST /v1.41/secrets/{id}/update", http.StatusOK, nil)
	f.Reply("DELETE /v1.41/secrets/{id}", http.StatusNoContent, nil)
	secrets := c.Secrets()

	id, err := secrets.Create(t.Context(), SecretSpec{Name: "db", Labels: map[string]string{"a": "1"}, Data: []byte(secretValue),
		Templating: &Driver{Name: "golang"}})
	if err != nil || id != "s1" {
		t.Fatalf("Create = %q, %v", id, err)
	}
	jsonEqual(t, `{"Name": "db", "Labels": {"a": "1"}, "Data": "`+base64.StdEncoding.EncodeToString([]byte(secretValue))+`",
		"Templating": {"Name": "golang"}}`, f.Last(t).Body)

	list, err := secrets.List(t.Context(), Filter("names", "fx-secret"))
	if err != nil || len(list) != 1 || list[0].Spec.Name != "fx-secret" || list[0].Version.Index == 0 {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if got := f.Last(t).Query.Get("filters"); got != `{"names":["fx-secret"]}` {
		t.Errorf("filters %s", got)
	}

	s, err := secrets.Inspect(t.Context(), "db")
	if err != nil {
		t.Fatal(err)
	}
	s.Spec.Labels["b"] = "2"
	if err := secrets.Update(t.Context(), s.ID, s.Version, s.Spec); err != nil {
		t.Fatal(err)
	}
	req := f.Last(t)
	if diff := cmp.Diff(url.Values{"version": {"11"}}, req.Query); diff != "" {
		t.Errorf("update query (-want +got):\n%s", diff)
	}
	jsonEqual(t, `{"Name": "db", "Labels": {"a": "1", "b": "2"}}`, req.Body)
	if err := secrets.Remove(t.Context(), "s1"); err != nil {
		t.Fatal(err)
	}
	if req := f.Last(t); req.Method != http.MethodDelete || req.Path != "/secrets/s1" {
		t.Errorf("remove sent %s %s", req.Method, req.Path)
	}
}

func TestConfigs(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("POST /v1.41/configs/create", http.StatusCreated, `{"ID":"c1"}`)
	f.Reply("GET /v1.41/configs", http.StatusOK, fixture(t, "configs-v1.41.json"))
	f.Reply("GET /v1.41/configs/{id}", http.StatusOK, `{"ID":"c1","Version":{"Index":12},"Spec":{"Name":"conf","Data":"aGVsbG8K"}}`)
	f.Reply("POST /v1.41/configs/{id}/update", http.StatusOK, nil)
	f.Reply("DELETE /v1.41/configs/{id}", http.StatusNoContent, nil)
	configs := c.Configs()

	id, err := configs.Create(t.Context(), ConfigSpec{Name: "conf", Data: []byte("hello\n"), Templating: &Driver{Name: "golang", Options: map[string]string{"k": "v"}}})
	if err != nil || id != "c1" {
		t.Fatalf("Create = %q, %v", id, err)
	}
	jsonEqual(t, `{"Name": "conf", "Data": "aGVsbG8K", "Templating": {"Name": "golang", "Options": {"k": "v"}}}`, f.Last(t).Body)

	list, err := configs.List(t.Context())
	if err != nil || len(list) != 1 || string(list[0].Spec.Data) != "some config\n" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	cfg, err := configs.Inspect(t.Context(), "c1")
	if err != nil || string(cfg.Spec.Data) != "hello\n" {
		t.Fatalf("Inspect = %+v, %v", cfg, err)
	}
	cfg.Spec.Labels = map[string]string{"x": "y"}
	if err := configs.Update(t.Context(), cfg.ID, cfg.Version, cfg.Spec); err != nil {
		t.Fatal(err)
	}
	if q := f.Last(t).Query.Get("version"); q != "12" {
		t.Errorf("version %q", q)
	}
	var body ConfigSpec
	if err := json.Unmarshal([]byte(f.Last(t).Body), &body); err != nil || string(body.Data) != "hello\n" || body.Labels["x"] != "y" {
		t.Errorf("update body %+v, %v", body, err)
	}
	if err := configs.Remove(t.Context(), "c1"); err != nil {
		t.Fatal(err)
	}
}
