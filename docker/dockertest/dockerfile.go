package dockertest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	line     int      // the line it starts on, from 1
	cmd      string   // the keyword, upper case: "FROM", "COPY", ...
	flags    []string // leading --name=value flags (COPY --from=..., --chown=...)
	args     string   // the rest of the instruction
	original string   // the instruction as written, for "Step i/n : ..."
}

// parseError is a Dockerfile the Engine refuses before building: it
// answers 400 with the message.
type parseError struct{ msg string }

func (e *parseError) Error() string { return e.msg }

// knownInstructions are those the classic builder parses; the fake builds
// all but a few (see build.go).
var knownInstructions = map[string]bool{
	"ADD": true, "ARG": true, "CMD": true, "COPY": true, "ENTRYPOINT": true, "ENV": true, "EXPOSE": true,
	"FROM": true, "HEALTHCHECK": true, "LABEL": true, "MAINTAINER": true, "ONBUILD": true, "RUN": true,
	"SHELL": true, "STOPSIGNAL": true, "USER": true, "VOLUME": true, "WORKDIR": true,
}

// parseDockerfile splits a Dockerfile into instructions the way the
// Engine's parser does: parser directives (escape), comments, blank lines
// and continuation lines. It checks each instruction's arguments and
// returns a *parseError with the Engine's message for a file it refuses.
// onLine words the messages as Engines from 23 (API 1.42) do: their
// parser says "parse error on line N" and names an unknown instruction as
// it was written; 20.10's says "parse error line N" and upper-cases it.
func parseDockerfile(src []byte, onLine bool) ([]instruction, rune, error) {
	at := "dockerfile parse error line %d: "
	if onLine {
		at = "dockerfile parse error on line %d: "
	}
	escape := '\\'
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	directives := true
	var out []instruction
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		if directives {
			if k, v, ok := directive(trimmed); ok {
				if k == "escape" {
					if v != "\\" && v != "`" {
						return nil, 0, &parseError{fmt.Sprintf("invalid ESCAPE '%s'. Must be ` or \\", v)}
					}
					escape = rune(v[0])
				}
				continue
			}
			directives = false
		}
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		start := i + 1
		var joined strings.Builder
		for {
			body := strings.TrimRightFunc(line, unicode.IsSpace)
			if strings.HasSuffix(body, string(escape)) && i+1 < len(lines) {
				joined.WriteString(strings.TrimSuffix(body, string(escape)))
				i++
				line = lines[i]
				for i+1 < len(lines) && isCommentOrBlank(line) { // comments and blank lines inside a continuation are dropped
					i++
					line = lines[i]
				}
				if isCommentOrBlank(line) {
					break
				}
				continue
			}
			joined.WriteString(strings.TrimSuffix(body, string(escape)))
			break
		}
		text := strings.TrimSpace(joined.String())
		word, rest := cutSpace(text)
		in := instruction{line: start, cmd: strings.ToUpper(word), args: strings.TrimSpace(rest), original: text}
		if !knownInstructions[in.cmd] {
			unknown := in.cmd
			if onLine {
				unknown = word
			}
			return nil, 0, &parseError{fmt.Sprintf(at+"unknown instruction: %s", start, unknown)}
		}
		in.flags, in.args = splitFlags(in.args)
		if err := in.check(); err != nil {
			return nil, 0, &parseError{fmt.Sprintf(at+"%s", start, err)}
		}
		out = append(out, in)
	}
	if len(out) == 0 {
		return nil, 0, &parseError{"failed to parse Dockerfile: file with no instructions"}
	}
	for _, in := range out {
		if in.cmd == "FROM" {
			break
		}
		if in.cmd != "ARG" {
			return nil, 0, &parseError{"no build stage in current context"}
		}
	}
	return out, escape, nil
}

func isCommentOrBlank(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.HasPrefix(t, "#")
}

// directive reads a parser directive line: "# key=value".
func directive(line string) (key, value string, ok bool) {
	rest, ok := strings.CutPrefix(line, "#")
	if !ok {
		return "", "", false
	}
	k, v, ok := strings.Cut(rest, "=")
	k = strings.ToLower(strings.TrimSpace(k))
	if !ok || (k != "escape" && k != "syntax" && k != "check") {
		return "", "", false
	}
	return k, strings.TrimSpace(v), true
}

// splitFlags takes the leading --flags off an instruction's arguments.
func splitFlags(args string) ([]string, string) {
	var flags []string
	for strings.HasPrefix(args, "--") {
		word, rest := cutSpace(args)
		flags = append(flags, word)
		args = strings.TrimSpace(rest)
	}
	return flags, args
}

// cutSpace splits s at its first white space.
func cutSpace(s string) (before, after string) {
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// flag returns the value of the --name=value flag.
func (in instruction) flag(name string) (string, bool) {
	for _, f := range in.flags {
		if v, ok := strings.CutPrefix(f, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// check applies the classic builder's argument count rules.
func (in instruction) check() error {
	n := len(strings.Fields(in.args))
	switch in.cmd {
	case "FROM":
		if n != 1 && n != 3 {
			return errors.New("FROM requires either one or three arguments")
		}
		if f := strings.Fields(in.args); n == 3 && !strings.EqualFold(f[1], "AS") {
			return errors.New("FROM requires either one or three arguments")
		}
	case "ENV", "LABEL":
		if n == 0 {
			return fmt.Errorf("%s requires at least one argument", in.cmd)
		}
		if first := strings.Fields(in.args)[0]; n == 1 && !strings.Contains(first, "=") {
			return fmt.Errorf("%s must have two arguments", in.cmd)
		}
	case "COPY", "ADD":
		if _, ok := execForm(in.args); !ok && n < 2 {
			return fmt.Errorf("%s requires at least two arguments, but only one was provided. Destination could not be determined.", in.cmd)
		}
	case "WORKDIR", "ARG", "USER", "STOPSIGNAL", "MAINTAINER":
		if n == 0 || in.cmd != "MAINTAINER" && in.cmd != "WORKDIR" && n != 1 {
			return fmt.Errorf("%s requires exactly one argument", in.cmd)
		}
	case "EXPOSE", "VOLUME", "ONBUILD", "HEALTHCHECK":
		if n == 0 {
			return fmt.Errorf("%s requires at least one argument", in.cmd)
		}
	case "SHELL":
		if _, ok := execForm(in.args); !ok {
			return errors.New("SHELL requires the arguments to be in JSON form")
		}
	}
	return nil
}

// execForm reads the JSON (exec) form of CMD, ENTRYPOINT, RUN, SHELL,
// COPY and VOLUME: ok is false for the shell form.
func execForm(args string) ([]string, bool) {
	if !strings.HasPrefix(strings.TrimSpace(args), "[") {
		return nil, false
	}
	var out []string
	if err := json.Unmarshal([]byte(args), &out); err != nil {
		return nil, false
	}
	if out == nil {
		out = []string{}
	}
	return out, true
}

// lexer expands variables and removes quotes the way the Engine's
// Dockerfile shell lexer does: '...' is literal, "..." expands, the escape
// character quotes the next one, and $VAR, ${VAR}, ${VAR:-word} and
// ${VAR:+word} expand from lookup.
type lexer struct {
	escape rune
	lookup func(name string) (string, bool)
}

// words splits s into words on unquoted white space, expanding each.
func (lx lexer) words(s string) ([]string, error) { return lx.process(s, true) }

// word expands s as one word, keeping its white space.
func (lx lexer) word(s string) (string, error) {
	w, err := lx.process(s, false)
	if err != nil || len(w) == 0 {
		return "", err
	}
	return w[0], nil
}

func (lx lexer) process(s string, split bool) ([]string, error) {
	rs := []rune(s)
	var words []string
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, cur.String())
		}
		cur.Reset()
		inWord = false
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case split && unicode.IsSpace(r):
			flush()
		case r == lx.escape:
			inWord = true
			if i+1 < len(rs) {
				i++
				cur.WriteRune(rs[i])
			} else {
				cur.WriteRune(r)
			}
		case r == '\'':
			inWord = true
			end := indexRune(rs, i+1, '\'')
			if end < 0 {
				return nil, errors.New("unexpected end of statement while looking for matching single-quote")
			}
			cur.WriteString(string(rs[i+1 : end]))
			i = end
		case r == '"':
			inWord = true
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				switch {
				case rs[j] == lx.escape && j+1 < len(rs) && strings.ContainsRune("\"$`", rs[j+1]) || rs[j] == lx.escape && j+1 < len(rs) && rs[j+1] == lx.escape:
					j++
					cur.WriteRune(rs[j])
				case rs[j] == '$':
					v, n, err := lx.variable(rs[j:])
					if err != nil {
						return nil, err
					}
					cur.WriteString(v)
					j += n - 1
				default:
					cur.WriteRune(rs[j])
				}
			}
			if j >= len(rs) {
				return nil, errors.New("unexpected end of statement while looking for matching double-quote")
			}
			i = j
		case r == '$':
			v, n, err := lx.variable(rs[i:])
			if err != nil {
				return nil, err
			}
			for _, c := range v { // an unquoted value splits into words (and one that is empty makes none)
				if split && unicode.IsSpace(c) {
					flush()
					continue
				}
				inWord = true
				cur.WriteRune(c)
			}
			i += n - 1
		default:
			inWord = true
			cur.WriteRune(r)
		}
	}
	flush()
	if !split && words == nil {
		words = []string{""}
	}
	return words, nil
}

// rawWords splits s on white space outside quotes, keeping quotes and
// escapes for word to process: ENV, LABEL, COPY and VOLUME split before
// they expand, so a value with spaces stays one word.
func (lx lexer) rawWords(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	for i, rs := 0, []rune(s); i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote == 0 && unicode.IsSpace(r):
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		case r == lx.escape && quote != '\'' && i+1 < len(rs):
			cur.WriteRune(r)
			i++
			r = rs[i]
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case r == quote:
			quote = 0
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func indexRune(rs []rune, from int, r rune) int {
	for i := from; i < len(rs); i++ {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

// variable expands the reference at the start of rs ("$NAME" or
// "${...}") and returns its value and how many runes it took.
func (lx lexer) variable(rs []rune) (string, int, error) {
	if len(rs) < 2 {
		return "$", 1, nil
	}
	if rs[1] != '{' {
		n := 1
		for n < len(rs) && (rs[n] == '_' || unicode.IsLetter(rs[n]) || unicode.IsDigit(rs[n])) {
			n++
		}
		if n == 1 {
			return "$", 1, nil
		}
		v, _ := lx.lookup(string(rs[1:n]))
		return v, n, nil
	}
	depth, end := 0, -1
	for i := 1; i < len(rs); i++ {
		if rs[i] == '{' {
			depth++
		} else if rs[i] == '}' {
			depth--
			if depth == 0 {
				end = i
				break
			}
		}
	}
	if end < 0 {
		return "", 0, errors.New("missing '}' in variable expansion")
	}
	inner := string(rs[2:end])
	name, op, word := inner, "", ""
	for i, r := range inner {
		if r == ':' || r == '-' || r == '+' {
			name, op = inner[:i], inner[i:]
			break
		}
	}
	if name == "" {
		return "", 0, fmt.Errorf("bad substitution: ${%s}", inner)
	}
	for _, p := range []string{":-", ":+", "-", "+"} {
		if rest, ok := strings.CutPrefix(op, p); ok {
			op, word = p, rest
			break
		}
	}
	v, set := lx.lookup(name)
	expandWord := func() (string, error) { return lx.word(word) }
	switch op {
	case "":
		return v, end + 1, nil
	case ":-":
		if v == "" {
			w, err := expandWord()
			return w, end + 1, err
		}
	case "-":
		if !set {
			w, err := expandWord()
			return w, end + 1, err
		}
	case ":+":
		if v != "" {
			w, err := expandWord()
			return w, end + 1, err
		}
		return "", end + 1, nil
	case "+":
		if set {
			w, err := expandWord()
			return w, end + 1, err
		}
		return "", end + 1, nil
	default:
		return "", 0, fmt.Errorf("unsupported modifier (%s) in substitution", op)
	}
	return v, end + 1, nil
}
