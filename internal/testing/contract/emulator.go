package contract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// TestImageProcess emulates, in the fake Engine, the subset of the test
// image's berth-test program that the contract suite uses: echo, echoerr,
// cat, stdin-sum, write, sleep, exit, writefile and cat-file, chained with
// "--", and "signal: NAME" with exit 128+n when stopped.
func TestImageProcess() dockertest.Process {
	return func(ctx context.Context, p *dockertest.ProcessIO) int {
		args := p.Args[1:]
		for len(args) > 0 {
			cmd := args
			rest := []string(nil)
			for i, a := range args {
				if a == "--" {
					cmd, rest = args[:i], args[i+1:]
					break
				}
			}
			args = rest
			if code, done := runOne(ctx, p, cmd); done {
				return code
			}
		}
		return 0
	}
}

// runOne runs one subcommand; done reports that the chain ends with code.
func runOne(ctx context.Context, p *dockertest.ProcessIO, cmd []string) (code int, done bool) {
	if len(cmd) == 0 {
		fmt.Fprintln(p.Stderr, "berth-test: empty command")
		return 2, true
	}
	fail := func(err error) (int, bool) {
		if sig, ok := dockertest.SignalOf(ctx); ok {
			fmt.Fprintln(p.Stdout, "signal:", sig)
			return dockertest.ExitCodeFor(sig), true
		}
		fmt.Fprintln(p.Stderr, "berth-test:", err)
		return 1, true
	}
	switch cmd[0] {
	case "echo":
		fmt.Fprintln(p.Stdout, strings.Join(cmd[1:], " "))
	case "echoerr":
		fmt.Fprintln(p.Stderr, strings.Join(cmd[1:], " "))
	case "cat":
		if _, err := io.Copy(p.Stdout, readerCtx{ctx, p.Stdin}); err != nil {
			return fail(err)
		}
	case "stdin-sum":
		h := sha256.New()
		n, err := io.Copy(h, readerCtx{ctx, p.Stdin})
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(p.Stdout, "%s %d\n", hex.EncodeToString(h.Sum(nil)), n)
	case "write":
		if len(cmd) < 3 {
			return 2, true
		}
		n, _ := strconv.ParseInt(cmd[2], 10, 64)
		seed := uint64(1)
		if len(cmd) > 3 {
			seed, _ = strconv.ParseUint(cmd[3], 10, 64)
		}
		w := p.Stdout
		if cmd[1] == "stderr" {
			w = p.Stderr
		}
		if _, err := io.Copy(w, testenv.PatternReader(seed, n)); err != nil {
			return fail(err)
		}
	case "sleep":
		d, err := time.ParseDuration(cmd[len(cmd)-1])
		if err != nil {
			secs, _ := strconv.ParseFloat(cmd[len(cmd)-1], 64)
			d = time.Duration(secs * float64(time.Second))
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return fail(ctx.Err())
		}
	case "exit":
		c, _ := strconv.Atoi(cmd[len(cmd)-1])
		return c, true
	case "writefile":
		if len(cmd) < 3 {
			return 2, true
		}
		if err := p.Files.WriteFile(cmd[1], []byte(cmd[2]), 0o644); err != nil {
			return fail(err)
		}
	case "cat-file":
		b, err := p.Files.ReadFile(cmd[1])
		if err != nil {
			return fail(err)
		}
		_, _ = p.Stdout.Write(b)
	default:
		fmt.Fprintln(p.Stderr, "berth-test: unknown subcommand", cmd[0])
		return 127, true
	}
	if sig, ok := dockertest.SignalOf(ctx); ok {
		fmt.Fprintln(p.Stdout, "signal:", sig)
		return dockertest.ExitCodeFor(sig), true
	}
	return 0, false
}

// readerCtx ends a read with ctx's error once ctx is done (the fake cannot
// interrupt a blocked read any other way; its stdin pipe is closed on stop).
type readerCtx struct {
	ctx context.Context
	r   io.Reader
}

func (r readerCtx) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
