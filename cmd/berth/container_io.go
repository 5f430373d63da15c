package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/berth-go/berth/docker/container"
)

func runLogs(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "logs", "[-f] [-t] [--tail N] [--since DURATION] [--until DURATION] CONTAINER")
	follow := fs.Bool("f", false, "follow the output")
	timestamps := fs.Bool("t", false, "show timestamps")
	tail := fs.Int("tail", -1, "show only the last N lines")
	since := fs.Duration("since", 0, "show output since this long ago")
	until := fs.Duration("until", 0, "show output until this long ago")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("logs needs one container")
	}
	var opts []container.LogsOption
	if *follow {
		opts = append(opts, container.Follow())
	}
	if *timestamps {
		opts = append(opts, container.Timestamps())
	}
	if *tail >= 0 {
		opts = append(opts, container.Tail(*tail))
	}
	if *since > 0 {
		opts = append(opts, container.Since(time.Now().Add(-*since)))
	}
	if *until > 0 {
		opts = append(opts, container.Until(time.Now().Add(-*until)))
	}
	logs, err := container.New(e.cli).Logs(ctx, fs.Arg(0), opts...)
	if err != nil {
		return err
	}
	defer logs.Close()
	_, err = logs.Demux(e.stdout, e.stderr)
	if err != nil && ctx.Err() != nil {
		return nil // interrupted while following
	}
	return err
}

func runExec(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "exec", "[-d] [-i] [-t] [-e K=V]... [-w DIR] [-u USER] CONTAINER COMMAND [ARG...]")
	detach := fs.Bool("d", false, "run in the background")
	interactive := fs.Bool("i", false, "send stdin to the command")
	tty := fs.Bool("t", false, "give the command a TTY (the local terminal is not put in raw mode)")
	var envs listFlag
	fs.Var(&envs, "e", "environment variable KEY=VALUE (repeatable)")
	workdir := fs.String("w", "", "working directory")
	user := fs.String("u", "", "user[:group]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		fs.Usage()
		return errors.New("exec needs a container and a command")
	}
	ctrs := container.New(e.cli)
	cfg := container.ExecConfig{Cmd: fs.Args()[1:], Env: envs, WorkingDir: *workdir, User: *user, Tty: *tty}
	if *detach {
		id, err := ctrs.ExecCreate(ctx, fs.Arg(0), cfg)
		if err != nil {
			return err
		}
		return ctrs.ExecStartDetached(ctx, id, container.TTY(*tty))
	}
	opts := []container.ExecOption{container.WithStdout(e.stdout), container.WithStderr(e.stderr)}
	if *interactive {
		opts = append(opts, container.WithStdin(e.stdin))
	}
	res, err := ctrs.Exec(ctx, fs.Arg(0), cfg, opts...)
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		return exitCode(res.ExitCode)
	}
	return nil
}

func runStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats", "[--no-stream] [-n SAMPLES] CONTAINER...")
	noStream := fs.Bool("no-stream", false, "print one sample of each container and exit")
	samples := fs.Int("n", 0, "stop after this many samples (streaming one container)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("stats needs at least one container")
	}
	if !*noStream && fs.NArg() > 1 {
		return errors.New("stats streams one container at a time: give --no-stream for several")
	}
	ctrs := container.New(e.cli)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "CONTAINER ID\tNAME\tCPU %\tMEM USAGE / LIMIT\tMEM %\tNET I/O\tBLOCK I/O\tPIDS")
	row := func(id string, st container.Stats) {
		rx, tx := st.NetworkIO()
		r, w := st.BlockIO()
		fmt.Fprintf(tw, "%s\t%s\t%.2f%%\t%s / %s\t%.2f%%\t%s / %s\t%s / %s\t%d\n",
			shortID(orDefault(st.ID, id)), strings.TrimPrefix(st.Name, "/"), st.CPUPercent(),
			ctrBytes(st.MemoryUsage()), ctrBytes(st.MemoryStats.Limit), st.MemoryPercent(),
			ctrBytes(rx), ctrBytes(tx), ctrBytes(r), ctrBytes(w), st.PidsStats.Current)
	}
	if *noStream {
		var first error
		for _, id := range fs.Args() {
			st, err := ctrs.StatsOnce(ctx, id)
			if err != nil {
				if first == nil {
					first = err
				} else {
					fmt.Fprintln(e.stderr, "berth:", err)
				}
				continue
			}
			row(id, st)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		return first
	}
	n := 0
	for st, err := range ctrs.Stats(ctx, fs.Arg(0)) {
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		row(fs.Arg(0), st)
		if err := tw.Flush(); err != nil {
			return err
		}
		if n++; *samples > 0 && n >= *samples {
			break
		}
	}
	return nil
}

func runCp(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "cp", "CONTAINER:PATH LOCALDIR|-  or  LOCALPATH|- CONTAINER:DIR")
	noOverwrite := fs.Bool("no-overwrite-dir-non-dir", false, "refuse to replace a directory with a file or the other way round")
	uidgid := fs.Bool("a", false, "give the copied files the container user's owner")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return errors.New("cp needs a source and a destination")
	}
	src, dst := fs.Arg(0), fs.Arg(1)
	ctrs := container.New(e.cli)
	if id, path, ok := ctrPath(src); ok {
		if _, _, ok := ctrPath(dst); ok {
			return errors.New("cp copies between a container and the local file system, not between containers")
		}
		if dst == "-" { // the tar stream itself
			rc, _, err := ctrs.CopyFrom(ctx, id, path)
			if err != nil {
				return err
			}
			defer rc.Close()
			_, err = io.Copy(e.stdout, rc)
			return err
		}
		return ctrs.CopyOut(ctx, id, path, dst)
	}
	id, path, ok := ctrPath(dst)
	if !ok {
		return errors.New("cp needs CONTAINER:PATH on one side")
	}
	var opts []container.CopyToOption
	if *noOverwrite {
		opts = append(opts, container.NoOverwriteDirNonDir())
	}
	if *uidgid {
		opts = append(opts, container.CopyUIDGID())
	}
	if src == "-" {
		return ctrs.CopyTo(ctx, id, path, e.stdin, opts...)
	}
	return ctrs.CopyIn(ctx, id, src, path, opts...)
}

// ctrPath splits "CONTAINER:PATH". A local path with a colon can be given
// as ./a:b.
func ctrPath(arg string) (id, path string, ok bool) {
	if strings.HasPrefix(arg, "/") || strings.HasPrefix(arg, ".") {
		return "", "", false
	}
	id, path, ok = strings.Cut(arg, ":")
	return id, path, ok && id != ""
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
