package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/berth-go/berth/docker"
)

// ctrFilters turns KEY=VALUE filter flags into docker.Filters.
func ctrFilters(l listFlag) (docker.Filters, error) {
	f := docker.Filters{}
	for _, kv := range l {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--filter %q: want KEY=VALUE", kv)
		}
		f.Add(k, v)
	}
	return f, nil
}

// ctrAgo says how long ago t was, roughly.
func ctrAgo(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "less than a minute ago"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

// ctrBytes formats a byte count with binary units, as docker stats does.
func ctrBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	f, i := float64(n), -1
	for f >= unit && i < 4 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.2f%ciB", f, "KMGTP"[i])
}

// ctrEach runs fn for every argument, printing each one done, and returns
// the first error after trying them all (later ones are printed).
func ctrEach(e *env, args []string, fn func(string) error) error {
	var first error
	for _, a := range args {
		if err := fn(a); err != nil {
			if first == nil {
				first = err
			} else {
				fmt.Fprintln(e.stderr, "berth:", err)
			}
			continue
		}
		fmt.Fprintln(e.stdout, a)
	}
	return first
}
