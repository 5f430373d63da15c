package cliconfig

import (
	"errors"
	"fmt"
)

// ValidateContextName reports whether name is a context name the docker CLI
// would accept when creating a context: at least two characters, the first an
// ASCII letter or digit, the others ASCII letters, digits, '_', '.', '+' or
// '-'. So "" and names with slashes or spaces are rejected.
//
// The CLI also refuses to create a context named "default" because that name
// stands for the built-in context; that is a rule about creation, not about
// syntax, so ValidateContextName accepts it and callers decide.
func ValidateContextName(name string) error {
	if name == "" {
		return errors.New("docker: context name is empty")
	}
	if len(name) < 2 {
		return fmt.Errorf("docker: context name %q is invalid: it must be at least two characters long", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if i == 0 && !alnum {
			return fmt.Errorf("docker: context name %q is invalid: it must start with a letter or digit", name)
		}
		if !alnum && c != '_' && c != '.' && c != '+' && c != '-' {
			return fmt.Errorf("docker: context name %q is invalid: only letters, digits, '_', '.', '+' and '-' are allowed", name)
		}
	}
	return nil
}
