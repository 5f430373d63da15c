package docker

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestCAConfigHidesSigningKey(t *testing.T) {
	t.Parallel()
	spec := SwarmSpec{Name: "default", CAConfig: &CAConfig{SigningCAKey: "-----BEGIN EC PRIVATE KEY-----SECRET", SigningCACert: "cert"}}
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("spec", "ca", *spec.CAConfig, "spec", spec)
	for _, s := range []string{fmt.Sprint(spec), fmt.Sprintf("%+v", spec), fmt.Sprintf("%#v", spec), fmt.Sprintf("%v", *spec.CAConfig), logBuf.String()} {
		if strings.Contains(s, "SECRET") {
			t.Errorf("signing key leaks: %s", s)
		}
	}
	if !strings.Contains(fmt.Sprint(*spec.CAConfig), "[redacted]") {
		t.Errorf("String() = %s", spec.CAConfig)
	}
}
