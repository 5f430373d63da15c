package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/berth-go/berth/docker"
)

// subcommand is one subcommand of a command group (network ls, service rm,
// ...).
type subcommand struct {
	usage string // flags and arguments, for help
	run   func(ctx context.Context, e *env, args []string) error
}

// dispatch runs the subcommand named by args[0] of the command group.
func dispatch(ctx context.Context, e *env, group string, subs map[string]subcommand, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.stderr, "usage: berth %s COMMAND [FLAGS] [ARGS]\n\ncommands:\n", group)
		names := make([]string, 0, len(subs))
		for n := range subs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(e.stderr, "  %s %s %s\n", group, n, subs[n].usage)
		}
		if len(args) == 0 {
			return fmt.Errorf("%s: no command given", group)
		}
		return nil
	}
	sub, ok := subs[args[0]]
	if !ok {
		return fmt.Errorf("%s: unknown command %q (see berth %s help)", group, args[0], group)
	}
	return sub.run(ctx, e, args[1:])
}

// newFlags returns a flag set for "berth NAME", reporting to stderr; its
// flags come before its arguments.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: berth %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// checkArgs checks the number of positional arguments (max < 0: no limit).
func checkArgs(fs *flag.FlagSet, min, max int) error {
	if n := fs.NArg(); n < min || (max >= 0 && n > max) {
		fs.Usage()
		return fmt.Errorf("%s: wrong number of arguments", fs.Name())
	}
	return nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// keyValues parses "k=v" flags into a map.
func keyValues(flagName string, l listFlag) (map[string]string, error) {
	if len(l) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(l))
	for _, kv := range l {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--%s %q: want KEY=VALUE", flagName, kv)
		}
		m[k] = v
	}
	return m, nil
}

// kvFlag is a repeatable KEY=VALUE flag.
type kvFlag map[string]string

func (m kvFlag) String() string {
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func (m kvFlag) Set(s string) error {
	k, v, _ := strings.Cut(s, "=")
	if k == "" {
		return fmt.Errorf("%q: want KEY=VALUE", s)
	}
	m[k] = v
	return nil
}

// orNil returns nil for an empty map, so an unused flag sends nothing.
func (m kvFlag) orNil() map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// parseFilters turns KEY=VALUE strings into filters.
func parseFilters(list []string) (docker.Filters, error) {
	f := docker.Filters{}
	for _, s := range list {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("filter %q: want KEY=VALUE", s)
		}
		f.Add(k, v)
	}
	return f, nil
}

// printJSON prints v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	return enc.Encode(v)
}

// forEachArg runs fn for every argument, printing the argument on success
// and collecting the failures, as docker rm does.
func forEachArg(e *env, args []string, fn func(string) error) error {
	var errs []error
	for _, a := range args {
		if err := fn(a); err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintln(e.stdout, a)
	}
	return errors.Join(errs...)
}

// shortID shortens an id to 12 characters for tables.
func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
