package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// bufSize is the size of the writes that "write" makes.
const bufSize = 1 << 20

func cmdEcho(args []string) error {
	_, err := io.WriteString(os.Stdout, strings.Join(args, " ")+"\n")
	return err
}

func cmdEchoErr(args []string) error {
	_, err := io.WriteString(os.Stderr, strings.Join(args, " ")+"\n")
	return err
}

func cmdEnv(args []string) error {
	if len(args) != 0 {
		return usagef("takes no arguments")
	}
	env := os.Environ()
	slices.Sort(env)
	var b strings.Builder
	for _, kv := range env {
		b.WriteString(kv)
		b.WriteByte('\n')
	}
	_, err := io.WriteString(os.Stdout, b.String())
	return err
}

func cmdCat(args []string) error {
	if len(args) != 0 {
		return usagef("takes no arguments")
	}
	_, err := io.Copy(os.Stdout, os.Stdin)
	return err
}

func cmdStdinSum(args []string) error {
	if len(args) != 0 {
		return usagef("takes no arguments")
	}
	h := sha256.New()
	n, err := io.Copy(h, os.Stdin)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(os.Stdout, "%s %d\n", hex.EncodeToString(h.Sum(nil)), n)
	return err
}

func cmdWrite(args []string) error {
	if len(args) < 2 || len(args) > 3 {
		return usagef("want STREAM N [SEED]")
	}
	var w io.Writer
	switch args[0] {
	case "stdout":
		w = os.Stdout
	case "stderr":
		w = os.Stderr
	default:
		return usagef("stream %q is neither stdout nor stderr", args[0])
	}
	n, seed, err := sizeAndSeed(args[1:])
	if err != nil {
		return err
	}
	return writePattern(w, &patternReader{seed: seed}, n, make([]byte, min(n, bufSize)))
}

func cmdSumPattern(args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return usagef("want N [SEED]")
	}
	n, seed, err := sizeAndSeed(args)
	if err != nil {
		return err
	}
	h := sha256.New()
	if err := writePattern(h, &patternReader{seed: seed}, n, make([]byte, min(n, bufSize))); err != nil {
		return err
	}
	_, err = fmt.Fprintln(os.Stdout, hex.EncodeToString(h.Sum(nil)))
	return err
}

// sizeAndSeed parses "N [SEED]"; SEED defaults to 1.
func sizeAndSeed(args []string) (int64, uint64, error) {
	n, err := parseSize(args[0])
	if err != nil {
		return 0, 0, err
	}
	seed := uint64(1)
	if len(args) > 1 {
		seed, err = strconv.ParseUint(args[1], 10, 64)
		if err != nil {
			return 0, 0, usagef("bad seed %q", args[1])
		}
	}
	return n, seed, nil
}

// parseSize parses a non-negative byte count.
func parseSize(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, usagef("bad byte count %q", s)
	}
	return n, nil
}

// writePattern writes the next n bytes of r to w, at most len(buf) at a time.
func writePattern(w io.Writer, r *patternReader, n int64, buf []byte) error {
	for n > 0 {
		chunk := buf[:min(n, int64(len(buf)))]
		r.Read(chunk) // never fails
		if _, err := w.Write(chunk); err != nil {
			return err
		}
		n -= int64(len(chunk))
	}
	return nil
}

func cmdInterleave(args []string) error {
	if len(args) != 3 {
		return usagef("want OUT ERR CHUNK")
	}
	var sizes [3]int64
	for i, a := range args {
		n, err := parseSize(a)
		if err != nil {
			return err
		}
		sizes[i] = n
	}
	outLeft, errLeft, chunk := sizes[0], sizes[1], sizes[2]
	if chunk == 0 {
		return usagef("CHUNK must be positive")
	}
	buf := make([]byte, min(chunk, max(outLeft, errLeft)))
	out, errs := &patternReader{seed: 1}, &patternReader{seed: 2}
	for outLeft > 0 || errLeft > 0 {
		if n := min(outLeft, chunk); n > 0 {
			if err := writePattern(os.Stdout, out, n, buf); err != nil {
				return err
			}
			outLeft -= n
		}
		if n := min(errLeft, chunk); n > 0 {
			if err := writePattern(os.Stderr, errs, n, buf); err != nil {
				return err
			}
			errLeft -= n
		}
	}
	return nil
}

func cmdTicker(args []string) error {
	if len(args) != 2 {
		return usagef("want N INTERVAL")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 {
		return usagef("bad count %q", args[0])
	}
	interval, err := parseDuration(args[1])
	if err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		if i > 1 {
			time.Sleep(interval)
		}
		if _, err := fmt.Fprintf(os.Stdout, "tick %d\n", i); err != nil {
			return err
		}
	}
	return nil
}

func cmdSleep(args []string) error {
	if len(args) != 1 {
		return usagef("want DURATION")
	}
	d, err := parseDuration(args[0])
	if err != nil {
		return err
	}
	time.Sleep(d)
	return nil
}

// parseDuration parses a non-negative Go duration ("1.5s", "200ms") or, like
// sleep(1), a plain number of seconds ("60", "0.5").
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		secs, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || math.IsNaN(secs) || math.IsInf(secs, 0) || secs > math.MaxInt64/float64(time.Second) {
			return 0, usagef("bad duration %q", s)
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d < 0 {
		return 0, usagef("negative duration %q", s)
	}
	return d, nil
}

func cmdExit(args []string) error {
	if len(args) != 1 {
		return usagef("want CODE")
	}
	code, err := strconv.Atoi(args[0])
	if err != nil || code < 0 || code > 255 {
		return usagef("bad code %q", args[0])
	}
	return &exitError{code: code}
}
