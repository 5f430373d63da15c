package dockertest

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/image"
)

// defaultPath is the PATH the classic builder gives images built FROM
// scratch.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// dispatch runs one instruction of the current stage.
func (b *builder) dispatch(in instruction) error {
	if in.cmd == "FROM" {
		return b.from(in)
	}
	if b.cur == nil {
		return b.arg(in, b.globalArgs) // only ARG may precede FROM
	}
	st := b.cur
	switch in.cmd {
	case "COPY", "ADD":
		if err := b.copy(in); err != nil {
			return err
		}
		b.commit()
		return nil
	case "RUN":
		return b.run(in)
	}
	return b.inContainer(func() error {
		switch in.cmd {
		case "ARG":
			return b.arg(in, st.args)
		case "ENV":
			pairs, err := b.nameValues(in)
			if err != nil {
				return err
			}
			for _, kv := range pairs {
				st.config.Env = setEnv(st.config.Env, kv[0], kv[1])
			}
		case "LABEL":
			pairs, err := b.nameValues(in)
			if err != nil {
				return err
			}
			if st.config.Labels == nil {
				st.config.Labels = map[string]string{}
			}
			for _, kv := range pairs {
				st.config.Labels[kv[0]] = kv[1]
			}
		case "CMD":
			st.config.Cmd = b.command(in.args)
			st.cmdSet = true
		case "ENTRYPOINT":
			st.config.Entrypoint = b.command(in.args)
			if !st.cmdSet {
				st.config.Cmd = nil // a CMD inherited from the base image does not survive a new ENTRYPOINT
			}
		case "WORKDIR":
			w, err := b.lx.word(in.args)
			if err != nil {
				return err
			}
			if !path.IsAbs(w) {
				w = path.Join("/", st.config.WorkingDir, w)
			}
			st.config.WorkingDir = clean(w)
			return st.files.MkdirAll(st.config.WorkingDir, 0o755)
		case "USER":
			u, err := b.lx.word(in.args)
			st.config.User = u
			return err
		case "STOPSIGNAL":
			sig, err := b.lx.word(in.args)
			st.config.StopSignal = sig
			return err
		case "EXPOSE":
			ports, err := b.lx.words(in.args)
			if err != nil {
				return err
			}
			if st.config.ExposedPorts == nil {
				st.config.ExposedPorts = map[string]struct{}{}
			}
			for _, p := range ports {
				if !strings.Contains(p, "/") {
					p += "/tcp"
				}
				st.config.ExposedPorts[strings.ToLower(p)] = struct{}{}
			}
		case "VOLUME":
			vols, ok := execForm(in.args)
			if !ok {
				vols = b.lx.rawWords(in.args)
			}
			for i, v := range vols {
				x, err := b.lx.word(v)
				if err != nil {
					return err
				}
				vols[i] = x
			}
			if st.config.Volumes == nil {
				st.config.Volumes = map[string]struct{}{}
			}
			for _, v := range vols {
				if strings.TrimSpace(v) == "" {
					return stepErrorf("VOLUME specified can not be an empty string")
				}
				st.config.Volumes[v] = struct{}{}
			}
		case "SHELL":
			st.config.Shell, _ = execForm(in.args)
		case "MAINTAINER":
			st.author = in.args
		case "ONBUILD":
			word, rest := cutSpace(in.args)
			switch w := strings.ToUpper(word); w {
			case "ONBUILD", "FROM", "MAINTAINER":
				return stepErrorf("%s isn't allowed as an ONBUILD trigger", w)
			default:
				st.config.OnBuild = append(st.config.OnBuild, w+rest)
			}
		case "HEALTHCHECK":
			return b.healthcheck(in)
		}
		return nil
	})
}

// from starts a stage: FROM scratch, a stage built before, or an image
// the fake knows (an unknown one fails as a pull of it would).
func (b *builder) from(in instruction) error {
	f := strings.Fields(in.args)
	global := lexer{escape: b.lx.escape, lookup: func(name string) (string, bool) {
		v, ok := b.globalArgs[name]
		return v, ok
	}}
	ref, err := global.word(f[0])
	if err != nil {
		return err
	}
	st := &stage{args: map[string]string{}}
	if len(f) == 3 {
		st.name = strings.ToLower(f[2])
	}
	switch prev := b.stageNamed(ref); {
	case strings.EqualFold(ref, "scratch"):
		st.config = image.Config{Env: []string{"PATH=" + defaultPath}}
		st.files = newFS()
		b.out.stream(" ---> \n")
	case prev != nil:
		st.base, st.config, st.files, st.id, st.author = prev.base, cloneConfig(prev.config), prev.files.clone(), prev.id, prev.author
		b.out.stream(" ---> " + shortID(prev.imageID()) + "\n")
	default:
		im, cfg, err := b.image(ref)
		if err != nil {
			return err
		}
		st.base, st.config, st.files = im, cfg, im.files.clone()
		b.out.stream(" ---> " + shortID(im.id) + "\n")
	}
	b.stages = append(b.stages, st)
	b.cur = st
	return nil
}

// imageID is the id of the image a stage has built so far.
func (st *stage) imageID() string {
	if st.id != "" {
		return st.id
	}
	if st.base != nil {
		return st.base.id
	}
	return ""
}

// stageNamed finds an earlier stage by name or index.
func (b *builder) stageNamed(ref string) *stage {
	for i, st := range b.stages {
		if st.name != "" && st.name == strings.ToLower(ref) || strconv.Itoa(i) == ref {
			return st
		}
	}
	return nil
}

// image finds an image the fake knows, with a copy of its configuration;
// an unknown one fails as pulling it from a registry would.
func (b *builder) image(ref string) (*fakeImage, image.Config, error) {
	b.s.mu.Lock()
	defer b.s.mu.Unlock()
	im := b.s.state.findImage(ref)
	if im == nil {
		name := ref
		if r, err := image.ParseReference(ref); err == nil {
			name = r.FamiliarName()
		}
		return nil, image.Config{}, stepErrorf("pull access denied for %s, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", name)
	}
	return im, cloneConfig(im.config), nil
}

// cloneConfig deep-copies an image configuration.
func cloneConfig(c image.Config) image.Config {
	c.Env, c.Cmd, c.Entrypoint = slices.Clone(c.Env), slices.Clone(c.Cmd), slices.Clone(c.Entrypoint)
	c.OnBuild, c.Shell = slices.Clone(c.OnBuild), slices.Clone(c.Shell)
	c.Labels, c.ExposedPorts, c.Volumes = maps.Clone(c.Labels), maps.Clone(c.ExposedPorts), maps.Clone(c.Volumes)
	if c.Healthcheck != nil {
		h := *c.Healthcheck
		h.Test = slices.Clone(h.Test)
		c.Healthcheck = &h
	}
	return c
}

// lookup is what $VAR expands to: the stage's environment, then its ARGs.
func (b *builder) lookup(name string) (string, bool) {
	st := b.cur
	if st == nil {
		v, ok := b.globalArgs[name]
		return v, ok
	}
	for i := len(st.config.Env) - 1; i >= 0; i-- {
		if k, v, _ := strings.Cut(st.config.Env[i], "="); k == name {
			return v, true
		}
	}
	v, ok := st.args[name]
	return v, ok
}

// arg declares a build argument: its value comes from the buildargs
// parameter, else its default, else (in a stage) the global ARG.
func (b *builder) arg(in instruction, into map[string]string) error {
	name, def, hasDef := strings.Cut(in.args, "=")
	value, set := "", false
	if hasDef {
		v, err := b.lx.word(def)
		if err != nil {
			return err
		}
		value, set = v, true
	} else if v, ok := b.globalArgs[name]; ok && b.cur != nil {
		value, set = v, true
	}
	if v, ok := b.buildArgs[name]; ok && v != nil {
		value, set = *v, true
	}
	b.usedArgs[name] = true
	if set {
		into[name] = value
	}
	return nil
}

// nameValues reads the pairs of ENV and LABEL: "k=v k2=v2" or "k value".
func (b *builder) nameValues(in instruction) ([][2]string, error) {
	first, rest := cutSpace(in.args)
	if !strings.Contains(first, "=") {
		v, err := b.lx.word(strings.TrimSpace(rest))
		return [][2]string{{first, v}}, err
	}
	var out [][2]string
	for _, raw := range b.lx.rawWords(in.args) {
		w, err := b.lx.word(raw)
		if err != nil {
			return nil, err
		}
		k, v, ok := strings.Cut(w, "=")
		if !ok || k == "" {
			return nil, stepErrorf("Syntax error - can't find = in %q. Must be of the form: name=value", raw)
		}
		out = append(out, [2]string{k, v})
	}
	return out, nil
}

func setEnv(env []string, k, v string) []string {
	for i, kv := range env {
		if name, _, _ := strings.Cut(kv, "="); name == k {
			env[i] = k + "=" + v
			return env
		}
	}
	return append(env, k+"="+v)
}

// command reads the exec form of CMD and ENTRYPOINT, or wraps the shell
// form in the stage's shell.
func (b *builder) command(args string) []string {
	if cmd, ok := execForm(args); ok {
		return cmd
	}
	shell := b.cur.config.Shell
	if len(shell) == 0 {
		shell = []string{"/bin/sh", "-c"}
	}
	return append(slices.Clone(shell), args)
}

// healthcheck reads HEALTHCHECK NONE or HEALTHCHECK [flags] CMD ....
func (b *builder) healthcheck(in instruction) error {
	word, rest := cutSpace(in.args)
	if strings.EqualFold(word, "NONE") {
		b.cur.config.Healthcheck = &image.HealthConfig{Test: []string{"NONE"}}
		return nil
	}
	if !strings.EqualFold(word, "CMD") {
		return stepErrorf("Unknown type %q in HEALTHCHECK (try CMD)", word)
	}
	hc := &image.HealthConfig{}
	if cmd, ok := execForm(rest); ok {
		hc.Test = append([]string{"CMD"}, cmd...)
	} else {
		hc.Test = []string{"CMD-SHELL", strings.TrimSpace(rest)}
	}
	for _, f := range in.flags {
		name, v, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		var err error
		switch name {
		case "interval":
			hc.Interval, err = time.ParseDuration(v)
		case "timeout":
			hc.Timeout, err = time.ParseDuration(v)
		case "start-period":
			hc.StartPeriod, err = time.ParseDuration(v)
		case "start-interval":
			hc.StartInterval, err = time.ParseDuration(v)
		case "retries":
			hc.Retries, err = strconv.Atoi(v)
		default:
			return stepErrorf("Unknown flag: %s", name)
		}
		if err != nil {
			return stepErrorf("invalid HEALTHCHECK --%s value %q", name, v)
		}
	}
	b.cur.config.Healthcheck = hc
	return nil
}

// run runs a RUN instruction with the Process registered for its command
// (see Server.HandleProcess) on the stage's files: what it writes stays in
// the image, its output goes to the build stream.
func (b *builder) run(in instruction) error {
	st := b.cur
	args := b.command(in.args)
	b.s.mu.Lock()
	proc, ok := b.s.state.lookupProcess(args)
	b.s.mu.Unlock()
	return b.inContainer(func() error {
		if !ok {
			detail := fmt.Sprintf("exec: %q: executable file not found in $PATH", args[0])
			if path.IsAbs(args[0]) {
				detail = fmt.Sprintf("exec: %q: stat %s: no such file or directory", args[0], args[0])
			}
			return stepErrorf("failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: %s: unknown", detail)
		}
		env := slices.Clone(st.config.Env)
		for k, v := range st.args {
			if _, set := b.lookupEnv(k); !set {
				env = append(env, k+"="+v)
			}
		}
		pio := &ProcessIO{Args: args, Env: env, Stdin: eofReader{}, Stdout: b.out, Stderr: b.out, Files: st.files}
		if code := proc(b.ctx, pio); code != 0 {
			return &stepError{code: code, msg: fmt.Sprintf("The command '%s' returned a non-zero code: %d", strings.Join(args, " "), code)}
		}
		return nil
	})
}

// lookupEnv finds a variable of the stage's environment only.
func (b *builder) lookupEnv(name string) (string, bool) {
	for _, kv := range b.cur.config.Env {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v, true
		}
	}
	return "", false
}
