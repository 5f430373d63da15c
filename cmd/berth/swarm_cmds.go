package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/berth-go/berth/docker/swarm"
)

// swarmCommands returns the swarm subcommands.
func swarmCommands() map[string]command {
	return map[string]command{
		"service": {"manage swarm services (ls, create, inspect, scale, logs, rm)", runService},
		"node":    {"list swarm nodes (ls)", runNode},
		"secret":  {"manage swarm secrets (ls, create, rm)", runSecret},
		"config":  {"manage swarm configs (ls, create, rm)", runConfig},
	}
}

func runNode(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "node", map[string]subcommand{
		"ls": {"[--filter KEY=VALUE]... [-q]", runNodeList},
	}, args)
}

func runNodeList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "node ls", "[--filter KEY=VALUE]... [-q]")
	var filters listFlag
	fs.Var(&filters, "filter", "filter KEY=VALUE (repeatable): id, label, membership, name, node.label, role")
	quiet := fs.Bool("q", false, "print only ids")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 0, 0); err != nil {
		return err
	}
	f, err := parseFilters(filters)
	if err != nil {
		return err
	}
	nodes, err := swarm.New(e.cli).Nodes().List(ctx, swarm.Filters(f))
	if err != nil {
		return err
	}
	if *quiet {
		for _, n := range nodes {
			fmt.Fprintln(e.stdout, n.ID)
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "ID\tHOSTNAME\tSTATUS\tAVAILABILITY\tMANAGER STATUS\tENGINE VERSION")
	for _, n := range nodes {
		manager := ""
		if m := n.ManagerStatus; m != nil {
			manager = string(m.Reachability)
			if m.Leader {
				manager = "Leader"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", n.ID, n.Description.Hostname, n.Status.State,
			n.Spec.Availability, manager, n.Description.Engine.EngineVersion)
	}
	return tw.Flush()
}

func runSecret(ctx context.Context, e *env, args []string) error {
	secrets := swarm.New(e.cli).Secrets()
	return dispatch(ctx, e, "secret", swObjectSubs("secret", swObjects{
		list: func(ctx context.Context, opts ...swarm.ListOption) ([]swObject, error) {
			list, err := secrets.List(ctx, opts...)
			out := make([]swObject, len(list))
			for i, s := range list {
				out[i] = swObject{s.ID, s.Spec.Name, s.CreatedAt, s.UpdatedAt}
			}
			return out, err
		},
		create: func(ctx context.Context, name string, labels map[string]string, data []byte) (string, error) {
			return secrets.Create(ctx, swarm.SecretSpec{Name: name, Labels: labels, Data: data})
		},
		remove: secrets.Remove,
	}), args)
}

func runConfig(ctx context.Context, e *env, args []string) error {
	configs := swarm.New(e.cli).Configs()
	return dispatch(ctx, e, "config", swObjectSubs("config", swObjects{
		list: func(ctx context.Context, opts ...swarm.ListOption) ([]swObject, error) {
			list, err := configs.List(ctx, opts...)
			out := make([]swObject, len(list))
			for i, c := range list {
				out[i] = swObject{c.ID, c.Spec.Name, c.CreatedAt, c.UpdatedAt}
			}
			return out, err
		},
		create: func(ctx context.Context, name string, labels map[string]string, data []byte) (string, error) {
			return configs.Create(ctx, swarm.ConfigSpec{Name: name, Labels: labels, Data: data})
		},
		remove: configs.Remove,
	}), args)
}

// swObject is what the secret and config tables show.
type swObject struct {
	id, name           string
	created, updatedAt time.Time
}

// swObjects are the calls the secret and config commands share.
type swObjects struct {
	list   func(ctx context.Context, opts ...swarm.ListOption) ([]swObject, error)
	create func(ctx context.Context, name string, labels map[string]string, data []byte) (string, error)
	remove func(ctx context.Context, id string) error
}

// swObjectSubs returns ls, create and rm for secrets or configs.
func swObjectSubs(kind string, calls swObjects) map[string]subcommand {
	return map[string]subcommand{
		"ls": {"[--filter KEY=VALUE]... [-q]", func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, kind+" ls", "[--filter KEY=VALUE]... [-q]")
			var filters listFlag
			fs.Var(&filters, "filter", "filter KEY=VALUE (repeatable): id, label, name")
			quiet := fs.Bool("q", false, "print only ids")
			if err := fs.Parse(args); err != nil {
				return err
			}
			if err := checkArgs(fs, 0, 0); err != nil {
				return err
			}
			f, err := parseFilters(filters)
			if err != nil {
				return err
			}
			list, err := calls.list(ctx, swarm.Filters(f))
			if err != nil {
				return err
			}
			if *quiet {
				for _, o := range list {
					fmt.Fprintln(e.stdout, o.id)
				}
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 3, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tCREATED\tUPDATED")
			for _, o := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.id, o.name,
					o.created.Format(time.RFC3339), o.updatedAt.Format(time.RFC3339))
			}
			return tw.Flush()
		}},
		"create": {"[--label KEY=VALUE]... NAME FILE|-", func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, kind+" create", "[--label KEY=VALUE]... NAME FILE|-")
			labels := kvFlag{}
			fs.Var(labels, "label", "label KEY=VALUE (repeatable)")
			if err := fs.Parse(args); err != nil {
				return err
			}
			if err := checkArgs(fs, 2, 2); err != nil {
				return err
			}
			data, err := swReadData(e, fs.Arg(1))
			if err != nil {
				return err
			}
			id, err := calls.create(ctx, fs.Arg(0), labels.orNil(), data)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, id)
			return nil
		}},
		"rm": {kind + "...", func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, kind+" rm", kind+"...")
			if err := fs.Parse(args); err != nil {
				return err
			}
			if err := checkArgs(fs, 1, -1); err != nil {
				return err
			}
			return forEachArg(e, fs.Args(), func(id string) error { return calls.remove(ctx, id) })
		}},
	}
}

// swReadData reads a secret's or config's content from a file, or from
// stdin for "-" (at most 1 MiB: the daemon refuses larger ones anyway).
func swReadData(e *env, name string) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = e.stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	const limit = 1 << 20
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%s: more than %d bytes", name, limit)
	}
	return data, nil
}
