package cliconfig

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// AuthEntry is one entry of config.json's "auths": the credentials the CLI
// stored for a registry. Auth, when set, is the standard base64 encoding of
// "username:password" (decoding it is left to the caller).
//
// The secret fields (Auth, Password, IdentityToken, RegistryToken) never appear
// in String, GoString, any fmt verb or slog output: they show as "[redacted]"
// when set. encoding/json, on the other hand, sees everything.
type AuthEntry struct {
	Auth          string `json:"auth,omitempty"`
	Username      string `json:"username,omitempty"`
	Password      string `json:"password,omitempty"`
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

func (a AuthEntry) fields() []authField {
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

// String shows the entry's set fields with secrets redacted, like
// {Username:alice Password:[redacted]}.
func (a AuthEntry) String() string {
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

// GoString is used by %#v; it shows the set fields as a Go literal with
// secrets redacted.
func (a AuthEntry) GoString() string {
	var b strings.Builder
	b.WriteString("cliconfig.AuthEntry{")
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
		if f.secret {
			b.WriteString(strconv.Quote(redactedMark))
		} else {
			b.WriteString(strconv.Quote(f.value))
		}
	}
	b.WriteByte('}')
	return b.String()
}

// Format implements fmt.Formatter so that no verb (%v, %+v, %#v, %s, %q, %x,
// ...) can print a secret: %#v prints GoString, %q the quoted String, and
// every other verb String.
func (a AuthEntry) Format(s fmt.State, verb rune) {
	switch {
	case verb == 'v' && s.Flag('#'):
		fmt.Fprint(s, a.GoString())
	case verb == 'q':
		fmt.Fprint(s, strconv.Quote(a.String()))
	default:
		fmt.Fprint(s, a.String())
	}
}

// LogValue implements slog.LogValuer: a group of the set fields, secrets
// redacted.
func (a AuthEntry) LogValue() slog.Value {
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
