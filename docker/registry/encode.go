package registry

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/berth-go/berth/internal/cliconfig"
)

// Encode returns the value of the X-Registry-Auth header for a: the JSON of a
// in base64 with the URL-safe alphabet and padding, which is how the Engine
// decodes it. The result carries the secrets: send it, never log it.
func (a AuthConfig) Encode() (string, error) {
	data, err := json.Marshal(a)
	if err != nil {
		return "", fmt.Errorf("docker: encode registry auth: %w", err)
	}
	return base64.URLEncoding.EncodeToString(data), nil
}

// EncodeConfigs returns the value of the X-Registry-Config header that a build
// sends: the JSON object of m (keyed by registry address) in padded base64url.
// A nil or empty m encodes as an empty object.
func EncodeConfigs(m map[string]AuthConfig) (string, error) {
	if m == nil {
		m = map[string]AuthConfig{}
	}
	data, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("docker: encode registry configs: %w", err)
	}
	return base64.URLEncoding.EncodeToString(data), nil
}

// DecodeAuth is the inverse of Encode, for fakes and tests that receive an
// X-Registry-Auth header. It accepts the standard and the URL-safe base64
// alphabets, with or without padding. An empty header (no credentials) gives
// the zero AuthConfig and a nil error. Errors never quote the header's content.
func DecodeAuth(header string) (AuthConfig, error) {
	var a AuthConfig
	if err := decodeHeader(header, &a); err != nil {
		return AuthConfig{}, fmt.Errorf("docker: decode registry auth: %w", err)
	}
	return a, nil
}

// DecodeConfigs is the inverse of EncodeConfigs, for fakes and tests that
// receive an X-Registry-Config header; it is as tolerant as DecodeAuth. An
// empty header gives an empty, non-nil map.
func DecodeConfigs(header string) (map[string]AuthConfig, error) {
	m := map[string]AuthConfig{}
	if err := decodeHeader(header, &m); err != nil {
		return nil, fmt.Errorf("docker: decode registry configs: %w", err)
	}
	if m == nil { // the JSON was null
		m = map[string]AuthConfig{}
	}
	return m, nil
}

// decodeHeader decodes base64 (either alphabet, padding optional) JSON into v.
// An empty header leaves v alone.
func decodeHeader(header string, v any) error {
	s := strings.TrimSpace(header)
	if s == "" {
		return nil
	}
	s = strings.TrimRight(s, "=")
	s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	data, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("not base64: %w", err)
	}
	return cliconfig.Unmarshal(data, v)
}
