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

// swSub is a subcommand of a swarm command group (service, node, secret,
// config).
type swSub struct {
	usage string
	run   func(ctx context.Context, e *env, args []string) error
}

// swDispatch runs the subcommand args[0] of group.
func swDispatch(ctx context.Context, e *env, group string, subs map[string]swSub, args []string) error {
	if len(args) == 0 {
		swUsage(e, group, subs)
		return fmt.Errorf("%s: no subcommand given", group)
	}
	sub, ok := subs[args[0]]
	if !ok {
		swUsage(e, group, subs)
		return fmt.Errorf("%s: unknown subcommand %q", group, args[0])
	}
	return sub.run(ctx, e, args[1:])
}

func swUsage(e *env, group string, subs map[string]swSub) {
	names := make([]string, 0, len(subs))
	for n := range subs {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(e.stderr, "usage:\n")
	for _, n := range names {
		fmt.Fprintf(e.stderr, "  berth %s %s %s\n", group, n, subs[n].usage)
	}
}

// swFlags returns a flag set that reports to the command's stderr.
func swFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: berth %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// swArgs checks the number of positional arguments (max < 0: no limit).
func swArgs(fs *flag.FlagSet, min, max int) error {
	if n := fs.NArg(); n < min || (max >= 0 && n > max) {
		fs.Usage()
		return fmt.Errorf("%s: wrong number of arguments", fs.Name())
	}
	return nil
}

// swList is a repeatable string flag.
type swList []string

func (l *swList) String() string     { return strings.Join(*l, ",") }
func (l *swList) Set(s string) error { *l = append(*l, s); return nil }

// swKV is a repeatable KEY=VALUE flag.
type swKV map[string]string

func (m swKV) String() string { return fmt.Sprint(map[string]string(m)) }

func (m swKV) Set(s string) error {
	k, v, _ := strings.Cut(s, "=")
	if k == "" {
		return fmt.Errorf("%q: want KEY=VALUE", s)
	}
	m[k] = v
	return nil
}

// orNil returns nil for an empty map, so an unused flag sends nothing.
func (m swKV) orNil() map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// swFilters turns KEY=VALUE strings into filters.
func swFilters(list []string) (docker.Filters, error) {
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

// swJSON prints v as indented JSON.
func swJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	return enc.Encode(v)
}

// swEach runs fn for every argument, printing the argument on success and
// collecting the failures, as docker rm does.
func swEach(e *env, args []string, fn func(string) error) error {
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

// swShort shortens an id for tables.
func swShort(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
