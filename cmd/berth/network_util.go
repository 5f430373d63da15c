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

// nvSub is one subcommand of a resource command (network ls, volume rm, ...).
type nvSub struct {
	usage string // flags and arguments, for help
	run   func(ctx context.Context, e *env, args []string) error
}

// nvDispatch runs the subcommand named by args[0] of the resource command
// group.
func nvDispatch(ctx context.Context, e *env, group string, subs map[string]nvSub, args []string) error {
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

// nvFlags returns a flag set for "berth GROUP SUB", whose flags come before
// its arguments.
func nvFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: berth %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// nvKV is a repeatable KEY=VALUE flag.
type nvKV map[string]string

func (m nvKV) String() string {
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func (m nvKV) Set(s string) error {
	k, v, _ := strings.Cut(s, "=")
	if k == "" {
		return fmt.Errorf("%q: want KEY=VALUE", s)
	}
	m[k] = v
	return nil
}

// orNil returns nil for an empty map, so an unused flag sends nothing.
func (m nvKV) orNil() map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// nvList is a repeatable string flag.
type nvList []string

func (l *nvList) String() string     { return strings.Join(*l, ",") }
func (l *nvList) Set(s string) error { *l = append(*l, s); return nil }

// nvFilters turns KEY=VALUE strings into filters.
func nvFilters(list []string) (docker.Filters, error) {
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

// nvJSON prints v as indented JSON.
func nvJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	return enc.Encode(v)
}

// nvEach runs fn for every argument, printing the argument on success and
// collecting the failures, as docker rm does.
func nvEach(e *env, args []string, fn func(string) error) error {
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

// nvArgs checks the number of positional arguments.
func nvArgs(fs *flag.FlagSet, args []string, min, max int) error {
	if len(args) < min || (max >= 0 && len(args) > max) {
		fs.Usage()
		return fmt.Errorf("%s: wrong number of arguments", fs.Name())
	}
	return nil
}

// nvShort shortens an id for tables.
func nvShort(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
