package dockertest_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/dockertest"
	"github.com/berth-go/berth/docker/image"
	"github.com/google/go-cmp/cmp"
)

// buildContext makes a build context of name/content pairs.
func buildContext(t *testing.T, files ...string) io.Reader {
	t.Helper()
	var cf []image.ContextFile
	for i := 0; i+1 < len(files); i += 2 {
		cf = append(cf, image.ContextFile{Name: files[i], Data: []byte(files[i+1])})
	}
	r, err := image.ContextFromFiles(cf...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// collect runs a build and returns its stream lines, the aux image ID and
// the error that ended it.
func collect(t *testing.T, imgs *image.Service, ctx io.Reader, opts ...image.BuildOption) (lines []string, id string, err error) {
	t.Helper()
	for p, err := range imgs.Build(t.Context(), ctx, opts...) {
		if err != nil {
			return lines, id, err
		}
		if p.Stream != "" {
			lines = append(lines, p.Stream)
		}
		var aux struct{ ID string }
		if len(p.Aux) > 0 && docker.DecodeAux(p.Aux, &aux) == nil {
			id = aux.ID
		}
	}
	return lines, id, nil
}

func TestBuildCopyThenRun(t *testing.T) {
	t.Parallel()
	srv, ctrs := newFake(t, nil)
	srv.HandleProcess("tool", fileTool)
	imgs := image.New(srv.Client())
	ctx := buildContext(t,
		"Dockerfile", "FROM app:1\nARG WHO=world\nENV GREETING=hi-$WHO\nLABEL stage=probe\nCOPY hello.txt /greet/hello.txt\nCOPY dir /copied/\nWORKDIR /greet\nENTRYPOINT [\"tool\"]\nCMD [\"read\", \"/greet/hello.txt\"]\n",
		"hello.txt", "hello from context\n", "dir/a", "A", "dir/sub/b", "B")
	lines, id, err := collect(t, imgs, ctx, image.Tags("built:1", "built:2"), image.Labels(map[string]string{"berth.test": "1"}),
		image.BuildArgs(map[string]string{"WHO": "you"}))
	if err != nil {
		t.Fatalf("build: %v\n%s", err, strings.Join(lines, ""))
	}
	out := strings.Join(lines, "")
	for _, want := range []string{"Step 1/10 : FROM app:1\n ---> ", "Step 5/10 : COPY hello.txt /greet/hello.txt\n ---> ",
		"Step 10/10 : LABEL berth.test=1\n ---> Running in ", "Removing intermediate container ",
		"Successfully built " + id[7:19] + "\n", "Successfully tagged built:1\nSuccessfully tagged built:2\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	d, err := imgs.Inspect(t.Context(), "built:2")
	if err != nil || d.ID != id {
		t.Fatalf("inspect = %s, %v; want %s", d.ID, err, id)
	}
	want := &image.Config{Env: []string{"FROM_IMAGE=1", "GREETING=hi-you"}, Cmd: []string{"read", "/greet/hello.txt"},
		WorkingDir: "/greet", Entrypoint: []string{"tool"}, Labels: map[string]string{"img": "yes", "stage": "probe", "berth.test": "1"}}
	if diff := cmp.Diff(want, d.Config); diff != "" {
		t.Errorf("config (-want +got)\n%s", diff)
	}
	_, code, stdout, stderr := runOut(t, ctrs, container.Config{Image: "built:1"}, container.HostConfig{})
	if code != 0 || stdout != "hello from context\n" {
		t.Errorf("a container of the built image read %q, exit %d (%s)", stdout, code, stderr)
	}
	_, code, stdout, _ = runOut(t, ctrs, container.Config{Image: "built:1", Cmd: []string{"read", "/copied/sub/b"}}, container.HostConfig{})
	if code != 0 || stdout != "B" {
		t.Errorf("a copied directory's file: %q, exit %d", stdout, code)
	}
}

func TestBuildQuietAndFromScratch(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, nil)
	imgs := image.New(srv.Client())
	id, err := imgs.BuildAndWait(t.Context(), buildContext(t, "Dockerfile", "FROM scratch\nCOPY f.txt /x\n", "f.txt", "hi"), nil, image.Quiet(), image.Tags("q"))
	if err != nil || !strings.HasPrefix(id, "sha256:") {
		t.Fatalf("quiet build = %q, %v", id, err)
	}
	lines, _, err := collect(t, imgs, buildContext(t, "Dockerfile", "FROM scratch\nCOPY f.txt /x\n", "f.txt", "hi"), image.Quiet())
	if err != nil || len(lines) != 1 || !strings.HasPrefix(lines[0], "sha256:") {
		t.Errorf("quiet output %q, %v", lines, err)
	}
	d, err := imgs.Inspect(t.Context(), "q")
	if err != nil || d.ID != id || !slices.Equal(d.Config.Env, []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}) || d.Parent != "" {
		t.Errorf("scratch image = %+v, %v", d, err)
	}
}

func TestBuildInstructions(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, nil)
	srv.HandleProcess("tool", fileTool)
	imgs := image.New(srv.Client())
	dockerfile := `# escape=\
ARG BASE=app:1
FROM ${BASE} AS first
ENV A=1 B="two words" \
    C=${A}x
ENV D 3 4
WORKDIR rel
WORKDIR more
USER nobody
EXPOSE 80 53/udp
VOLUME ["/v"]
STOPSIGNAL SIGINT
SHELL ["/bin/ash", "-c"]
ENTRYPOINT exec tool
HEALTHCHECK --interval=5s --retries=2 CMD ["tool", "read", "/x"]
ONBUILD run echo hi
RUN ["tool", "write", "/made/by/run", "ran"]
FROM first
COPY --from=first --chown=7:8 /made/by/run /copied
ADD archive.tar.gz /unpacked/
`
	var arch bytes.Buffer
	gz := gzip.NewWriter(&arch)
	tw := tar.NewWriter(gz)
	_ = tw.WriteHeader(&tar.Header{Name: "inner.txt", Mode: 0o644, Size: 5})
	_, _ = tw.Write([]byte("inner"))
	_ = tw.Close()
	_ = gz.Close()
	_, id, err := collect(t, imgs, buildContext(t, "Dockerfile", dockerfile, "archive.tar.gz", arch.String()))
	if err != nil {
		t.Fatal(err)
	}
	d, err := imgs.Inspect(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := &image.Config{User: "nobody", ExposedPorts: map[string]struct{}{"80/tcp": {}, "53/udp": {}},
		Env:         []string{"FROM_IMAGE=1", "A=1", "B=two words", "C=x", "D=3 4"},
		Healthcheck: &image.HealthConfig{Test: []string{"CMD", "tool", "read", "/x"}, Interval: 5e9, Retries: 2},
		Volumes:     map[string]struct{}{"/v": {}}, WorkingDir: "/rel/more", Entrypoint: []string{"/bin/ash", "-c", "exec tool"},
		OnBuild: []string{"RUN echo hi"}, Labels: map[string]string{"img": "yes"}, StopSignal: "SIGINT", Shell: []string{"/bin/ash", "-c"}}
	if diff := cmp.Diff(want, d.Config); diff != "" {
		t.Errorf("config (-want +got)\n%s", diff)
	}
	ctrs := container.New(srv.Client())
	for path, content := range map[string]string{"/copied": "ran", "/unpacked/inner.txt": "inner", "/made/by/run": "ran"} {
		_, code, out, stderr := runOut(t, ctrs, container.Config{Image: id, Entrypoint: []string{"tool"}, Cmd: []string{"read", path}}, container.HostConfig{})
		if code != 0 || out != content {
			t.Errorf("%s: %q exit %d %s", path, out, code, stderr)
		}
	}
}

func TestBuildFailures(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, nil)
	srv.HandleProcess("fail", func(_ context.Context, p *dockertest.ProcessIO) int {
		fmt.Fprintln(p.Stdout, "out")
		return 3
	})
	imgs := image.New(srv.Client())
	for _, tc := range []struct {
		name       string
		files      []string
		opts       []image.BuildOption
		status     int // a *docker.Error before the stream
		streamErr  string
		streamCode int
	}{
		{name: "unknown instruction", files: []string{"Dockerfile", "FROM scratch\nFROBNICATE x\n"}, status: 400},
		{name: "empty", files: []string{"Dockerfile", "# nothing\n"}, status: 400},
		{name: "no stage", files: []string{"Dockerfile", "COPY a /b\n"}, status: 400},
		{name: "ENV without arguments", files: []string{"Dockerfile", "FROM scratch\nENV\n"}, status: 400},
		{name: "no Dockerfile", files: []string{"other", "x"}, status: 500},
		{name: "named Dockerfile missing", files: []string{"Dockerfile", "FROM scratch"}, opts: []image.BuildOption{image.Dockerfile("Nope")}, status: 500},
		{name: "missing COPY source", files: []string{"Dockerfile", "FROM scratch\nCOPY nope.txt /x\n"},
			streamErr: "COPY failed: file not found in build context or excluded by .dockerignore: stat nope.txt: file does not exist"},
		{name: "unknown base image", files: []string{"Dockerfile", "FROM nosuch:1\n"},
			streamErr: "pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"},
		{name: "RUN fails", files: []string{"Dockerfile", "FROM app:1\nRUN [\"fail\", \"now\"]\n"},
			streamErr: "The command 'fail now' returned a non-zero code: 3", streamCode: 3},
		{name: "RUN without a shell", files: []string{"Dockerfile", "FROM app:1\nRUN echo hi\n"},
			streamErr: `exec: "/bin/sh": stat /bin/sh: no such file or directory`},
		{name: "FROM scratch alone", files: []string{"Dockerfile", "FROM scratch\n"}, streamErr: "No image was generated. Is your Dockerfile empty?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines, _, err := collect(t, imgs, buildContext(t, tc.files...), tc.opts...)
			var de *docker.Error
			var se *docker.StreamError
			switch {
			case tc.status != 0:
				if !errors.As(err, &de) || de.StatusCode != tc.status {
					t.Errorf("err = %v, want status %d", err, tc.status)
				}
			case !errors.As(err, &se) || !strings.Contains(se.Error(), tc.streamErr):
				t.Errorf("err = %v, want a stream error %q\n%s", err, tc.streamErr, strings.Join(lines, ""))
			case tc.streamCode != 0 && !strings.Contains(strings.Join(lines, ""), "out\n"):
				t.Errorf("RUN output missing: %q", lines)
			}
		})
	}
	for name, body := range map[string]string{"not a tar": "FROM scratch\n", "garbage": strings.Repeat("\x01\x02", 600)} {
		_, _, err := collect(t, imgs, strings.NewReader(body))
		var de *docker.Error
		if !errors.As(err, &de) || de.StatusCode != 500 {
			t.Errorf("%s: err = %v, want 500", name, err)
		}
	}
	_, _, err := collect(t, imgs, buildContext(t, "Dockerfile", "FROM scratch\n"), image.Tags("BAD"))
	if err == nil {
		t.Error("an upper-case tag was accepted")
	}
}

// TestBuildParseErrorEras checks the wording of a refused Dockerfile by the
// Engine the fake plays: 20.10's parser, and the one of Engines 23 and
// later (API 1.42).
func TestBuildParseErrorEras(t *testing.T) {
	t.Parallel()
	for version, want := range map[string]string{
		"1.41": "dockerfile parse error line 2: unknown instruction: FROBNICATE",
		"1.42": "dockerfile parse error on line 2: unknown instruction: Frobnicate",
		"1.57": "dockerfile parse error on line 2: unknown instruction: Frobnicate",
	} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			srv, _ := newFake(t, nil, dockertest.WithAPIVersion(version))
			_, _, err := collect(t, image.New(srv.Client()), buildContext(t, "Dockerfile", "FROM scratch\nFrobnicate x\n"))
			var de *docker.Error
			if !errors.As(err, &de) || de.StatusCode != 400 || de.Message != want {
				t.Errorf("err = %v, want 400 %s", err, want)
			}
		})
	}
}

func TestBuildTargetAndGlobalArgs(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t, nil)
	imgs := image.New(srv.Client())
	dockerfile := "ARG BASE=app:1\nARG V=global\nFROM $BASE AS one\nARG V\nENV FROM_ARG=$V\nCOPY f /one\nFROM scratch AS two\nCOPY --from=0 /one /from-one\nFROM scratch AS three\nLABEL never=built\n"
	lines, id, err := collect(t, imgs, buildContext(t, "Dockerfile", dockerfile, "f", "x"), image.Target("two"), image.BuildArgs(map[string]string{"BASE": "app:1"}))
	if err != nil {
		t.Fatalf("%v\n%s", err, strings.Join(lines, ""))
	}
	if out := strings.Join(lines, ""); !strings.Contains(out, "Step 8/8 : COPY --from=0 /one /from-one") || strings.Contains(out, "never=built") {
		t.Errorf("steps:\n%s", out)
	}
	d, err := imgs.Inspect(t.Context(), id)
	if err != nil || d.Config.Labels["never"] != "" {
		t.Fatalf("inspect = %+v, %v", d.Config, err)
	}
	ctrs := container.New(srv.Client())
	srv.HandleProcess("tool", fileTool)
	_, code, out, _ := runOut(t, ctrs, container.Config{Image: id, Entrypoint: []string{"tool"}, Cmd: []string{"read", "/from-one"}}, container.HostConfig{})
	if code != 0 || out != "x" {
		t.Errorf("file from stage 0: %q exit %d", out, code)
	}
	_, id, err = collect(t, imgs, buildContext(t, "Dockerfile", dockerfile, "f", "x"), image.Target("one"))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := imgs.Inspect(t.Context(), id); !slices.Contains(d.Config.Env, "FROM_ARG=global") {
		t.Errorf("a global ARG redeclared in the stage: env %v", d.Config.Env)
	}
	if _, _, err := collect(t, imgs, buildContext(t, "Dockerfile", dockerfile, "f", "x"), image.Target("nope")); err == nil {
		t.Error("an unknown target built")
	}
}
