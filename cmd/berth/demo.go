package main

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/stream"
)

// demoLabel marks everything the tour creates; its value is the run's id,
// so the clean-up never touches another run's objects.
const demoLabel = "berth.demo"

// demoTimeout bounds the whole tour (a first build of the image's program
// on a daemon is the slow part).
const demoTimeout = 3 * time.Minute

// tour is one run of `berth demo`. Each step prints the berth command that
// does the same job (or a # line where berth has none), makes the library
// calls that command makes, and prints what came back.
type tour struct {
	out    io.Writer
	cli    *docker.Client
	ctrs   *container.Service
	imgs   *image.Service
	memory bool              // the in-memory Engine: its swarm is the tour's to use
	id     string            // this run's id, in names and labels
	labels map[string]string // on everything the tour creates
	start  time.Time
}

// runDemo is `berth demo`: the tour, on the in-memory Engine unless the user
// named a daemon (see chooseHost). Whatever happens, it then removes what
// is labelled with the run's id.
func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, demoCommand, "(a daemon named by --host, --context, BERTH_HOST, DOCKER_HOST or DOCKER_CONTEXT is toured instead of the in-memory Engine)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 0, 0); err != nil {
		return err
	}
	id := fmt.Sprintf("%06x", rand.N(1<<24))
	t := &tour{out: e.stdout, cli: e.cli, ctrs: container.New(e.cli), imgs: image.New(e.cli), memory: e.memory,
		id: id, labels: map[string]string{demoLabel: id}, start: time.Now()}
	ctx, cancel := context.WithTimeout(ctx, demoTimeout)
	defer cancel()
	err := t.run(ctx)
	// After a failure too, the daemon keeps nothing of the tour.
	n, cleanErr := t.removeLeftovers(ctx)
	if n > 0 {
		fmt.Fprintf(e.stderr, "demo: removed %d objects labelled %s=%s that the failed tour left\n", n, demoLabel, id)
	}
	if cleanErr != nil {
		cleanErr = fmt.Errorf("could not remove every object labelled %s=%s: %w", demoLabel, id, cleanErr)
	}
	return errors.Join(err, cleanErr)
}

// run takes the tour's steps in order; the first failure ends it.
func (t *tour) run(ctx context.Context) error {
	if err := t.intro(ctx); err != nil {
		return err
	}
	ref, err := t.build(ctx)
	if err != nil {
		return err
	}
	if err := t.container(ctx, ref); err != nil {
		return err
	}
	if err := t.service(ctx, ref); err != nil {
		return err
	}
	if err := t.events(ctx); err != nil {
		return err
	}
	return t.cleanUp(ctx, ref)
}

// step prints a command as a user would type it.
func (t *tour) step(format string, args ...any) {
	fmt.Fprintf(t.out, "\n$ "+format+"\n", args...)
}

// intro says which Engine the tour is on.
func (t *tour) intro(ctx context.Context) error {
	v, err := t.cli.Version(ctx)
	if err != nil {
		return err
	}
	if t.memory {
		fmt.Fprintf(t.out, "berth demo: a tour of the berth library on the in-memory Engine (docker/dockertest %s, API %s),\n"+
			"inside this process: nothing to install, nothing left behind. To tour a daemon instead, name it:\n"+
			"berth --host unix:///var/run/docker.sock demo\n", v.Version, t.cli.APIVersion())
	} else {
		fmt.Fprintf(t.out, "berth demo: a tour of the berth library on the daemon at %s (Engine %s, API %s).\n"+
			"It labels what it makes %s=%s and removes it at the end; it leaves the swarm alone.\n",
			t.cli.Host(), v.Version, t.cli.APIVersion(), demoLabel, t.id)
	}
	fmt.Fprintln(t.out, "Each step shows the berth command that does the same (# where berth has none), then what came back.")
	return nil
}

// build builds a small image from a context made in memory and returns its
// reference. On a daemon the image carries a static program (the in-memory
// Engine has built-in processes instead).
func (t *tour) build(ctx context.Context) (string, error) {
	ref := "berth-demo:" + t.id
	// The label comes first, so that every intermediate image of the build
	// carries it too: removeLeftovers finds them after a failed build.
	dockerfile := fmt.Sprintf("FROM scratch\nLABEL %s=%s\nCOPY greeting.txt /greeting.txt\n", demoLabel, t.id)
	files := []image.ContextFile{{Name: "Dockerfile"}, {Name: "greeting.txt", Data: []byte("Hello from an image berth built.\n")}}
	if !t.memory {
		bin, err := t.imageProgram(ctx)
		if err != nil {
			return "", err
		}
		files = append(files, image.ContextFile{Name: "berth-test", Data: bin, Mode: 0o755})
		dockerfile += "COPY berth-test /berth-test\nENTRYPOINT [\"/berth-test\"]\n"
	}
	files[0].Data = []byte(dockerfile)
	buildContext, err := image.ContextFromFiles(files...)
	if err != nil {
		return "", err
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	t.step("berth build -t %s --force-rm -    # the context: a tar made in memory of %s", ref, strings.Join(names, ", "))
	_, err = t.imgs.BuildAndWait(ctx, buildContext, stream.NewRenderer(t.out, false), image.Tags(ref), image.ForceRm())
	return ref, err
}

// container runs cat with stdin attached, types into it, execs in it, copies
// a file out of it, and follows its logs while its stdin closes.
func (t *tour) container(ctx context.Context, ref string) error {
	name := "berth-demo-" + t.id
	t.step("berth run -i --name %s --network none --label %s=%s %s cat    # stdin stays open: the tour types into it",
		name, demoLabel, t.id, ref)
	c, err := t.ctrs.Create(ctx, container.Config{Image: ref, Cmd: []string{"cat"}, OpenStdin: true, StdinOnce: true, Labels: t.labels},
		container.Name(name), container.WithHostConfig(container.HostConfig{NetworkMode: "none"}))
	if err != nil {
		return err
	}
	conn, err := t.ctrs.Attach(ctx, c.ID, container.Stream(), container.Stdin(), container.Stdout(), container.Stderr())
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := t.ctrs.Start(ctx, c.ID); err != nil {
		return err
	}
	fmt.Fprintln(t.out, "hello, berth    # typed")
	if _, err := io.WriteString(conn, "hello, berth\n"); err != nil {
		return err
	}
	if err := copyLine(t.out, conn); err != nil { // cat's echo, over the same connection
		return err
	}

	failing := []string{"false"} // a built-in of the in-memory Engine
	if !t.memory {
		failing = []string{"/berth-test", "exit", "3"} // the image's program
	}
	t.step("berth exec %s %s", name, strings.Join(failing, " "))
	execID, err := t.ctrs.ExecCreate(ctx, c.ID, container.ExecConfig{Cmd: failing, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return err
	}
	execConn, err := t.ctrs.ExecStart(ctx, execID)
	if err != nil {
		return err
	}
	_, err = execConn.Demux(t.out, t.out)
	execConn.Close()
	if err != nil {
		return err
	}
	ex, err := t.ctrs.ExecInspect(ctx, execID)
	if err != nil {
		return err
	}
	fmt.Fprintln(t.out, "exit status", ex.ExitCode)

	t.step("berth cp %s:/greeting.txt -    # a tar stream; the tour prints the file in it", name)
	if err := t.printFile(ctx, c.ID, "/greeting.txt"); err != nil {
		return err
	}

	t.step("berth logs -f %s    # while the tour closes cat's stdin (Ctrl-D): cat ends, and so does the log", name)
	logs, err := t.ctrs.Logs(ctx, c.ID, container.Follow())
	if err != nil {
		return err
	}
	defer logs.Close()
	if err := conn.CloseWrite(); err != nil {
		return err
	}
	if _, err := logs.Demux(t.out, t.out); err != nil {
		return err
	}

	t.step("berth wait %s", name)
	exit, err := t.ctrs.Wait(ctx, c.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(t.out, exit.StatusCode)

	t.step("berth rm %s", name)
	if err := t.ctrs.Remove(ctx, c.ID); err != nil {
		return err
	}
	fmt.Fprintln(t.out, name)
	return nil
}

// copyLine copies output frames from a hijacked connection to w until a
// newline.
func copyLine(w io.Writer, conn io.Reader) error {
	for f, err := range stream.Frames(conn) {
		if err != nil {
			return err
		}
		if _, err := w.Write(f.Data); err != nil {
			return err
		}
		if strings.HasSuffix(string(f.Data), "\n") {
			return nil
		}
	}
	return io.ErrUnexpectedEOF
}

// printFile prints a file copied out of a container: the archive endpoint
// answers with a tar stream.
func (t *tour) printFile(ctx context.Context, id, path string) error {
	rc, st, err := t.ctrs.CopyFrom(ctx, id, path)
	if err != nil {
		return err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	if _, err := tr.Next(); err != nil {
		return err
	}
	fmt.Fprintf(t.out, "%s (%v, %d bytes): ", st.Name, st.Mode, st.Size)
	_, err = io.Copy(t.out, io.LimitReader(tr, 4096))
	return err
}

// events replays the tour's events: those since it started, up to now.
// On a daemon, which others share, only those of objects with the run's
// label.
func (t *tour) events(ctx context.Context) error {
	opts := []docker.EventsOption{docker.Since(t.start), docker.Until(time.Now())}
	filter := ""
	if !t.memory {
		opts = append(opts, docker.Filter("label", demoLabel+"="+t.id))
		filter = fmt.Sprintf(" --filter label=%s=%s", demoLabel, t.id)
	}
	t.step("berth events --since %ds --until 0s%s    # the events of it all", int(time.Since(t.start).Seconds())+1, filter)
	for ev, err := range t.cli.Events(ctx, opts...) {
		if err != nil {
			return err
		}
		actor := ev.Actor.Attributes["name"]
		if actor == "" {
			actor = shortID(ev.Actor.ID)
		}
		fmt.Fprintf(t.out, "+%.3fs %s %s %s\n", ev.When().Sub(t.start).Seconds(), ev.Type, ev.Action, actor)
	}
	return nil
}

// cleanUp removes the image, then checks that nothing labelled with the
// run's id is left.
func (t *tour) cleanUp(ctx context.Context, ref string) error {
	t.step("berth rmi %s", ref)
	deleted, err := t.imgs.Remove(ctx, ref)
	if err != nil {
		return err
	}
	for _, d := range deleted {
		if d.Untagged != "" {
			fmt.Fprintln(t.out, "Untagged:", d.Untagged)
		} else {
			fmt.Fprintln(t.out, "Deleted:", shortID(d.Deleted))
		}
	}

	label := demoLabel + "=" + t.id
	t.step("berth ps -a -q --filter label=%s && berth images -a -q --filter label=%s", label, label)
	ctrs, err := t.ctrs.List(ctx, container.All(), container.Filter("label", label))
	if err != nil {
		return err
	}
	imgs, err := t.imgs.List(ctx, image.All(), image.Filter("label", label))
	if err != nil {
		return err
	}
	if len(ctrs)+len(imgs) > 0 {
		return fmt.Errorf("left behind: %d containers, %d images labelled %s", len(ctrs), len(imgs), label)
	}
	fmt.Fprintf(t.out, "(nothing: the tour took %v and left nothing behind)\n", time.Since(t.start).Round(time.Millisecond))
	return nil
}

// removeLeftovers removes the containers and images labelled with the
// run's id, if a failed step left any, and returns how many it removed and
// what it could not remove. It runs under a fresh context, so an
// interrupted tour cleans up too.
func (t *tour) removeLeftovers(ctx context.Context) (int, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	label := demoLabel + "=" + t.id
	ctrs, err := t.ctrs.List(ctx, container.All(), container.Filter("label", label))
	if err != nil {
		return 0, err
	}
	n, errs := 0, []error{}
	for _, c := range ctrs {
		if err := t.ctrs.Remove(ctx, c.ID, container.Force(), container.RemoveVolumes()); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	imgs, err := t.imgs.List(ctx, image.All(), image.Filter("label", label)) // newest first: children before parents
	if err != nil {
		return n, errors.Join(append(errs, err)...)
	}
	for _, img := range imgs {
		// A parent is gone already when its child's removal pruned it.
		if _, err := t.imgs.Remove(ctx, img.ID, image.Force()); err != nil && !errors.Is(err, docker.ErrNotFound) {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
