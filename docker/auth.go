package docker

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/berth-go/berth/docker/registry"
)

// LoginResult is the answer of a successful login.
type LoginResult struct {
	Status string // e.g. "Login Succeeded"
	// IdentityToken, when the registry issues one, can replace the password
	// in later AuthConfigs. It is a secret: String and LogValue hide it.
	IdentityToken string
}

// String hides the identity token.
func (r LoginResult) String() string {
	tok := ""
	if r.IdentityToken != "" {
		tok = " (identity token: [redacted])"
	}
	return fmt.Sprintf("%s%s", r.Status, tok)
}

// LogValue hides the identity token from slog.
func (r LoginResult) LogValue() slog.Value {
	return slog.GroupValue(slog.String("status", r.Status), slog.Bool("identity_token", r.IdentityToken != ""))
}

// Format hides the identity token from every fmt verb.
func (r LoginResult) Format(f fmt.State, _ rune) { fmt.Fprint(f, r.String()) }

// Login checks credentials against a registry through the daemon. Wrong
// or missing credentials give a *Error matching ErrUnauthorized, whether
// the daemon answers 401 or relays the registry's refusal as a 500 (see
// ErrUnauthorized); the credentials never appear in it. Other failures (an
// unreachable registry) are a *Error with the daemon's message.
//
// API: POST /auth
func (c *Client) Login(ctx context.Context, auth registry.AuthConfig) (LoginResult, error) {
	var r LoginResult
	resp, err := c.Do(ctx, &Request{Method: http.MethodPost, Path: "/auth", JSON: auth})
	if err != nil {
		return r, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return LoginResult{Status: "Login Succeeded"}, nil
	}
	var body struct {
		Status        string
		IdentityToken string
	}
	if err := decodeJSON(resp, &body, "POST /auth"); err != nil {
		return r, err
	}
	return LoginResult{Status: body.Status, IdentityToken: body.IdentityToken}, nil
}
