package registry

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/berth-go/berth/internal/cliconfig"
)

const (
	// helperPrefix starts the executable name of every credential helper.
	helperPrefix = "docker-credential-"
	// tokenUsername is the username a helper reports for an identity token.
	tokenUsername = "<token>"
	// maxHelperOutput bounds what is read from a helper's standard output.
	maxHelperOutput = 1 << 20
	// maxHelperMessage bounds how much of a failing helper's message an error
	// quotes.
	maxHelperMessage = 200
	// helperWaitDelay is how long Wait waits for a helper's output pipe to
	// close after the helper exited or was killed: a grandchild that keeps it
	// open must not hold the call.
	helperWaitDelay = time.Second
)

// errNoCredentials reports a helper's "credentials not found" answer.
var errNoCredentials = errors.New("credentials not found")

// helperCredentials is what a helper's get prints.
type helperCredentials struct {
	ServerURL string
	Username  string
	Secret    string
}

// helperGet asks the helper called name for serverAddress's credentials.
func (s *Store) helperGet(ctx context.Context, name, serverAddress string) (AuthConfig, error) {
	out, err := s.runHelper(ctx, name, "get", serverAddress)
	if errors.Is(err, errNoCredentials) {
		return AuthConfig{}, nil
	}
	if err != nil {
		return AuthConfig{}, err
	}
	var c helperCredentials
	if err := cliconfig.Unmarshal(out, &c); err != nil {
		return AuthConfig{}, fmt.Errorf("docker: credential helper %s%s get: output is not credentials JSON: %w", helperPrefix, name, err)
	}
	a := AuthConfig{ServerAddress: serverAddress}
	if c.Username == tokenUsername {
		a.IdentityToken = c.Secret
	} else {
		a.Username, a.Password = c.Username, c.Secret
	}
	return a, nil
}

// helperList asks the helper called name which registries it holds
// credentials for, sorted.
func (s *Store) helperList(ctx context.Context, name string) ([]string, error) {
	out, err := s.runHelper(ctx, name, "list", "")
	if errors.Is(err, errNoCredentials) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m map[string]string // server address -> username
	if err := cliconfig.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("docker: credential helper %s%s list: output is not a JSON object: %w", helperPrefix, name, err)
	}
	return slices.Sorted(maps.Keys(m)), nil
}

// runHelper runs `docker-credential-<name> <action>` with input on its
// standard input and returns its standard output. Its standard error is
// discarded. A failing helper whose message says "credentials not found"
// gives errNoCredentials.
func (s *Store) runHelper(ctx context.Context, name, action, input string) ([]byte, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return nil, fmt.Errorf("docker: invalid credential helper name %q", name)
	}
	prog := helperPrefix + name
	path, err := s.lookPath(prog)
	if err != nil {
		return nil, fmt.Errorf("docker: credential helper %s is not on PATH: %w", prog, err)
	}
	var out limitedBuffer
	cmd := exec.CommandContext(ctx, path, action)
	cmd.Stdin = strings.NewReader(input)
	cmd.Stdout = &out
	cmd.WaitDelay = helperWaitDelay
	err = cmd.Run()
	if errors.Is(err, exec.ErrWaitDelay) {
		// The helper exited successfully; something it started kept the
		// pipe open. Its output is complete.
		err = nil
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("docker: credential helper %s %s: %w", prog, action, ctxErr)
		}
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return nil, fmt.Errorf("docker: credential helper %s %s: %w", prog, action, err)
		}
		msg := strings.TrimSpace(string(out.Bytes()))
		if strings.HasPrefix(strings.ToLower(msg), "credentials not found") {
			return nil, errNoCredentials
		}
		if msg = safeMessage(msg); msg != "" {
			return nil, fmt.Errorf("docker: credential helper %s %s failed: %w: %s", prog, action, err, strconv.Quote(msg))
		}
		return nil, fmt.Errorf("docker: credential helper %s %s failed: %w", prog, action, err)
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(string(out.Bytes()))), "credentials not found") {
		// Some helpers say so and exit 0.
		return nil, errNoCredentials
	}
	if out.overflow {
		return nil, fmt.Errorf("docker: credential helper %s %s: output exceeds %d bytes", prog, action, maxHelperOutput)
	}
	return out.Bytes(), nil
}

// safeMessage returns what of a failing helper's output may go into an error:
// the protocol puts the helper's error message there, but a confused helper
// could print credentials instead. Output that looks like JSON is dropped
// whole; otherwise only the first line, cut to maxHelperMessage bytes.
func safeMessage(out string) string {
	if strings.ContainsAny(out, `{}[]"`) || strings.Contains(strings.ToLower(out), "secret") {
		return ""
	}
	line, _, _ := strings.Cut(out, "\n")
	line = strings.TrimSpace(line)
	if len(line) > maxHelperMessage {
		cut := maxHelperMessage
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		line = line[:cut] + "..."
	}
	return line
}

// limitedBuffer keeps the first maxHelperOutput bytes written to it and
// remembers whether there were more. Writes never fail, so a chatty helper is
// not killed by a broken pipe before it exits.
type limitedBuffer struct {
	buf      []byte
	overflow bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	room := maxHelperOutput - len(b.buf)
	if len(p) > room {
		b.overflow = true
		b.buf = append(b.buf, p[:room]...)
	} else {
		b.buf = append(b.buf, p...)
	}
	return len(p), nil
}

func (b *limitedBuffer) Bytes() []byte { return b.buf }
