package cliconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ConfigFileName is the name of the CLI configuration file inside Dir.
const ConfigFileName = "config.json"

// File is the part of the CLI's config.json that a client library needs.
// Fields the CLI keeps for itself (aliases, plugins, formats) are ignored.
//
// Printing a File with fmt or slog never reveals secrets: AuthEntry redacts
// itself. A File is not modified by this package after Load returns it.
type File struct {
	// Auths maps a registry address, as the CLI wrote it ("https://index.docker.io/v1/",
	// "registry.local:5000"), to the credentials stored in the file.
	Auths map[string]AuthEntry `json:"auths,omitempty"`
	// CredsStore names the default credential helper: docker-credential-<CredsStore>.
	CredsStore string `json:"credsStore,omitempty"`
	// CredHelpers maps a registry address to the helper that holds its credentials.
	CredHelpers map[string]string `json:"credHelpers,omitempty"`
	// CurrentContext is the context chosen with `docker context use`; empty means default.
	CurrentContext string `json:"currentContext,omitempty"`
	// HTTPHeaders are extra headers the CLI sends with every request to the Engine.
	HTTPHeaders map[string]string `json:"HttpHeaders,omitempty"`
	// Path is the file Load read, or would have read when it was missing.
	Path string `json:"-"`
}

// Load reads dir/config.json. A missing file, or one that holds nothing but
// white space, gives an empty *File (with Path set) and a nil error, as the CLI
// treats it. A file that is not valid JSON gives an error naming the path and
// the byte offset of the problem; the error never quotes the file's content.
func Load(dir string) (*File, error) {
	path := filepath.Join(dir, ConfigFileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{Path: path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("docker: read config file: %w", err)
	}
	return parseFile(path, data)
}

// parseFile decodes the content of a config.json read from path.
func parseFile(path string, data []byte) (*File, error) {
	f := &File{Path: path}
	if len(bytes.TrimSpace(data)) == 0 {
		return f, nil
	}
	if err := Unmarshal(data, f); err != nil {
		return nil, fmt.Errorf("docker: config file %s: %w", path, err)
	}
	f.Path = path
	return f, nil
}

// utf8BOM is the UTF-8 encoding of U+FEFF, which some editors put at the start
// of a file. The CLI does not accept it, and neither does this package, but it
// gets its own error message because the usual one ("invalid character 'ï'")
// is baffling.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Unmarshal is json.Unmarshal with errors that are safe to show: they give the
// byte offset (and the field, for a value of the wrong type) but never quote
// the input, which may hold a password. errors.As still finds the
// *json.SyntaxError or *json.UnmarshalTypeError. Input that starts with a
// UTF-8 byte order mark gets an error saying so.
func Unmarshal(data []byte, v any) error {
	if bytes.HasPrefix(data, utf8BOM) {
		return errors.New("starts with a UTF-8 byte order mark, which is not valid JSON")
	}
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return &jsonError{offset: syntax.Offset, msg: "invalid JSON", err: err}
	case errors.As(err, &typ):
		// Value is "string", "bool", or "number 123": keep only the kind,
		// since a number could be a secret written without quotes.
		kind, _, _ := strings.Cut(typ.Value, " ")
		msg := "unexpected JSON " + kind
		if typ.Field != "" {
			msg += " for field " + typ.Field
		}
		return &jsonError{offset: typ.Offset, msg: msg, err: err}
	}
	return &jsonError{offset: -1, msg: "invalid JSON", err: err}
}

// jsonError reports where a JSON document went wrong without quoting it:
// encoding/json's own messages quote the offending character, which could be
// part of a password. Unwrap still gives the original error.
type jsonError struct {
	offset int64 // -1 when unknown
	msg    string
	err    error
}

func (e *jsonError) Error() string {
	if e.offset < 0 {
		return e.msg
	}
	return fmt.Sprintf("%s at byte offset %d", e.msg, e.offset)
}

func (e *jsonError) Unwrap() error { return e.err }
