package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/berth-go/berth/docker/container"
)

// containerCommands returns the container subcommands.
func containerCommands() map[string]command {
	return map[string]command{
		"ps":    {"list containers", runPs},
		"run":   {"create and run a container, streaming its output", runRun},
		"logs":  {"print a container's logs", runLogs},
		"exec":  {"run a command in a running container", runExec},
		"stats": {"show containers' resource usage", runStats},
		"cp":    {"copy files between a container and the local file system", runCp},
		"rm":    {"remove containers", runRm},
		"stop":  {"stop containers", runStop},
		"wait":  {"wait for containers to stop and print their exit codes", runWait},
	}
}

func runPs(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ps", "[-a] [-q] [-s] [-n N] [--filter KEY=VALUE]...")
	all := fs.Bool("a", false, "show all containers (default: running ones)")
	quiet := fs.Bool("q", false, "print only ids")
	size := fs.Bool("s", false, "show sizes")
	last := fs.Int("n", 0, "show the n most recently created containers")
	var filters listFlag
	fs.Var(&filters, "filter", "filter KEY=VALUE (repeatable): label, name, status, ancestor, ...")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("ps takes no arguments")
	}
	var opts []container.ListOption
	if *all {
		opts = append(opts, container.All())
	}
	if *size {
		opts = append(opts, container.Size())
	}
	if *last > 0 {
		opts = append(opts, container.Limit(*last))
	}
	f, err := ctrFilters(filters)
	if err != nil {
		return err
	}
	for k, vs := range f {
		opts = append(opts, container.Filter(k, vs...))
	}
	list, err := container.New(e.cli).List(ctx, opts...)
	if err != nil {
		return err
	}
	if *quiet {
		for _, c := range list {
			fmt.Fprintln(e.stdout, shortID(c.ID))
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 3, ' ', 0)
	head := "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tNAMES"
	if *size {
		head += "\tSIZE"
	}
	fmt.Fprintln(tw, head)
	for _, c := range list {
		cmd := c.Command
		if len(cmd) > 22 {
			cmd = cmd[:21] + "…"
		}
		names := make([]string, len(c.Names))
		for i, n := range c.Names {
			names[i] = strings.TrimPrefix(n, "/")
		}
		line := fmt.Sprintf("%s\t%s\t%q\t%s\t%s\t%s", shortID(c.ID), c.Image, cmd, ctrAgo(time.Unix(c.Created, 0)), c.Status, strings.Join(names, ","))
		if *size {
			var rw, root int64
			if c.SizeRw != nil {
				rw = *c.SizeRw
			}
			if c.SizeRootFs != nil {
				root = *c.SizeRootFs
			}
			line += fmt.Sprintf("\t%s (virtual %s)", ctrBytes(uint64(rw)), ctrBytes(uint64(root)))
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}

func runRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run", "[--name N] [--rm] [-d] [-i] [-t] [-e K=V]... [--label K=V]... [--network MODE] [-m BYTES] [--entrypoint E] [-w DIR] [-u USER] IMAGE [COMMAND [ARG...]]")
	name := fs.String("name", "", "container name")
	rm := fs.Bool("rm", false, "remove the container when it exits")
	detach := fs.Bool("d", false, "start the container and print its id without waiting")
	interactive := fs.Bool("i", false, "send stdin to the container")
	tty := fs.Bool("t", false, "give the container a TTY (the local terminal is not put in raw mode)")
	var envs, labels listFlag
	fs.Var(&envs, "e", "environment variable KEY=VALUE (repeatable)")
	fs.Var(&labels, "label", "label KEY=VALUE (repeatable)")
	network := fs.String("network", "", "network mode: bridge, host, none, container:ID or a network name")
	memory := fs.Int64("m", 0, "memory limit in bytes")
	entrypoint := fs.String("entrypoint", "", "override the image's entrypoint")
	workdir := fs.String("w", "", "working directory")
	user := fs.String("u", "", "user[:group]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("run needs an image")
	}
	lm, err := keyValues("label", labels)
	if err != nil {
		return err
	}
	cfg := container.Config{
		Image: fs.Arg(0), Cmd: fs.Args()[1:], Env: envs, Labels: lm,
		Tty: *tty, WorkingDir: *workdir, User: *user,
	}
	if *entrypoint != "" {
		cfg.Entrypoint = []string{*entrypoint}
	}
	hc := container.HostConfig{NetworkMode: *network, Resources: container.Resources{Memory: *memory}}
	ctrs := container.New(e.cli)
	opts := []container.CreateOption{container.WithHostConfig(hc)}
	if *name != "" {
		opts = append(opts, container.Name(*name))
	}
	if *detach {
		if *rm {
			hc.AutoRemove = true
			opts[0] = container.WithHostConfig(hc)
		}
		c, err := ctrs.Create(ctx, cfg, opts...)
		if err != nil {
			return err
		}
		for _, w := range c.Warnings {
			fmt.Fprintln(e.stderr, "warning:", w)
		}
		if err := ctrs.Start(ctx, c.ID); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, c.ID)
		return nil
	}
	runOpts := []container.RunOption{container.WithStdout(e.stdout), container.WithStderr(e.stderr)}
	for _, o := range opts {
		runOpts = append(runOpts, o)
	}
	if *interactive {
		runOpts = append(runOpts, container.WithStdin(e.stdin))
	}
	if *rm {
		runOpts = append(runOpts, container.RemoveWhenDone())
	}
	res, err := ctrs.Run(ctx, cfg, runOpts...)
	for _, w := range res.Warnings {
		fmt.Fprintln(e.stderr, "warning:", w)
	}
	if err != nil {
		return err
	}
	if res.StatusCode != 0 {
		return exitCode(res.StatusCode)
	}
	return nil
}

func runRm(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "rm", "[-f] [-v] CONTAINER...")
	force := fs.Bool("f", false, "kill running containers first")
	volumes := fs.Bool("v", false, "remove anonymous volumes too")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("rm needs at least one container")
	}
	var opts []container.RemoveOption
	if *force {
		opts = append(opts, container.Force())
	}
	if *volumes {
		opts = append(opts, container.RemoveVolumes())
	}
	ctrs := container.New(e.cli)
	return ctrEach(e, fs.Args(), func(id string) error { return ctrs.Remove(ctx, id, opts...) })
}

func runStop(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stop", "[-t SECONDS] [--signal SIGNAL] CONTAINER...")
	timeout := fs.Int("t", -2, "seconds to wait before killing (default: the container's)")
	signal := fs.String("signal", "", "signal to send (default: the container's stop signal; API >= 1.42)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("stop needs at least one container")
	}
	var opts []container.StopOption
	if *timeout != -2 {
		opts = append(opts, container.Timeout(time.Duration(*timeout)*time.Second))
	}
	if *signal != "" {
		opts = append(opts, container.Signal(*signal))
	}
	ctrs := container.New(e.cli)
	return ctrEach(e, fs.Args(), func(id string) error { return ctrs.Stop(ctx, id, opts...) })
}

func runWait(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "wait", "[--condition not-running|next-exit|removed] CONTAINER...")
	cond := fs.String("condition", "", "what to wait for (default not-running)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("wait needs at least one container")
	}
	var opts []container.WaitOption
	if *cond != "" {
		opts = append(opts, container.Condition(container.WaitCondition(*cond)))
	}
	ctrs := container.New(e.cli)
	var first error
	for _, id := range fs.Args() {
		exit, err := ctrs.Wait(ctx, id, opts...)
		if err != nil {
			if first == nil {
				first = err
			} else {
				fmt.Fprintln(e.stderr, "berth:", err)
			}
			continue
		}
		fmt.Fprintln(e.stdout, strconv.FormatInt(exit.StatusCode, 10))
	}
	return first
}
