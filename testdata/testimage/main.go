// Command berth-test is the program inside berth's integration test image:
// a static, stdlib-only multi-tool that runs as the image's entrypoint
// (PID 1 in a FROM scratch container) and does one small, checkable thing
// per subcommand.
//
// Usage:
//
//	berth-test SUBCOMMAND [ARGS...] [-- SUBCOMMAND [ARGS...]]...
//
// Subcommands separated by a lone "--" argument run in order; the chain
// stops at the first one that fails, and "exit" ends it. A "--" therefore
// cannot be passed as an argument to a subcommand.
//
// Streams and timing:
//
//	echo ARGS...               ARGS joined by spaces, and a newline, on stdout
//	echoerr ARGS...            the same on stderr
//	env                        the environment, sorted, one variable a line
//	cat                        copy stdin to stdout until EOF
//	stdin-sum                  read stdin to EOF, print "<sha256 hex> <bytes>"
//	write STREAM N [SEED]      N pattern bytes (seed 1 by default) to STREAM,
//	                           which is stdout or stderr
//	interleave OUT ERR CHUNK   OUT bytes of pattern seed 1 on stdout and ERR
//	                           bytes of seed 2 on stderr, alternating writes
//	                           of at most CHUNK bytes, stdout first
//	sum-pattern N [SEED]       the sha256 hex of what "write stdout N SEED"
//	                           writes
//	ticker N INTERVAL          "tick 1" .. "tick N" on stdout, the first at
//	                           once, then one every INTERVAL
//	sleep DURATION             sleep, then succeed
//	exit CODE                  end the chain, exiting with CODE
//
// Durations are Go durations ("200ms", "1m") or plain seconds ("60", "0.5").
//
// Files:
//
//	writefile PATH CONTENT     write CONTENT (no newline added), creating
//	                           parent directories
//	mkdir PATH                 create PATH and its parents
//	ls DIR                     every entry below DIR, sorted by relative path:
//	                           "<mode> <size> <path>[ -> <link target>]";
//	                           size is 0 for anything but regular files
//	sha256 PATH...             "<sha256 hex>  <path>" for each file
//	cat-file PATH              copy the file to stdout
//
// Configuration:
//
//	hostname                   the host name
//	id                         "<uid> <gid>"
//	pwd                        the working directory
//	args                       os.Args as a JSON array
//	ttysize DURATION           the terminal size of stdout, "ROWS COLS";
//	                           then, after one SIGWINCH (waited for at most
//	                           DURATION), the size again
//
// On SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2 or SIGTERM, whatever runs, it
// prints "signal: <NAME>" (for example "signal: SIGTERM") on stdout and exits
// with 128 plus the signal number. Handlers are needed because the kernel
// drops signals that PID 1 does not handle.
//
// Exit status: 0 on success, 1 when a subcommand fails, 2 on bad usage, 127
// for an unknown subcommand, 128+N on signal N, and CODE for "exit CODE".
// The program has no networking at all.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// command runs one subcommand with its arguments.
type command func(args []string) error

// commands maps subcommand names to their implementations.
var commands = map[string]command{
	"echo":        cmdEcho,
	"echoerr":     cmdEchoErr,
	"env":         cmdEnv,
	"cat":         cmdCat,
	"stdin-sum":   cmdStdinSum,
	"write":       cmdWrite,
	"interleave":  cmdInterleave,
	"sum-pattern": cmdSumPattern,
	"ticker":      cmdTicker,
	"sleep":       cmdSleep,
	"exit":        cmdExit,
	"writefile":   cmdWriteFile,
	"mkdir":       cmdMkdir,
	"ls":          cmdLs,
	"sha256":      cmdSHA256,
	"cat-file":    cmdCatFile,
	"hostname":    cmdHostname,
	"id":          cmdID,
	"pwd":         cmdPwd,
	"args":        cmdArgs,
	"ttysize":     cmdTTYSize,
}

// exitError ends the chain with a given status.
type exitError struct {
	code int
}

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// usageError reports bad arguments; the program exits with status 2.
type usageError struct {
	msg string
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// signalNames names the signals the program handles.
var signalNames = map[syscall.Signal]string{
	syscall.SIGHUP:  "SIGHUP",
	syscall.SIGINT:  "SIGINT",
	syscall.SIGQUIT: "SIGQUIT",
	syscall.SIGUSR1: "SIGUSR1",
	syscall.SIGUSR2: "SIGUSR2",
	syscall.SIGTERM: "SIGTERM",
}

func main() {
	handleSignals()
	os.Exit(run(os.Args[1:]))
}

// handleSignals installs handlers that report the signal and exit 128+N.
func handleSignals() {
	ch := make(chan os.Signal, 1)
	for sig := range signalNames {
		signal.Notify(ch, sig)
	}
	go func() {
		sig := (<-ch).(syscall.Signal)
		fmt.Fprintf(os.Stdout, "signal: %s\n", signalNames[sig])
		os.Exit(128 + int(sig))
	}()
}

// run executes the chain in args and returns the exit status.
func run(args []string) int {
	chain := splitChain(args)
	if len(chain) == 0 {
		fmt.Fprintln(os.Stderr, "berth-test: usage: berth-test SUBCOMMAND [ARGS...] [-- SUBCOMMAND [ARGS...]]...")
		return 2
	}
	for _, step := range chain {
		name := step[0]
		cmd, ok := commands[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "berth-test: unknown subcommand %q\n", name)
			return 127
		}
		if err := cmd(step[1:]); err != nil {
			var exit *exitError
			var usage *usageError
			switch {
			case errors.As(err, &exit):
				return exit.code
			case errors.As(err, &usage):
				fmt.Fprintf(os.Stderr, "berth-test: %s: %v\n", name, err)
				return 2
			default:
				fmt.Fprintf(os.Stderr, "berth-test: %s: %v\n", name, err)
				return 1
			}
		}
	}
	return 0
}

// splitChain splits args at each lone "--", dropping empty steps.
func splitChain(args []string) [][]string {
	var chain [][]string
	start := 0
	for i := 0; i <= len(args); i++ {
		if i < len(args) && args[i] != "--" {
			continue
		}
		if i > start {
			chain = append(chain, args[start:i])
		}
		start = i + 1
	}
	return chain
}
