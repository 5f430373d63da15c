package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/berth-go/berth/docker/swarm"
)

func serviceSubs() map[string]subcommand {
	return map[string]subcommand{
		"ls":      {"[--filter KEY=VALUE]... [-q]", runServiceList},
		"create":  {"[--name N] [--mode MODE] [--replicas N] [--env K=V]... [--label K=V]... [--constraint EXPR]... [--secret NAME]... [--config NAME]... [--detach] [--timeout D] IMAGE [ARG...]", runServiceCreate},
		"inspect": {"SERVICE...", runServiceInspect},
		"scale":   {"[--detach] SERVICE=REPLICAS...", runServiceScale},
		"logs":    {"[-f] [--tail N] [-t] [--details] SERVICE", runServiceLogs},
		"rm":      {"SERVICE...", runServiceRemove},
	}
}

func runService(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "service", serviceSubs(), args)
}

func runServiceList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "service ls", serviceSubs()["ls"].usage)
	var filters listFlag
	fs.Var(&filters, "filter", "filter KEY=VALUE (repeatable): id, label, mode, name")
	quiet := fs.Bool("q", false, "print only ids")
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
	list, err := swarm.New(e.cli).Services().List(ctx, swarm.Filters(f), swarm.Status())
	if err != nil {
		return err
	}
	if *quiet {
		for _, s := range list {
			fmt.Fprintln(e.stdout, s.ID)
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tMODE\tREPLICAS\tIMAGE")
	for _, s := range list {
		image := ""
		if cs := s.Spec.TaskTemplate.ContainerSpec; cs != nil {
			image = cs.Image
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", shortID(s.ID), s.Spec.Name, swModeName(s.Spec.Mode), swReplicas(s), image)
	}
	return tw.Flush()
}

// swModeName names a service mode as the docker CLI does.
func swModeName(m swarm.ServiceMode) string {
	switch {
	case m.Global != nil:
		return "global"
	case m.ReplicatedJob != nil:
		return "replicated job"
	case m.GlobalJob != nil:
		return "global job"
	}
	return "replicated"
}

// swReplicas shows running/desired tasks (and completions for jobs).
func swReplicas(s swarm.Service) string {
	st := s.ServiceStatus
	if st == nil {
		return ""
	}
	out := fmt.Sprintf("%d/%d", st.RunningTasks, st.DesiredTasks)
	if j := s.Spec.Mode.ReplicatedJob; j != nil && j.TotalCompletions != nil {
		out += fmt.Sprintf(" (%d/%d completed)", st.CompletedTasks, *j.TotalCompletions)
	}
	return out
}

func runServiceCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "service create", serviceSubs()["create"].usage)
	name := fs.String("name", "", "service name")
	mode := fs.String("mode", "replicated", "replicated, global, replicated-job or global-job")
	replicas := fs.Uint64("replicas", 1, "tasks of a replicated service (completions of a replicated job)")
	labels := kvFlag{}
	var env, constraints, secrets, configs listFlag
	fs.Var(&env, "env", "environment variable K=V (repeatable)")
	fs.Var(labels, "label", "service label K=V (repeatable)")
	fs.Var(&constraints, "constraint", "placement constraint, e.g. node.role==manager (repeatable)")
	fs.Var(&secrets, "secret", "secret name, exposed as /run/secrets/NAME (repeatable)")
	fs.Var(&configs, "config", "config name, exposed as /NAME (repeatable)")
	detach := fs.Bool("detach", false, "do not wait for the service to converge")
	timeout := fs.Duration("timeout", 2*time.Minute, "how long to wait for convergence")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 1, -1); err != nil {
		return err
	}
	sw := swarm.New(e.cli)
	cs := &swarm.ContainerSpec{Image: fs.Arg(0), Args: fs.Args()[1:], Env: env}
	for _, s := range secrets {
		sec, err := sw.Secrets().Inspect(ctx, s)
		if err != nil {
			return err
		}
		cs.Secrets = append(cs.Secrets, swarm.SecretReference{SecretID: sec.ID, SecretName: sec.Spec.Name,
			File: &swarm.FileTarget{Name: sec.Spec.Name, UID: "0", GID: "0", Mode: 0o444}})
	}
	for _, c := range configs {
		cfg, err := sw.Configs().Inspect(ctx, c)
		if err != nil {
			return err
		}
		cs.Configs = append(cs.Configs, swarm.ConfigReference{ConfigID: cfg.ID, ConfigName: cfg.Spec.Name,
			File: &swarm.FileTarget{Name: "/" + cfg.Spec.Name, UID: "0", GID: "0", Mode: 0o444}})
	}
	spec := swarm.ServiceSpec{Name: *name, Labels: labels.orNil(), TaskTemplate: swarm.TaskSpec{ContainerSpec: cs}}
	if len(constraints) > 0 {
		spec.TaskTemplate.Placement = &swarm.Placement{Constraints: constraints}
	}
	switch *mode {
	case "replicated":
		spec.Mode = swarm.ReplicatedMode(*replicas)
	case "global":
		spec.Mode = swarm.GlobalMode()
	case "replicated-job":
		spec.Mode = swarm.ReplicatedJobMode(1, *replicas)
	case "global-job":
		spec.Mode = swarm.GlobalJobMode()
	default:
		return fmt.Errorf("service create: unknown mode %q", *mode)
	}
	created, err := sw.Services().Create(ctx, spec)
	if err != nil {
		return err
	}
	for _, w := range created.Warnings {
		fmt.Fprintln(e.stderr, "warning:", w)
	}
	fmt.Fprintln(e.stdout, created.ID)
	if *detach {
		return nil
	}
	return swWait(ctx, e, sw.Services(), created.ID, *timeout)
}

// swWait waits for a service to converge and says so on stderr.
func swWait(ctx context.Context, e *env, svcs *swarm.Services, id string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, err := svcs.WaitConverged(ctx, id); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, "converged:", shortID(id))
	return nil
}

func runServiceInspect(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "service inspect", serviceSubs()["inspect"].usage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 1, -1); err != nil {
		return err
	}
	svcs := swarm.New(e.cli).Services()
	var out []swarm.Service
	var errs []error
	for _, id := range fs.Args() {
		s, err := svcs.Inspect(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, s)
	}
	if err := printJSON(e.stdout, out); err != nil {
		return err
	}
	return errors.Join(errs...)
}

func runServiceScale(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "service scale", serviceSubs()["scale"].usage)
	detach := fs.Bool("detach", false, "do not wait for the services to converge")
	timeout := fs.Duration("timeout", 2*time.Minute, "how long to wait for convergence")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 1, -1); err != nil {
		return err
	}
	svcs := swarm.New(e.cli).Services()
	var errs []error
	for _, arg := range fs.Args() {
		id, n, ok := strings.Cut(arg, "=")
		replicas, err := strconv.ParseUint(n, 10, 64)
		if !ok || id == "" || err != nil {
			errs = append(errs, fmt.Errorf("service scale: %q: want SERVICE=REPLICAS", arg))
			continue
		}
		if err := swScale(ctx, e, svcs, id, replicas, *detach, *timeout); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// swScale sets a replicated service's replicas, retrying once when another
// update came in between the read and the write.
func swScale(ctx context.Context, e *env, svcs *swarm.Services, id string, replicas uint64, detach bool, timeout time.Duration) error {
	for attempt := 0; ; attempt++ {
		svc, err := svcs.Inspect(ctx, id)
		if err != nil {
			return err
		}
		spec := svc.Spec
		switch {
		case spec.Mode.Replicated != nil || swModeName(spec.Mode) == "replicated":
			spec.Mode = swarm.ReplicatedMode(replicas)
		default:
			return fmt.Errorf("service scale: %s is a %s service", id, swModeName(spec.Mode))
		}
		_, err = svcs.Update(ctx, svc.ID, svc.Version, spec)
		var stale *swarm.StaleVersionError
		if errors.As(err, &stale) && attempt == 0 {
			continue
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s scaled to %d\n", id, replicas)
		if detach {
			return nil
		}
		return swWait(ctx, e, svcs, svc.ID, timeout)
	}
}

func runServiceLogs(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "service logs", serviceSubs()["logs"].usage)
	follow := fs.Bool("f", false, "follow the output")
	tail := fs.Int("tail", -1, "lines to show from the end of each task's output (all when negative)")
	timestamps := fs.Bool("t", false, "show timestamps")
	details := fs.Bool("details", false, "show the context of each line")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 1, 1); err != nil {
		return err
	}
	var opts []swarm.LogsOption
	if *follow {
		opts = append(opts, swarm.Follow())
	}
	if *tail >= 0 {
		opts = append(opts, swarm.Tail(*tail))
	}
	if *timestamps {
		opts = append(opts, swarm.Timestamps())
	}
	if *details {
		opts = append(opts, swarm.Details())
	}
	logs, err := swarm.New(e.cli).Services().Logs(ctx, fs.Arg(0), opts...)
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

func runServiceRemove(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "service rm", serviceSubs()["rm"].usage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 1, -1); err != nil {
		return err
	}
	svcs := swarm.New(e.cli).Services()
	return forEachArg(e, fs.Args(), func(id string) error { return svcs.Remove(ctx, id) })
}
