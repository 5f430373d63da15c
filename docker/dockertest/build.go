package dockertest

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/stream"
)

// handleBuild serves POST /build as Engine 20.10's classic builder does:
// the context is a tar archive (plain, gzip or bzip2), the Dockerfile a
// subset the fake can run (see build_steps.go), and the answer a progress
// stream of "Step i/n : ..." lines, an aux {"ID": ...} message and
// "Successfully built/tagged" lines. A Dockerfile that does not parse is
// a 400; a step that fails ends the 200 stream with an errorDetail.
func (s *Server) handleBuild(w http.ResponseWriter, r *http.Request, _ params) {
	q := r.URL.Query()
	switch {
	case q.Get("remote") != "":
		writeError(w, 501, "dockertest: builds from a remote context are not implemented by the fake Engine")
		return
	case q.Get("version") == "2":
		writeError(w, 501, "dockertest: BuildKit builds (version=2) need POST /session, which the fake Engine does not implement")
		return
	}
	var tags []string
	for _, t := range q["t"] {
		if t != strings.ToLower(t) {
			writeError(w, 500, "invalid reference format: repository name must be lowercase")
			return
		}
		n, ok := normalize(t)
		if !ok {
			writeError(w, 500, "invalid reference format")
			return
		}
		tags = append(tags, n)
	}
	var buildArgs map[string]*string
	var labels map[string]string
	for key, v := range map[string]any{"buildargs": &buildArgs, "labels": &labels} {
		if raw := q.Get(key); raw != "" {
			if err := json.Unmarshal([]byte(raw), v); err != nil {
				writeError(w, 400, fmt.Sprintf("invalid %s: %v", key, err))
				return
			}
		}
	}
	buildCtx, err := readBuildContext(r.Body)
	if err != nil {
		writeError(w, 500, err.Error())
		return
	}
	name := q.Get("dockerfile")
	if name == "" {
		name = "Dockerfile"
	}
	src, err := buildCtx.ReadFile(name)
	if err != nil && name == "Dockerfile" {
		src, err = buildCtx.ReadFile("dockerfile")
	}
	if err != nil {
		writeError(w, 500, "Cannot locate specified Dockerfile: "+name)
		return
	}
	instructions, escape, err := parseDockerfile(src, s.engineAtLeast("1.42"))
	if err != nil {
		writeError(w, 400, err.Error())
		return
	}
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	stop := make(chan struct{})
	defer close(stop)
	go func() { // ends the build's processes when the server closes; returns with the handler
		select {
		case <-s.done:
			cancel(Signal("SIGKILL"))
		case <-stop:
		}
	}()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	b := &builder{s: s, ctx: ctx, out: &buildOutput{w: w, quiet: isTrue(q.Get("q"))}, context: buildCtx,
		lx: lexer{escape: escape}, buildArgs: buildArgs, usedArgs: map[string]bool{}, globalArgs: map[string]string{},
		rm: q.Get("rm") == "" || isTrue(q.Get("rm")), target: q.Get("target")}
	b.lx.lookup = b.lookup
	b.build(instructions, labels, tags)
}

// readBuildContext unpacks a build context into an in-memory file system.
// It returns the Engine's messages for a body that is not a tar archive.
func readBuildContext(body io.Reader) (*FS, error) {
	br := bufio.NewReader(body)
	var r io.Reader = br
	magic, _ := br.Peek(6)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		defer gz.Close()
		r = gz
	case bytes.HasPrefix(magic, []byte("BZh")):
		r = bzip2.NewReader(br)
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return nil, errors.New("dockertest: xz-compressed build contexts are not supported by the fake Engine")
	}
	fsys := newEmptyFS()
	if err := fsys.extractTar(r, "/", false, nil, nil); err != nil {
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, io.ErrUnexpectedEOF
		case errors.Is(err, tar.ErrHeader):
			return nil, tar.ErrHeader
		}
		return nil, err
	}
	return fsys, nil
}

// handleBuildPrune answers POST /build/prune: the fake keeps no build
// cache, so there is never anything to remove.
func (s *Server) handleBuildPrune(w http.ResponseWriter, r *http.Request, _ params) {
	if _, ok := readFilters(w, r, "until", "id", "parent", "type", "description", "inuse", "shared", "private"); !ok {
		return
	}
	writeJSON(w, 200, map[string]any{"CachesDeleted": nil, "SpaceReclaimed": 0})
}

// buildOutput writes a build's progress stream; it is safe for concurrent
// use (a RUN process may write from several goroutines).
type buildOutput struct {
	mu    sync.Mutex
	w     http.ResponseWriter
	quiet bool
}

func (o *buildOutput) write(v any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	_ = json.NewEncoder(o.w).Encode(v)
	_ = http.NewResponseController(o.w).Flush()
}

// stream sends build output, which a quiet build keeps to itself.
func (o *buildOutput) stream(text string) {
	if !o.quiet {
		o.write(stream.Progress{Stream: text})
	}
}

// fail ends the stream with the Engine's error message shape.
func (o *buildOutput) fail(code int, msg string) {
	o.write(struct {
		ErrorDetail stream.ErrorDetail `json:"errorDetail"`
		Error       string             `json:"error"`
	}{stream.ErrorDetail{Code: code, Message: msg}, msg})
}

// Write makes a RUN process's output stream messages.
func (o *buildOutput) Write(p []byte) (int, error) {
	o.stream(string(p))
	return len(p), nil
}

// stepError is a build step that failed: its message ends the stream.
type stepError struct {
	code int
	msg  string
}

func (e *stepError) Error() string { return e.msg }

func stepErrorf(format string, args ...any) *stepError {
	return &stepError{msg: fmt.Sprintf(format, args...)}
}

// builder runs one build.
type builder struct {
	s          *Server
	ctx        context.Context
	out        *buildOutput
	context    *FS
	lx         lexer
	buildArgs  map[string]*string
	usedArgs   map[string]bool
	globalArgs map[string]string // ARGs declared before the first FROM
	rm         bool
	target     string

	stages []*stage
	cur    *stage
	step   int
	steps  int
}

// stage is one FROM and the image it builds.
type stage struct {
	name   string
	base   *fakeImage // nil for scratch
	config image.Config
	files  *FS
	args   map[string]string // the ARGs it declared that have a value
	cmdSet bool
	author string
	id     string // the image id of its last step
}

// build runs the instructions, then the labels step, and registers and
// tags the image.
func (b *builder) build(instructions []instruction, labels map[string]string, tags []string) {
	instructions = b.selectTarget(instructions)
	if instructions == nil {
		b.out.fail(0, "failed to reach build target "+b.target+" in Dockerfile")
		return
	}
	b.steps = len(instructions) + len(labels)
	for _, in := range instructions {
		if err := b.ctx.Err(); err != nil {
			return // the client went away: the Engine cancels the build
		}
		b.step++
		b.out.stream(fmt.Sprintf("Step %d/%d : %s", b.step, b.steps, in.original))
		b.out.stream("\n")
		if err := b.dispatch(in); err != nil {
			var se *stepError
			if errors.As(err, &se) {
				b.out.fail(se.code, se.msg)
			} else {
				b.out.fail(0, err.Error())
			}
			return
		}
	}
	// Each label of the labels parameter is a step of its own, applied as
	// given (no quoting or expansion), in key order.
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.step++
		b.out.stream(fmt.Sprintf("Step %d/%d : LABEL %s=%s", b.step, b.steps, k, labels[k]))
		b.out.stream("\n")
		if b.cur == nil {
			continue
		}
		_ = b.inContainer(func() error {
			if b.cur.config.Labels == nil {
				b.cur.config.Labels = map[string]string{}
			}
			b.cur.config.Labels[k] = labels[k]
			return nil
		})
	}
	b.finish(tags)
}

// selectTarget drops the stages after the target stage; nil when the
// target names no stage.
func (b *builder) selectTarget(ins []instruction) []instruction {
	if b.target == "" {
		return ins
	}
	for i, in := range ins {
		if in.cmd != "FROM" {
			continue
		}
		f := strings.Fields(in.args)
		if len(f) == 3 && strings.EqualFold(f[2], b.target) {
			end := len(ins)
			for j := i + 1; j < len(ins); j++ {
				if ins[j].cmd == "FROM" {
					end = j
					break
				}
			}
			return ins[:end]
		}
	}
	return nil
}

// finish registers the last stage's image, tags it and reports it.
func (b *builder) finish(tags []string) {
	st := b.cur
	if st == nil {
		b.out.fail(0, "No image was generated. Is your Dockerfile empty?")
		return
	}
	s := b.s
	s.mu.Lock()
	var im *fakeImage
	created := false
	if st.id == "" { // FROM alone: the image is the base image
		if st.base == nil {
			s.mu.Unlock()
			b.out.fail(0, "No image was generated. Is your Dockerfile empty?")
			return
		}
		im = st.base
	} else {
		im = &fakeImage{id: "sha256:" + st.id, created: time.Now().UTC(), config: st.config, files: st.files,
			labels: st.config.Labels, author: st.author}
		if st.base != nil {
			im.parent = st.base.id
		}
		s.state.images[im.id] = im
		created = true
	}
	id := im.id
	for _, t := range tags {
		s.state.tags[t] = id
	}
	s.mu.Unlock()
	// Engines from API 1.46 (27.0) log the new image, tagged or not.
	if created && s.engineAtLeast("1.46") {
		s.Emit("image", "create", id, im.eventAttrs(id))
	}
	for _, t := range tags {
		s.Emit("image", "tag", id, im.eventAttrs(familiar(t)))
	}
	if b.out.quiet {
		b.out.write(stream.Progress{Stream: id + "\n"})
		return
	}
	aux, _ := json.Marshal(map[string]string{"ID": id})
	b.out.write(stream.Progress{Aux: aux})
	if unused := b.unusedArgs(); len(unused) > 0 {
		b.out.stream(fmt.Sprintf("[Warning] One or more build-args %v were not consumed\n", unused))
	}
	b.out.stream("Successfully built " + shortID(id) + "\n")
	for _, t := range tags {
		b.out.stream("Successfully tagged " + familiar(t) + "\n")
	}
}

func (b *builder) unusedArgs() []string {
	var out []string
	for name, v := range b.buildArgs {
		if v != nil && !b.usedArgs[name] && !builtinBuildArg(name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// builtinBuildArg reports the proxy variables every build accepts without
// an ARG.
func builtinBuildArg(name string) bool {
	switch strings.ToUpper(name) {
	case "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY":
		return true
	}
	return false
}

// commit ends a step that changed the image: a new image id.
func (b *builder) commit() {
	sum := sha256.Sum256([]byte(newID() + b.cur.name))
	b.cur.id = hex.EncodeToString(sum[:])
	b.out.stream(" ---> " + b.cur.id[:12] + "\n")
}

// inContainer wraps a step the classic builder runs in an intermediate
// container: "Running in", the step, "Removing intermediate container".
func (b *builder) inContainer(step func() error) error {
	cid := newID()[:12]
	b.out.stream(" ---> Running in " + cid + "\n")
	if err := step(); err != nil {
		return err
	}
	if b.rm {
		b.out.stream("Removing intermediate container " + cid + "\n")
	}
	b.commit()
	return nil
}
