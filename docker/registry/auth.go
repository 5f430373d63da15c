package registry

import (
	"fmt"
	"github.com/berth-go/berth/internal/cliconfig"
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

// entry is a as the CLI config's auth entry, whose printed forms redact the
// same secret fields; AuthConfig's String, GoString, Format and LogValue are
// that type's, so the redaction is written once.
func (a AuthConfig) entry() cliconfig.AuthEntry {
	return cliconfig.AuthEntry{Auth: a.Auth, Username: a.Username, Password: a.Password, Email: a.Email,
		ServerAddress: a.ServerAddress, IdentityToken: a.IdentityToken, RegistryToken: a.RegistryToken}
}

// String shows the fields that are set, each secret as "[redacted]", like
// {Username:alice Password:[redacted] ServerAddress:registry.local:5000}.
func (a AuthConfig) String() string { return a.entry().String() }

// GoString, used by %#v, shows the fields that are set as a Go literal, each
// secret as "[redacted]".
func (a AuthConfig) GoString() string {
	return "registry.AuthConfig" + strings.TrimPrefix(a.entry().GoString(), "cliconfig.AuthEntry")
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
func (a AuthConfig) LogValue() slog.Value { return a.entry().LogValue() }
