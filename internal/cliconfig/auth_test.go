package cliconfig_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/berth-go/berth/internal/cliconfig"
)

func TestAuthEntryRedaction(t *testing.T) {
	t.Parallel()
	e := cliconfig.AuthEntry{
		Auth:          "YWxpY2U6c2VjcmV0LWF1dGg=",
		Username:      "alice",
		Password:      "secret-password",
		Email:         "alice@example.com",
		ServerAddress: "registry.local:5000",
		IdentityToken: "secret-identity",
		RegistryToken: "secret-registry",
	}
	secrets := []string{e.Auth, e.Password, e.IdentityToken, e.RegistryToken, "secret"}
	f := &cliconfig.File{Auths: map[string]cliconfig.AuthEntry{"registry.local:5000": e}}

	outputs := map[string]string{
		"String":   e.String(),
		"GoString": e.GoString(),
		"%v":       fmt.Sprintf("%v", e),
		"%+v":      fmt.Sprintf("%+v", e),
		"%#v":      fmt.Sprintf("%#v", e),
		"%s":       fmt.Sprintf("%s", e),
		"%q":       fmt.Sprintf("%q", e),
		"%x":       fmt.Sprintf("%x", e),
		"%d":       fmt.Sprintf("%d", e),
		"pointer":  fmt.Sprintf("%+v", &e),
		"slice":    fmt.Sprintf("%#v", []cliconfig.AuthEntry{e}),
		"file":     fmt.Sprintf("%+v", f),
		"file #v":  fmt.Sprintf("%#v", *f),
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("login", "auth", e, "ptr", &e)
	outputs["slog json"] = buf.String()
	buf.Reset()
	slog.New(slog.NewTextHandler(&buf, nil)).Info("login", "auth", e)
	outputs["slog text"] = buf.String()

	for name, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s output %q contains secret %q", name, out, s)
			}
		}
		if !strings.Contains(out, "alice") {
			t.Errorf("%s output %q does not show the username", name, out)
		}
	}
	if want := "{Username:alice Password:[redacted] Auth:[redacted] Email:alice@example.com ServerAddress:registry.local:5000 IdentityToken:[redacted] RegistryToken:[redacted]}"; e.String() != want {
		t.Errorf("String() = %q, want %q", e.String(), want)
	}
	if got, want := fmt.Sprintf("%#v", cliconfig.AuthEntry{Username: "u", Password: "p"}), `cliconfig.AuthEntry{Username:"u", Password:"[redacted]"}`; got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
	if got := (cliconfig.AuthEntry{}).String(); got != "{}" {
		t.Errorf("zero String() = %q, want {}", got)
	}
}
