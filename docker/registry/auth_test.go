package registry_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/berth-go/berth/docker/registry"
)

func TestAuthConfigRedaction(t *testing.T) {
	t.Parallel()
	a := registry.AuthConfig{
		Username:      "alice",
		Password:      "pw-secret-1",
		Auth:          "YWxpY2U6cHctc2VjcmV0LTE=",
		Email:         "alice@example.com",
		ServerAddress: "registry.local:5000",
		IdentityToken: "id-secret-2",
		RegistryToken: "reg-secret-3",
	}
	secrets := []string{a.Password, a.Auth, a.IdentityToken, a.RegistryToken, "secret"}
	type wrapper struct {
		Name string
		Auth registry.AuthConfig
		Ptr  *registry.AuthConfig
	}

	outputs := map[string]string{
		"String":   a.String(),
		"GoString": a.GoString(),
		"%v":       fmt.Sprintf("%v", a),
		"%+v":      fmt.Sprintf("%+v", a),
		"%#v":      fmt.Sprintf("%#v", a),
		"%s":       fmt.Sprintf("%s", a),
		"%q":       fmt.Sprintf("%q", a),
		"%x":       fmt.Sprintf("%x", a),
		"%X":       fmt.Sprintf("%X", a),
		"%d":       fmt.Sprintf("%d", a),
		"%10.3v":   fmt.Sprintf("%10.3v", a),
		"pointer":  fmt.Sprintf("%+v", &a),
		"#pointer": fmt.Sprintf("%#v", &a),
		"Sprint":   fmt.Sprint(a),
		"Println":  fmt.Sprintln(a, &a),
		"map":      fmt.Sprintf("%v", map[string]registry.AuthConfig{"r": a}),
		"slice":    fmt.Sprintf("%#v", []registry.AuthConfig{a}),
		"struct":   fmt.Sprintf("%+v", wrapper{"w", a, &a}),
		"#struct":  fmt.Sprintf("%#v", wrapper{"w", a, &a}),
		"error":    fmt.Errorf("login %v failed: %w", a, errors.New("x")).Error(),
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("login", "auth", a, "ptr", &a, slog.Any("any", a))
	outputs["slog json"] = buf.String()
	buf.Reset()
	slog.New(slog.NewTextHandler(&buf, nil)).Info("login", "auth", a)
	outputs["slog text"] = buf.String()

	for name, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s output %q contains secret %q", name, out, s)
			}
		}
		if name != "%10.3v" && !strings.Contains(out, "alice") {
			t.Errorf("%s output %q does not show the username", name, out)
		}
	}

	if got, want := fmt.Sprintf("%+v", a), "{Username:alice Password:[redacted] Auth:[redacted] Email:alice@example.com ServerAddress:registry.local:5000 IdentityToken:[redacted] RegistryToken:[redacted]}"; got != want {
		t.Errorf("%%+v = %s\nwant   %s", got, want)
	}
	if got, want := fmt.Sprintf("%#v", registry.AuthConfig{Username: "u", IdentityToken: "t"}), `registry.AuthConfig{Username:"u", IdentityToken:"[redacted]"}`; got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
	if got := fmt.Sprint(registry.AuthConfig{}); got != "{}" {
		t.Errorf("zero value prints %q, want {}", got)
	}
	buf.Reset()
	slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: dropTime})).Info("m", "auth", registry.AuthConfig{Username: "u", Password: "p"})
	if got, want := buf.String(), `{"level":"INFO","msg":"m","auth":{"username":"u","password":"[redacted]"}}`+"\n"; got != want {
		t.Errorf("slog JSON = %s, want %s", got, want)
	}
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
