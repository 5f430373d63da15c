package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/berth-go/berth/docker"
)

func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func runVersion(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("version takes no arguments")
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Client:\tberth\n API version:\t%s (max)\n Go version:\t%s\n OS/Arch:\t%s/%s\n",
		docker.MaxAPIVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	v, err := e.cli.Version(ctx)
	if err != nil {
		tw.Flush()
		return err
	}
	fmt.Fprintf(tw, "\nServer:\t%s\n Version:\t%s\n API version:\t%s (minimum %s, negotiated %s)\n Go version:\t%s\n OS/Arch:\t%s/%s\n Kernel:\t%s\n",
		v.Platform.Name, v.Version, v.APIVersion, v.MinAPIVersion, e.cli.APIVersion(), v.GoVersion, v.Os, v.Arch, v.KernelVersion)
	for _, c := range v.Components {
		first, _, _ := strings.Cut(c.Version, "\n") // Podman reports runc's several-line version
		fmt.Fprintf(tw, " %s:\t%s\n", c.Name, first)
	}
	return tw.Flush()
}

func runInfo(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("info", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the raw structure as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	info, err := e.cli.Info(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(info)
	}
	if e.memory {
		fmt.Fprintln(e.stdout, "This is "+memoryNote+".")
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Name:\t%s\nServer Version:\t%s\nContainers:\t%d (running %d, paused %d, stopped %d)\nImages:\t%d\n",
		info.Name, info.ServerVersion, info.Containers, info.ContainersRunning, info.ContainersPaused, info.ContainersStopped, info.Images)
	fmt.Fprintf(tw, "Storage Driver:\t%s\nLogging Driver:\t%s\nCgroup:\t%s v%s\nSwarm:\t%s\n",
		info.Driver, info.LoggingDriver, info.CgroupDriver, info.CgroupVersion, info.Swarm.LocalNodeState)
	fmt.Fprintf(tw, "Kernel Version:\t%s\nOperating System:\t%s\nArchitecture:\t%s\nCPUs:\t%d\nTotal Memory:\t%.2f GiB\nDocker Root Dir:\t%s\n",
		info.KernelVersion, info.OperatingSystem, info.Architecture, info.NCPU, float64(info.MemTotal)/(1<<30), info.DockerRootDir)
	for _, w := range info.Warnings {
		// Engines word most warnings "WARNING: ..." already.
		fmt.Fprintf(tw, "WARNING:\t%s\n", strings.TrimPrefix(w, "WARNING: "))
	}
	return tw.Flush()
}

func runPing(ctx context.Context, e *env, args []string) error {
	start := time.Now()
	p, err := e.cli.Ping(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "OK in %v: API %s", time.Since(start).Round(time.Microsecond), p.APIVersion)
	if p.OSType != "" { // Podman sends no OSType
		fmt.Fprintf(e.stdout, ", %s", p.OSType)
	}
	if p.SwarmState != "" {
		fmt.Fprintf(e.stdout, ", swarm %s", p.SwarmState)
		if p.SwarmRole != "" {
			fmt.Fprintf(e.stdout, " %s", p.SwarmRole)
		}
	}
	fmt.Fprintln(e.stdout)
	return nil
}

func runEvents(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("events", flag.ContinueOnError)
	since := fs.Duration("since", 0, "show events from this long ago")
	until := fs.Duration("until", -1, "stop at now+DURATION (e.g. 0s: replay past events and exit)")
	var filters []string
	fs.Func("filter", "KEY=VALUE filter (repeatable), e.g. type=container", func(s string) error {
		filters = append(filters, s)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	var opts []docker.EventsOption
	if *since > 0 {
		opts = append(opts, docker.Since(time.Now().Add(-*since)))
	}
	if *until >= 0 {
		opts = append(opts, docker.Until(time.Now().Add(*until)))
	}
	for _, f := range filters {
		k, v, ok := cut(f, "=")
		if !ok {
			return fmt.Errorf("filter %q: want KEY=VALUE", f)
		}
		opts = append(opts, docker.Filter(k, v))
	}
	for ev, err := range e.cli.Events(ctx, opts...) {
		if err != nil {
			if ctx.Err() != nil {
				return nil // interrupted
			}
			return err
		}
		name := ev.Actor.Attributes["name"]
		fmt.Fprintf(e.stdout, "%s %s %s %s", ev.When().Format(time.RFC3339Nano), ev.Type, ev.Action, ev.Actor.ID)
		if name != "" {
			fmt.Fprintf(e.stdout, " (name=%s)", name)
		}
		fmt.Fprintln(e.stdout)
	}
	return nil
}
