package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/stream"
)

// imageCommands returns the image subcommands.
func imageCommands() map[string]command {
	return map[string]command{
		"images": {"list images", runImages},
		"pull":   {"pull an image from a registry", runPull},
		"push":   {"push an image to a registry", runPush},
		"build":  {"build an image from a directory, honouring its .dockerignore", runBuild},
		"tag":    {"add a tag to an image", runTag},
		"rmi":    {"remove images", runRmi},
		"save":   {"write images to a tar archive", runSave},
		"load":   {"load images from a tar archive", runLoad},
		"login":  {"check registry credentials and store them for pull, push and build", runLogin},
	}
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// credentials reads the docker CLI's configuration ($DOCKER_CONFIG or
// ~/.docker) for registry credentials.
func credentials() (*registry.Store, error) {
	return registry.NewStore("")
}

func runImages(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "images", "[-a] [--digests] [-q] [--filter KEY=VALUE]... [REPOSITORY[:TAG]]")
	all := fs.Bool("a", false, "show intermediate images too")
	digests := fs.Bool("digests", false, "show digests")
	quiet := fs.Bool("q", false, "print image IDs only")
	var filters listFlag
	fs.Var(&filters, "filter", "filter KEY=VALUE (dangling, label, reference, before, since, until); repeatable")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var opts []image.ListOption
	if *all {
		opts = append(opts, image.All())
	}
	if *digests {
		opts = append(opts, image.Digests())
	}
	for _, f := range filters {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return fmt.Errorf("--filter %q: want KEY=VALUE", f)
		}
		opts = append(opts, image.Filter(k, v))
	}
	switch fs.NArg() {
	case 0:
	case 1:
		opts = append(opts, image.Filter("reference", fs.Arg(0)))
	default:
		return errors.New("images takes at most one repository")
	}
	list, err := image.New(e.cli).List(ctx, opts...)
	if err != nil {
		return err
	}
	if *quiet {
		seen := map[string]bool{}
		for _, img := range list {
			if id := shortID(img.ID); !seen[id] {
				seen[id] = true
				fmt.Fprintln(e.stdout, id)
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 3, ' ', 0)
	header := "REPOSITORY\tTAG\t"
	if *digests {
		header += "DIGEST\t"
	}
	fmt.Fprintln(tw, header+"IMAGE ID\tCREATED\tSIZE")
	for _, img := range list {
		for _, row := range imageRows(img) {
			line := row.repo + "\t" + row.tag + "\t"
			if *digests {
				line += row.digest + "\t"
			}
			fmt.Fprintf(tw, "%s%s\t%s\t%s\n", line, shortID(img.ID), ago(img.CreatedTime()), humanSize(img.Size))
		}
	}
	return tw.Flush()
}

type imageRow struct{ repo, tag, digest string }

// imageRows returns one row per tag of img, with the digest of the same
// repository, or a "<none>" row for an untagged image.
func imageRows(img image.Summary) []imageRow {
	digestOf := map[string]string{}
	for _, rd := range img.RepoDigests {
		if repo, d, ok := strings.Cut(rd, "@"); ok {
			digestOf[repo] = d
		}
	}
	var rows []imageRow
	for _, rt := range img.RepoTags {
		if rt == "<none>:<none>" {
			continue
		}
		i := strings.LastIndexByte(rt, ':')
		if i < 0 || strings.Contains(rt[i:], "/") {
			rows = append(rows, imageRow{rt, "<none>", digestOf[rt]})
			continue
		}
		rows = append(rows, imageRow{rt[:i], rt[i+1:], or(digestOf[rt[:i]], "<none>")})
	}
	if len(rows) == 0 {
		row := imageRow{"<none>", "<none>", "<none>"}
		for repo, d := range digestOf {
			if repo != "<none>" {
				row.repo, row.digest = repo, d
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// humanSize formats bytes with decimal units, as docker does.
func humanSize(n int64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB"}
	v, i := float64(n), 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%dB", n)
	}
	return fmt.Sprintf("%.3g%s", v, units[i])
}

// ago formats how long ago t was, roughly.
func ago(t time.Time) string {
	d := time.Since(t)
	switch {
	case t.IsZero() || t.Unix() <= 0:
		return "N/A"
	case d < time.Minute:
		return "Less than a minute ago"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	case d < 14*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day") + " ago"
	case d < 60*24*time.Hour:
		return plural(int(d/(7*24*time.Hour)), "week") + " ago"
	case d < 2*365*24*time.Hour:
		return plural(int(d/(30*24*time.Hour)), "month") + " ago"
	}
	return plural(int(d/(365*24*time.Hour)), "year") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func runPull(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "pull", "[-a] [--platform OS/ARCH[/VARIANT]] IMAGE")
	allTags := fs.Bool("a", false, "pull every tag of the repository")
	platform := fs.String("platform", "", "the platform to pull, such as linux/arm64")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("pull takes one image reference")
	}
	store, err := credentials()
	if err != nil {
		return err
	}
	opts := []image.PullOption{image.AuthFrom(store)}
	if *allTags {
		opts = append(opts, image.AllTags())
	}
	if *platform != "" {
		opts = append(opts, image.Platform(*platform))
	}
	return image.New(e.cli).PullAndWait(ctx, fs.Arg(0), stream.NewRenderer(e.stdout, isTerminal(e.stdout)), opts...)
}

func runPush(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "push", "[-a] IMAGE")
	allTags := fs.Bool("a", false, "push every tag of the repository")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("push takes one image reference")
	}
	store, err := credentials()
	if err != nil {
		return err
	}
	opts := []image.PushOption{image.AuthFrom(store)}
	if *allTags {
		opts = append(opts, image.AllTags())
	}
	_, err = image.New(e.cli).PushAndWait(ctx, fs.Arg(0), stream.NewRenderer(e.stdout, isTerminal(e.stdout)), opts...)
	return err
}

func runBuild(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "build", "[OPTIONS] DIRECTORY | -")
	var tags, buildArgs, labels listFlag
	fs.Var(&tags, "t", "name:tag for the image; repeatable")
	fs.Var(&buildArgs, "build-arg", "build-time variable KEY=VALUE; repeatable")
	fs.Var(&labels, "label", "image label KEY=VALUE; repeatable")
	dockerfile := fs.String("f", "", "the Dockerfile, relative to the directory (default Dockerfile)")
	noCache := fs.Bool("no-cache", false, "do not use the build cache")
	pull := fs.Bool("pull", false, "always pull the base images")
	quiet := fs.Bool("q", false, "print only the image ID")
	target := fs.String("target", "", "the stage to build")
	platform := fs.String("platform", "", "the platform to build for")
	network := fs.String("network", "", "the network of RUN instructions")
	forceRm := fs.Bool("force-rm", false, "remove intermediate containers even when the build fails")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("build takes one directory, or - for a tar archive on standard input")
	}
	var opts []image.BuildOption
	if len(tags) > 0 {
		opts = append(opts, image.Tags(tags...))
	}
	m, err := keyValues("build-arg", buildArgs)
	if err != nil {
		return err
	}
	if m != nil {
		opts = append(opts, image.BuildArgs(m))
	}
	if m, err = keyValues("label", labels); err != nil {
		return err
	}
	if m != nil {
		opts = append(opts, image.Labels(m))
	}
	for _, o := range []struct {
		set bool
		opt image.BuildOption
	}{
		{*dockerfile != "", image.Dockerfile(*dockerfile)},
		{*noCache, image.NoCache()},
		{*pull, image.AlwaysPull()},
		{*quiet, image.Quiet()},
		{*target != "", image.Target(*target)},
		{*platform != "", image.Platform(*platform)},
		{*network != "", image.NetworkMode(*network)},
		{*forceRm, image.ForceRm()},
	} {
		if o.set {
			opts = append(opts, o.opt)
		}
	}
	if store, err := credentials(); err == nil {
		opts = append(opts, image.AuthFrom(store))
	} else {
		return err
	}
	var buildContext io.Reader = e.stdin
	if dir := fs.Arg(0); dir != "-" {
		var copts []image.ContextOption
		if *dockerfile != "" {
			copts = append(copts, image.Dockerfile(*dockerfile))
		}
		rc, err := image.ContextFromDir(dir, copts...)
		if err != nil {
			return err
		}
		defer rc.Close()
		buildContext = rc
	}
	var r *stream.Renderer
	if !*quiet {
		r = stream.NewRenderer(e.stdout, isTerminal(e.stdout))
	}
	id, err := image.New(e.cli).BuildAndWait(ctx, buildContext, r, opts...)
	if err != nil {
		return err
	}
	if *quiet {
		fmt.Fprintln(e.stdout, id)
	}
	return nil
}

func runTag(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "tag", "SOURCE TARGET")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return errors.New("tag takes a source image and a target reference")
	}
	return image.New(e.cli).Tag(ctx, fs.Arg(0), fs.Arg(1))
}

func runRmi(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "rmi", "[-f] [--no-prune] IMAGE...")
	force := fs.Bool("f", false, "remove even when containers use the image")
	noPrune := fs.Bool("no-prune", false, "keep untagged parents")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("rmi takes at least one image")
	}
	var opts []image.RemoveOption
	if *force {
		opts = append(opts, image.Force())
	}
	if *noPrune {
		opts = append(opts, image.NoPrune())
	}
	var errs []error
	for _, name := range fs.Args() {
		removed, err := image.New(e.cli).Remove(ctx, name, opts...)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, r := range removed {
			if r.Untagged != "" {
				fmt.Fprintln(e.stdout, "Untagged:", r.Untagged)
			}
			if r.Deleted != "" {
				fmt.Fprintln(e.stdout, "Deleted:", r.Deleted)
			}
		}
	}
	return errors.Join(errs...)
}

func runSave(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "save", "[-o FILE] IMAGE...")
	output := fs.String("o", "", "write to FILE instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("save takes at least one image")
	}
	if *output == "" && isTerminal(e.stdout) {
		return errors.New("refusing to write a tar archive to a terminal: use -o or redirect standard output")
	}
	s := image.New(e.cli)
	var rc io.ReadCloser
	var err error
	if fs.NArg() == 1 {
		rc, err = s.Save(ctx, fs.Arg(0))
	} else {
		rc, err = s.SaveMany(ctx, fs.Args())
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	if *output == "" {
		_, err = io.Copy(e.stdout, rc)
		return err
	}
	f, err := os.Create(*output)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, rc); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func runLoad(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "load", "[-i FILE] [-q]")
	input := fs.String("i", "", "read from FILE instead of standard input")
	quiet := fs.Bool("q", false, "leave out the progress")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errors.New("load takes no arguments")
	}
	r := e.stdin
	if *input != "" {
		f, err := os.Open(*input)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	var opts []image.LoadOption
	if *quiet {
		opts = append(opts, image.Quiet())
	}
	_, err := image.New(e.cli).LoadAndWait(ctx, r, stream.NewRenderer(e.stdout, isTerminal(e.stdout)), opts...)
	return err
}
