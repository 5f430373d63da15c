// Command berth is a small docker-like command built on the berth library.
// It finds the daemon the way the docker CLI does (DOCKER_HOST,
// DOCKER_CONTEXT, the config's currentContext) and prints what the library
// returns.
//
//	berth [--host HOST] [--context NAME] COMMAND [ARGS...]
//
// BERTH_HOST, when set, is the host for commands given neither --host nor
// --context. The host memory:// is the in-memory Engine (docker/dockertest),
// started inside berth for the one command; `berth demo`, a guided tour of
// the library, runs there unless the user names a daemon.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/berth-go/berth/docker"
)

// command is one subcommand. run gets the client and the arguments after
// the command name; it writes to stdout and returns an error for stderr.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every command receives.
type env struct {
	cli    *docker.Client
	memory bool // cli talks to the in-memory Engine (memory://)
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader
}

// commands lists every subcommand. Resource groups add theirs from their own
// files through these maps' literal entries.
func commands() map[string]command {
	m := map[string]command{
		"version": {"show the daemon's and the client's versions", runVersion},
		"info":    {"show system-wide information", runInfo},
		"ping":    {"check that the daemon answers", runPing},
		"events":  {"stream the daemon's events", runEvents},
		"demo":    {"a guided tour of the library (the in-memory Engine unless a daemon is named)", runDemo},
	}
	for _, more := range []map[string]command{containerCommands(), imageCommands(), networkCommands(), swarmCommands()} {
		for k, v := range more {
			m[k] = v
		}
	}
	return m
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "berth:", err)
		var exit exitCode
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		os.Exit(1)
	}
}

// exitCode is returned by commands that end with a container's exit status.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("berth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "", "daemon address, or memory:// for the in-memory Engine (default: BERTH_HOST, DOCKER_HOST, the context, or the default socket)")
	ctxName := fs.String("context", "", "docker CLI context to use")
	debug := fs.Bool("debug", false, "log every request to stderr")
	cmds := commands()
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: berth [--host HOST] [--context NAME] COMMAND [ARGS...]\n\ncommands:")
		names := make([]string, 0, len(cmds))
		for n := range cmds {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(stderr, "  %-10s %s\n", n, cmds[n].summary)
		}
		fmt.Fprintln(stderr, "\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("no command given")
	}
	cmd, ok := cmds[fs.Arg(0)]
	if !ok {
		fs.Usage()
		return fmt.Errorf("unknown command %q", fs.Arg(0))
	}
	var logTo io.Writer
	if *debug {
		logTo = stderr
	}
	cli, memory, closeCli, err := connect(chooseHost(*host, *ctxName, fs.Arg(0), os.Getenv), *ctxName, logTo)
	if err != nil {
		return err
	}
	defer closeCli()
	return cmd.run(ctx, &env{cli: cli, memory: memory, stdout: stdout, stderr: stderr, stdin: stdin}, fs.Args()[1:])
}
