package registry

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// IndexServer is the address under which the docker CLI stores Docker Hub
// credentials, and the server address the Engine expects for Docker Hub.
const IndexServer = "https://index.docker.io/v1/"

// ServerAddress returns the credential key for a registry domain as found in
// an image reference: Docker Hub's names ("docker.io", "index.docker.io",
// "registry-1.docker.io", and "" for references without a domain) give
// IndexServer; anything else (host or host:port) is returned unchanged.
func ServerAddress(domain string) string {
	switch domain {
	case "", "docker.io", "index.docker.io", "registry-1.docker.io":
		return IndexServer
	}
	return domain
}

// AuthConfig is a registry login as the Engine takes it: in the
// X-Registry-Auth header (see Encode) and in the body of POST /auth. Either
// Username and Password, or IdentityToken (a refresh token from a previous
// login), or RegistryToken (a bearer token passed to the registry as is) is
// set; Auth is the base64 of "username:password" as config.json stores it.
//
// The zero AuthConfig means anonymous access. The secret fields (Password,
// Auth, IdentityToken, RegistryToken) are redacted from every printed form; see
// String.
type AuthConfig struct {
	Username      string `json:"username,omitempty"`
	Password      string `json:"password,omitempty"`
	Auth          string `json:"auth,omitempty"`
	Email         string `json:"email,omitempty"`
	ServerAddress string `json:"serveraddress,omitempty"`
	IdentityToken string `json:"identitytoken,omitempty"`
	RegistryToken string `json:"registrytoken,omitempty"`
}

// redactedMark replaces a secret that is set.
const redactedMark = "[redacted]"

type authField struct {
	name   string
	value  string
	secret bool
}

func (a AuthConfig) fields() []authField {
	return []authField{
		{"Username", a.Username, false},
		{"Password", a.Password, true},
		{"Auth", a.Auth, true},
		{"Email", a.Email, false},
		{"ServerAddress", a.ServerAddress, false},
		{"IdentityToken", a.IdentityToken, true},
		{"RegistryToken", a.RegistryToken, true},
	}
}

// String shows the fields that are set, each secret as "[redacted]", like
// {Username:alice Password:[redacted] ServerAddress:registry.local:5000}.
func (a AuthConfig) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for _, f := range a.fields() {
		if f.value == "" {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(' ')
		}
		b.WriteString(f.name)
		b.WriteByte(':')
		if f.secret {
			b.WriteString(redactedMark)
		} else {
			b.WriteString(f.value)
		}
	}
	b.WriteByte('}')
	return b.String()
}

// GoString, used by %#v, shows the fields that are set as a Go literal, each
// secret as "[redacted]".
func (a AuthConfig) GoString() string {
	var b strings.Builder
	b.WriteString("registry.AuthConfig{")
	n := 0
	for _, f := range a.fields() {
		if f.value == "" {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		n++
		b.WriteString(f.name)
		b.WriteByte(':')
		v := f.value
		if f.secret {
			v = redactedMark
		}
		b.WriteString(strconv.Quote(v))
	}
	b.WriteByte('}')
	return b.String()
}

// Format implements fmt.Formatter so that no verb can print a secret:
// %#v prints GoString, %q the quoted String, and every other verb (%v, %+v,
// %s, %x, %d, ...) String.
func (a AuthConfig) Format(s fmt.State, verb rune) {
	switch {
	case verb == 'v' && s.Flag('#'):
		fmt.Fprint(s, a.GoString())
	case verb == 'q':
		fmt.Fprint(s, strconv.Quote(a.String()))
	default:
		fmt.Fprint(s, a.String())
	}
}

// LogValue implements slog.LogValuer: a group of the fields that are set,
// keyed by their JSON names, each secret as "[redacted]".
func (a AuthConfig) LogValue() slog.Value {
	var attrs []slog.Attr
	for _, f := range a.fields() {
		if f.value == "" {
			continue
		}
		v := f.value
		if f.secret {
			v = redactedMark
		}
		attrs = append(attrs, slog.String(strings.ToLower(f.name), v))
	}
	return slog.GroupValue(attrs...)
}
