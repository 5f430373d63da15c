package dockertest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"syscall"
	"time"
)

// Process is what a fake container's command (or an exec's) does. It runs
// in its own goroutine when the container starts and returns the exit
// status. It must return soon after ctx is done: stop, kill, restart and
// removal cancel ctx, with the signal as the cause (see SignalOf).
//
// Output written to Stdout and Stderr becomes the container's log and goes
// to attached clients, framed as the Engine frames it (or raw with a TTY).
type Process func(ctx context.Context, p *ProcessIO) int

// ProcessIO is what a Process sees.
type ProcessIO struct {
	Args   []string  // the command: the entrypoint followed by the arguments
	Env    []string  // "KEY=value": the image's, then the container's
	TTY    bool      // whether the container (or exec) has a terminal
	Stdin  io.Reader // reads return io.EOF when stdin is closed or was never open
	Stdout io.Writer
	Stderr io.Writer // with a TTY, the same as Stdout (as on a terminal)
	// Files is the container's file system, which archive and export
	// endpoints also read and write.
	Files *FS
}

// Signal is the cause of a Process's ctx when the container was stopped or
// killed: the signal's name, e.g. "SIGTERM".
type Signal string

func (s Signal) Error() string { return "signal " + string(s) }

// SignalOf reports the signal that ended ctx, if any.
func SignalOf(ctx context.Context) (string, bool) {
	var s Signal
	if errors.As(context.Cause(ctx), &s) {
		return string(s), true
	}
	return "", false
}

// ExitCodeFor is the status a process killed by the signal named sig exits
// with by convention: 128 + the signal number (137 for SIGKILL, 143 for
// SIGTERM).
func ExitCodeFor(sig string) int {
	if n, ok := signalNumbers[strings.TrimPrefix(strings.ToUpper(sig), "SIG")]; ok {
		return 128 + n
	}
	return 128 + int(syscall.SIGKILL)
}

var signalNumbers = map[string]int{
	"HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "BUS": 7, "FPE": 8, "KILL": 9,
	"USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14, "TERM": 15, "CHLD": 17, "CONT": 18,
	"STOP": 19, "TSTP": 20, "TTIN": 21, "TTOU": 22, "WINCH": 28,
}

// normalizeSignal turns "9", "kill", "SIGKILL" into "SIGKILL"; "" for an
// unknown signal.
func normalizeSignal(s string) string {
	if s == "" {
		return "SIGKILL"
	}
	up := strings.TrimPrefix(strings.ToUpper(s), "SIG")
	if _, ok := signalNumbers[up]; ok {
		return "SIG" + up
	}
	for name, n := range signalNumbers {
		if fmt.Sprint(n) == s {
			return "SIG" + name
		}
	}
	return ""
}

// HandleProcess registers what the command named name does; name is matched
// against the command's first word, as given or by its base name ("echo"
// matches "/bin/echo"). It replaces a built-in of the same name.
//
// Builds use the same table for RUN instructions: the Process runs on the
// image being built, whose Files keep what it writes.
//
// Built-ins: echo (prints its arguments), cat (copies stdin to stdout),
// sleep SECONDS, true and false. A command that matches nothing fails to
// start, like a missing executable does on the Engine.
func (s *Server) HandleProcess(name string, p Process) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.processes[name] = p
}

// lookupProcess finds the Process for args; the caller holds s.mu.
func (st *state) lookupProcess(args []string) (Process, bool) {
	if len(args) == 0 {
		return nil, false
	}
	if p, ok := st.processes[args[0]]; ok {
		return p, true
	}
	if p, ok := st.processes[path.Base(args[0])]; ok {
		return p, true
	}
	return nil, false
}

func builtinProcesses() map[string]Process {
	return map[string]Process{
		"echo": func(_ context.Context, p *ProcessIO) int {
			fmt.Fprintln(p.Stdout, strings.Join(p.Args[1:], " "))
			return 0
		},
		"cat": func(ctx context.Context, p *ProcessIO) int {
			if _, err := io.Copy(p.Stdout, p.Stdin); err != nil {
				if sig, ok := SignalOf(ctx); ok {
					return ExitCodeFor(sig)
				}
				return 1
			}
			return 0
		},
		"sleep": func(ctx context.Context, p *ProcessIO) int {
			d := time.Hour
			if len(p.Args) > 1 {
				var secs float64
				if _, err := fmt.Sscan(p.Args[1], &secs); err != nil {
					fmt.Fprintln(p.Stderr, "sleep: invalid time interval", p.Args[1])
					return 1
				}
				d = time.Duration(secs * float64(time.Second))
			}
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
				return 0
			case <-ctx.Done():
				sig, _ := SignalOf(ctx)
				return ExitCodeFor(sig)
			}
		},
		"true":  func(context.Context, *ProcessIO) int { return 0 },
		"false": func(context.Context, *ProcessIO) int { return 1 },
	}
}
