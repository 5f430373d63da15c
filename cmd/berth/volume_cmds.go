package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/berth-go/berth/docker/volume"
)

// The volume command is registered by networkCommands (network_cmds.go).

func volumeSubs() map[string]subcommand {
	return map[string]subcommand{
		"ls":      {"[--filter KEY=VALUE]... [-q]", runVolumeList},
		"create":  {"[--driver D] [--opt K=V]... [--label K=V]... [NAME]", runVolumeCreate},
		"inspect": {"VOLUME...", runVolumeInspect},
		"rm":      {"[--force] VOLUME...", runVolumeRemove},
		"prune":   {"[--all] [--filter KEY=VALUE]...", runVolumePrune},
	}
}

func runVolume(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "volume", volumeSubs(), args)
}

func runVolumeList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "volume ls", volumeSubs()["ls"].usage)
	var filters listFlag
	fs.Var(&filters, "filter", "filter KEY=VALUE (repeatable): dangling, driver, label, name")
	quiet := fs.Bool("q", false, "print only names")
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
	list, err := volume.New(e.cli).List(ctx, volume.Filters(f))
	if err != nil {
		return err
	}
	for _, w := range list.Warnings {
		fmt.Fprintln(e.stderr, "warning:", w)
	}
	if *quiet {
		for _, v := range list.Volumes {
			fmt.Fprintln(e.stdout, v.Name)
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "DRIVER\tVOLUME NAME")
	for _, v := range list.Volumes {
		fmt.Fprintf(tw, "%s\t%s\n", v.Driver, v.Name)
	}
	return tw.Flush()
}

func runVolumeCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "volume create", volumeSubs()["create"].usage)
	var req volume.CreateRequest
	labels, opts := kvFlag{}, kvFlag{}
	fs.StringVar(&req.Driver, "driver", "", "volume driver (default local)")
	fs.Var(opts, "opt", "driver option KEY=VALUE (repeatable)")
	fs.Var(labels, "label", "label KEY=VALUE (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 0, 1); err != nil {
		return err
	}
	req.Name, req.Labels, req.DriverOpts = fs.Arg(0), labels.orNil(), opts.orNil()
	v, err := volume.New(e.cli).Create(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, v.Name)
	return nil
}

func runVolumeInspect(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "volume inspect", volumeSubs()["inspect"].usage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 1, -1); err != nil {
		return err
	}
	vols := volume.New(e.cli)
	out := make([]volume.Volume, 0, fs.NArg())
	for _, name := range fs.Args() {
		v, err := vols.Inspect(ctx, name)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	return printJSON(e.stdout, out)
}

func runVolumeRemove(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "volume rm", volumeSubs()["rm"].usage)
	force := fs.Bool("force", false, "forget the volume even if its driver fails to remove it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 1, -1); err != nil {
		return err
	}
	var opts []volume.RemoveOption
	if *force {
		opts = append(opts, volume.Force())
	}
	vols := volume.New(e.cli)
	return forEachArg(e, fs.Args(), func(name string) error { return vols.Remove(ctx, name, opts...) })
}

func runVolumePrune(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "volume prune", volumeSubs()["prune"].usage)
	var filters listFlag
	fs.Var(&filters, "filter", "filter KEY=VALUE (repeatable): label, label!")
	all := fs.Bool("all", false, "named volumes too, not only anonymous ones")
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
	opts := []volume.PruneOption{volume.Filters(f)}
	if *all {
		opts = append(opts, volume.All())
	}
	report, err := volume.New(e.cli).Prune(ctx, opts...)
	if err != nil {
		return err
	}
	if len(report.VolumesDeleted) > 0 {
		fmt.Fprintln(e.stdout, "Deleted Volumes:")
	}
	for _, v := range report.VolumesDeleted {
		fmt.Fprintln(e.stdout, v)
	}
	fmt.Fprintf(e.stdout, "Total reclaimed space: %d B\n", report.SpaceReclaimed)
	return nil
}
