package integration

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/internal/testing/testenv"
	"github.com/berth-go/berth/stream"
)

// TestImageRegistryRoundTrip builds the test image from a directory with a
// .dockerignore, pushes it to the local registry with credentials from a
// DOCKER_CONFIG (config.json "auths", then a credential helper on PATH),
// removes it, pulls it back and checks it is the same image; along the way
// it inspects the distribution, history and details, prunes the build
// cache, and round-trips the image through save and load.
func TestImageRegistryRoundTrip(t *testing.T) {
	addr, user, password := testenv.Registry(t)
	s := imgs(t)
	ctx := testenv.Context(t, 5*time.Minute)
	repo := imgRepo(addr, "roundtrip")
	ref, ref2 := repo+":1", repo+":2"
	imgCleanup(t, ref, ref2)

	// Build from a directory: the 32 MiB file is excluded by .dockerignore,
	// and so are the logs but one, re-included with "!".
	dir := imgTestContext(t, 32<<20)
	buildContext, err := image.ContextFromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buildOut bytes.Buffer
	id, err := s.BuildAndWait(ctx, buildContext, stream.NewRenderer(&buildOut, false),
		image.Tags(ref), image.Labels(testenv.Labels()), image.ForceRm())
	if err != nil {
		t.Fatalf("build: %v\n%s", err, buildOut.String())
	}
	imgCleanup(t, id)
	if !strings.Contains(buildOut.String(), "Successfully tagged "+ref) {
		t.Errorf("build output:\n%s", buildOut.String())
	}
	code, out, stderr := imgRun(t, ref) // CMD: ls /data
	if code != 0 {
		t.Fatalf("ls exited %d: %s", code, stderr)
	}
	files := imgFiles(out)
	var names []string
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	want := []string{"keep.txt", "logs", "logs/important.log", "sub", "sub/nested.txt"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("files in the image mismatch (-want +got):\n%s\n%s", diff, out)
	}

	// Push with the credentials of a config.json "auths" entry, found
	// through DOCKER_CONFIG.
	t.Setenv("DOCKER_CONFIG", imgDockerConfig(t, imgAuthsConfig(addr, user, password)))
	store, err := registry.NewStore("")
	if err != nil {
		t.Fatal(err)
	}
	plainPush, plainPull := plainHTTP(t)
	var pushOut bytes.Buffer
	pushed, err := s.PushAndWait(ctx, ref, stream.NewRenderer(&pushOut, false), append(plainPush, image.AuthFrom(store))...)
	if err != nil {
		t.Fatalf("push: %v\n%s", err, pushOut.String())
	}
	if len(pushed) != 1 || pushed[0].Tag != "1" || !strings.HasPrefix(pushed[0].Digest, "sha256:") {
		t.Fatalf("push results = %+v", pushed)
	}
	digest := pushed[0].Digest
	t.Logf("pushed %s: %s (%d bytes)", ref, digest, pushed[0].Size)
	if len(plainPush) > 0 {
		// ExtraQuery reaches Podman: told tlsVerify=true, it insists on
		// HTTPS even for the registry registries.conf marks insecure.
		_, err := s.PushAndWait(ctx, ref, nil, image.ExtraQuery("tlsVerify", "true"), image.AuthFrom(store))
		if err == nil || !strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
			t.Errorf("push with tlsVerify=true: %v, want Podman's TLS failure", err)
		}
	}

	// Push a second tag with credentials from a credential helper on PATH.
	if err := s.Tag(ctx, ref, ref2); err != nil {
		t.Fatal(err)
	}
	bin, calls := imgFakeHelper(t, "berthtest", user, password)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	helperStore, err := registry.NewStore(imgDockerConfig(t, map[string]any{"credHelpers": map[string]string{addr: "berthtest"}}))
	if err != nil {
		t.Fatal(err)
	}
	pushed2, err := s.PushAndWait(ctx, ref2, nil, append(plainPush, image.AuthFrom(helperStore))...)
	if err != nil {
		t.Fatalf("push with the helper: %v", err)
	}
	if len(pushed2) != 1 || pushed2[0].Digest != digest {
		t.Errorf("second push = %+v, want digest %s", pushed2, digest)
	}
	if b, err := os.ReadFile(calls); err != nil || strings.TrimSpace(string(b)) != addr {
		t.Errorf("the helper was asked for %q (%v), want %q", b, err, addr)
	}

	// Without credentials, or with wrong ones, the registry refuses, and no
	// secret shows in the error.
	for name, opts := range map[string][]image.PushOption{
		"none":  nil,
		"wrong": {image.Auth(registry.AuthConfig{Username: user, Password: "wrong-" + password, ServerAddress: addr})},
	} {
		_, err := s.PushAndWait(ctx, ref, nil, append(plainPush, opts...)...)
		if err == nil {
			t.Errorf("push with %s credentials succeeded", name)
			continue
		}
		msg := err.Error()
		var se *docker.StreamError
		if !errors.Is(err, docker.ErrUnauthorized) && !(errors.As(err, &se) && strings.Contains(strings.ToLower(msg), "auth")) {
			t.Errorf("push with %s credentials: %v, want ErrUnauthorized or the registry's message", name, err)
		}
		if strings.Contains(msg, password) {
			t.Errorf("the error leaks the password: %s", msg)
		}
		t.Logf("push with %s credentials: %v", name, err)
	}

	// The registry's view of the image.
	if !testenv.OnPodman(t, testenv.PodmanNoDistribution) {
		dist, err := s.InspectDistribution(ctx, ref, image.AuthFrom(store))
		if err != nil {
			t.Fatal(err)
		}
		if dist.Descriptor.Digest != digest || dist.Descriptor.Size != pushed[0].Size {
			t.Errorf("distribution descriptor = %+v, want %s", dist.Descriptor, digest)
		}
		if !slices.ContainsFunc(dist.Platforms, func(p image.OCIPlatform) bool { return p.OS == "linux" }) {
			t.Errorf("distribution platforms = %v", dist.Platforms)
		}
	}

	// Remove it locally, then pull it back with progress.
	if _, err := s.Remove(ctx, ref2); err != nil {
		t.Fatal(err)
	}
	removed, err := s.Remove(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(removed, func(r image.DeleteResponse) bool { return r.Deleted == id }) {
		t.Errorf("remove reported %+v, want %s deleted", removed, id)
	}
	if _, err := s.Inspect(ctx, id); !errors.Is(err, docker.ErrNotFound) {
		t.Fatalf("inspect after remove: %v, want ErrNotFound", err)
	}
	var pullOut bytes.Buffer
	if err := s.PullAndWait(ctx, ref, stream.NewRenderer(&pullOut, false), append(plainPull, image.AuthFrom(store))...); err != nil {
		t.Fatalf("pull: %v\n%s", err, pullOut.String())
	}
	if testenv.OnPodman(t, testenv.PodmanPullOutput) {
		if !strings.Contains(pullOut.String(), "Download complete") {
			t.Errorf("pull output:\n%s", pullOut.String())
		}
	} else if !strings.Contains(pullOut.String(), "Pull complete") || !strings.Contains(pullOut.String(), digest) {
		t.Errorf("pull output:\n%s", pullOut.String())
	}

	// The same image: ID and digest.
	d, err := s.Inspect(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != id {
		t.Errorf("pulled ID = %s, built %s", d.ID, id)
	}
	if !slices.Contains(d.RepoDigests, repo+"@"+digest) {
		t.Errorf("RepoDigests = %v, want %s@%s", d.RepoDigests, repo, digest)
	}
	if d.Config == nil || !slices.Equal(d.Config.Entrypoint, []string{"/berth-test"}) || d.Config.Labels[testenv.LabelRun] != testenv.RunID {
		t.Errorf("config = %+v", d.Config)
	}
	if d.OS != "linux" || d.RootFS.Type != "layers" || len(d.RootFS.Layers) != 2 || d.Size == 0 {
		t.Errorf("details = %+v", d)
	}
	hist, err := s.History(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) < 4 || hist[0].ID != id || !strings.Contains(hist[len(hist)-1].CreatedBy, "COPY") {
		t.Errorf("history = %+v", hist)
	}
	listOpts := []image.ListOption{image.Filter("reference", ref), image.Digests()}
	if testenv.OnPodman(t, testenv.PodmanImageListCount) {
		listOpts = listOpts[:1] // digests=1 gets an empty answer
	}
	if list, err := s.List(ctx, listOpts...); err != nil || len(list) != 1 || list[0].ID != id {
		t.Errorf("list by reference = %+v, %v", list, err)
	}

	// Save and load round trip: the same image comes back.
	archive := filepath.Join(t.TempDir(), "image.tar")
	rc, err := s.Save(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(f, rc)
	rc.Close()
	f.Close()
	if err != nil || n == 0 {
		t.Fatalf("save: %d bytes, %v", n, err)
	}
	if _, err := s.Remove(ctx, ref); err != nil {
		t.Fatal(err)
	}
	f, err = os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := s.LoadAndWait(ctx, f, nil)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(loaded, ref) {
		t.Errorf("loaded %v, want %s", loaded, ref)
	}
	if d, err := s.Inspect(ctx, ref); err != nil || d.ID != id {
		t.Errorf("after load: %s, %v; want %s", d.ID, err, id)
	}

	// Build cache prune (the classic builder keeps no BuildKit cache, so
	// there may be nothing to reclaim).
	if testenv.OnPodman(t, testenv.PodmanNoBuildPrune) {
		return
	}
	report, err := s.BuildPrune(ctx, image.ReservedSpace(1<<30), image.Filter("until", "10m"))
	if err != nil {
		t.Fatalf("build prune: %v", err)
	}
	t.Logf("build prune: %d records, %d bytes", len(report.CachesDeleted), report.SpaceReclaimed)
}

// TestImageImport imports a root filesystem holding the test binary, from
// a stream and from a URL the daemon downloads, and runs it.
func TestImageImport(t *testing.T) {
	t.Parallel()
	s := imgs(t)
	ctx := testenv.Context(t, 3*time.Minute)
	bin, err := testenv.BuildTestBinary(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	rootfs, err := image.ContextFromFiles(
		image.ContextFile{Name: "berth-test", Data: data, Mode: 0o755},
		image.ContextFile{Name: "etc/hello", Data: []byte("hello from an import")},
	)
	if err != nil {
		t.Fatal(err)
	}
	ref := imgRepo("", "import") + ":1"
	imgCleanup(t, ref)
	id, err := s.ImportAndWait(ctx, rootfs, nil, image.Repo(ref), image.Message("imported by berth"),
		// One LABEL a pair: Podman takes the rest of the line as the first
		// label's value (podman-changes).
		image.Changes(`ENTRYPOINT ["/berth-test"]`, "ENV IMPORTED=1", "LABEL "+testenv.LabelKey+"=1", "LABEL "+testenv.LabelRun+"="+testenv.RunID),
		image.Platform("linux/"+runtimeArch(t)))
	if err != nil {
		t.Fatal(err)
	}
	imgCleanup(t, id)
	d, err := s.Inspect(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != id || d.Comment != "imported by berth" || d.Config == nil || !slices.Contains(d.Config.Env, "IMPORTED=1") ||
		d.Config.Labels[testenv.LabelRun] != testenv.RunID {
		t.Errorf("imported image = %+v (config %+v)", d, d.Config)
	}
	if code, out, _ := imgRun(t, ref, "cat-file", "/etc/hello"); code != 0 || out != "hello from an import" {
		t.Errorf("cat-file: %d %q", code, out)
	}

	// From a URL: the daemon downloads the archive from a local server.
	srv := imgServeFile(t, rootfs)
	ref2 := imgRepo("", "import-url") + ":1"
	imgCleanup(t, ref2)
	var last stream.Progress
	for p, err := range s.ImportFromURL(ctx, srv+"/rootfs.tar", image.Repo(ref2),
		image.Changes("LABEL "+testenv.LabelKey+"=1", "LABEL "+testenv.LabelRun+"="+testenv.RunID)) {
		if err != nil {
			t.Fatal(err)
		}
		last = p
	}
	d2, err := s.Inspect(ctx, ref2)
	if err != nil {
		t.Fatal(err)
	}
	if last.Status != d2.ID {
		t.Errorf("last status %q, image %s", last.Status, d2.ID)
	}
	if len(d2.RootFS.Layers) != 1 || d2.RootFS.Layers[0] != d.RootFS.Layers[0] {
		t.Errorf("layers %v, want %v", d2.RootFS.Layers, d.RootFS.Layers)
	}
}

// TestImageCommit commits a container that wrote a file, and runs the new
// image.
func TestImageCommit(t *testing.T) {
	t.Parallel()
	s := imgs(t)
	cli := testenv.Client(t)
	ctx := testenv.Context(t, 2*time.Minute)
	id := rawContainer(t, cli, map[string]any{"Cmd": []string{"writefile", "/made", "committed content"}})
	if err := cli.DoJSON(ctx, &docker.Request{Method: "POST", Path: "/containers/" + id + "/start"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := cli.DoJSON(ctx, &docker.Request{Method: "POST", Path: "/containers/" + id + "/wait"}, nil); err != nil {
		t.Fatal(err)
	}
	ref := imgRepo("", "commit") + ":snap"
	imgCleanup(t, ref)
	img, err := s.Commit(ctx, id, image.Config{Labels: imgLabels(map[string]string{"committed": "yes"}), Cmd: []string{"cat-file", "/made"}},
		image.Repo(ref), image.Comment("a snapshot"), image.Author("berth <berth@example.com>"), image.NoPause(), image.Changes("ENV COMMITTED=1"))
	if err != nil {
		t.Fatal(err)
	}
	imgCleanup(t, img)
	d, err := s.Inspect(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != img || d.Comment != "a snapshot" || d.Author != "berth <berth@example.com>" || d.Config == nil ||
		!slices.Contains(d.Config.Env, "COMMITTED=1") {
		t.Errorf("committed image = %+v (config %+v)", d, d.Config)
	}
	// Podman applies the changes but not the configuration in the body.
	if testenv.OnPodman(t, testenv.PodmanCommit) {
		return
	}
	if d.Config.Labels["committed"] != "yes" {
		t.Errorf("committed image's labels = %v", d.Config.Labels)
	}
	if code, out, _ := imgRun(t, ref); code != 0 || out != "committed content" {
		t.Errorf("committed image prints %d %q", code, out)
	}
}

// TestImagePruneByLabel prunes images by a label of their own, tagged and
// dangling alike, and leaves everything else alone.
func TestImagePruneByLabel(t *testing.T) {
	t.Parallel()
	s := imgs(t)
	ctx := testenv.Context(t, 2*time.Minute)
	label := "berth.test.prune=" + testenv.RunID
	var ids []string
	for i, tag := range []string{imgRepo("", "prune") + ":1", ""} {
		bc, err := image.ContextFromFiles(
			image.ContextFile{Name: "Dockerfile", Data: []byte("FROM scratch\nCOPY f /f\n")},
			image.ContextFile{Name: "f", Data: []byte{byte(i)}},
		)
		if err != nil {
			t.Fatal(err)
		}
		opts := []image.BuildOption{image.Labels(imgLabels(map[string]string{"berth.test.prune": testenv.RunID}))}
		if tag != "" {
			opts = append(opts, image.Tags(tag))
		}
		id, err := s.BuildAndWait(ctx, bc, nil, opts...)
		if err != nil {
			t.Fatal(err)
		}
		imgCleanup(t, id)
		ids = append(ids, id)
	}
	list, err := s.List(ctx, image.Filter("label", label))
	if err != nil || len(list) != 2 {
		t.Fatalf("list by label = %+v, %v", list, err)
	}
	// dangling=false prunes tagged images too. Podman adds dangling=true
	// itself, refuses a request that says otherwise, and so prunes only
	// the untagged one (podman-image-prune).
	pruneOpts, gone := []image.PruneOption{image.Filter("label", label), image.Filter("dangling", "false")}, ids
	if testenv.OnPodman(t, testenv.PodmanPrune) {
		pruneOpts, gone = pruneOpts[:1], ids[1:]
	}
	report, err := s.Prune(ctx, pruneOpts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range gone {
		if !slices.ContainsFunc(report.ImagesDeleted, func(r image.DeleteResponse) bool { return r.Deleted == id }) {
			t.Errorf("prune did not delete %s: %+v", id, report)
		}
	}
	if report.SpaceReclaimed == 0 {
		t.Errorf("prune reclaimed nothing: %+v", report)
	}
	if list, err := s.List(ctx, image.Filter("label", label)); err != nil || len(list) != len(ids)-len(gone) {
		t.Errorf("after prune: %+v, %v", list, err)
	}
	if _, err := s.Inspect(ctx, testenv.Image(t)); err != nil {
		t.Errorf("the test image is gone: %v", err)
	}
}

// TestImageListAndInspect lists and inspects the test image, and checks the
// errors for unknown images.
func TestImageListAndInspect(t *testing.T) {
	t.Parallel()
	s := imgs(t)
	ctx := testenv.Context(t, time.Minute)
	ref := testenv.Image(t)
	cli := testenv.Client(t)
	opts := []image.ListOption{image.Filter("label", testenv.RunFilter()), image.Filter("reference", ref), image.All(), image.Digests()}
	if testenv.OnPodman(t, testenv.PodmanImageListCount) {
		opts = opts[:3] // digests=1 gets an empty answer
	}
	list, err := s.List(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || !imgTagged(t, list[0].RepoTags, ref) || list[0].Labels[testenv.LabelRun] != testenv.RunID || list[0].Size == 0 {
		t.Fatalf("list = %+v", list)
	}
	d, err := s.Inspect(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != list[0].ID || d.Config == nil || !slices.Equal(d.Config.Entrypoint, []string{"/berth-test"}) || d.Architecture == "" {
		t.Errorf("inspect = %+v", d)
	}
	if _, err := s.Inspect(ctx, d.ID[len("sha256:"):][:12]); err != nil {
		t.Errorf("inspect by short ID: %v", err)
	}
	missing := "berth-no-such-image:" + testenv.RunID
	if _, err := s.Inspect(ctx, missing); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("inspect missing: %v, want ErrNotFound", err)
	}
	if _, err := s.History(ctx, missing); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("history missing: %v, want ErrNotFound", err)
	}
	if _, err := s.Remove(ctx, missing); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("remove missing: %v, want ErrNotFound", err)
	}
	if err := s.Tag(ctx, missing, "berth-x:1"); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("tag missing: %v, want ErrNotFound", err)
	}
	// Attestations came with API 1.55 (version-history.md, v1.55: GET
	// /images/{name}/attestations); a daemon whose image store is a
	// graphdriver (not containerd) answers 501 "the legacy image store does
	// not support attestations".
	_, err = s.Attestations(ctx, ref)
	switch v := cli.APIVersion(); {
	case docker.CompareVersions(v, "1.55") < 0:
		if !errors.Is(err, docker.ErrVersion) {
			t.Errorf("attestations on API %s: %v, want ErrVersion", v, err)
		}
	case err != nil && !errors.Is(err, docker.ErrNotImplemented):
		t.Errorf("attestations on API %s: %v, want a list or ErrNotImplemented", v, err)
	}
	// shared-size came with API 1.42 (v1.42: GET /images/json shared-size).
	_, err = s.List(ctx, image.SharedSize(), image.Filter("reference", ref))
	if v := cli.APIVersion(); docker.CompareVersions(v, "1.42") < 0 {
		if !errors.Is(err, docker.ErrVersion) {
			t.Errorf("shared-size on API %s: %v, want ErrVersion", v, err)
		}
	} else if err != nil {
		t.Errorf("shared-size on API %s: %v", v, err)
	}
}

// TestImageBadInput covers what the daemon refuses and what is refused
// before it is asked.
func TestImageBadInput(t *testing.T) {
	t.Parallel()
	s := imgs(t)
	ctx := testenv.Context(t, 2*time.Minute)
	t.Run("invalid references", func(t *testing.T) {
		for _, ref := range []string{"UPPER/Case", "", "a::b"} {
			if err := s.PullAndWait(ctx, ref, nil); err == nil {
				t.Errorf("pull %q succeeded", ref)
			} else if ref != "" && !errors.Is(err, image.ErrInvalidReference) {
				t.Errorf("pull %q: %v, want ErrInvalidReference", ref, err)
			}
		}
	})
	t.Run("context is not a tar", func(t *testing.T) {
		_, err := s.BuildAndWait(ctx, strings.NewReader(strings.Repeat("not a tar archive\n", 100)), nil)
		if err == nil {
			t.Fatal("build succeeded")
		}
		t.Logf("not a tar: %v", err)
	})
	t.Run("Dockerfile syntax error", func(t *testing.T) {
		bc, err := image.ContextFromFiles(image.ContextFile{Name: "Dockerfile", Data: []byte("FROM scratch\nNOTANINSTRUCTION x\n")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.BuildAndWait(ctx, bc, nil, image.Labels(testenv.Labels()))
		var de *docker.Error
		var se *docker.StreamError
		if !errors.As(err, &de) && !errors.As(err, &se) {
			t.Fatalf("error = %v, want the daemon's", err)
		}
		if !strings.Contains(strings.ToLower(err.Error()), "unknown instruction") {
			t.Errorf("error = %v", err)
		}
	})
	t.Run("failing instruction", func(t *testing.T) {
		bc, err := image.ContextFromFiles(image.ContextFile{Name: "Dockerfile", Data: []byte("FROM scratch\nCOPY missing /x\n")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.BuildAndWait(ctx, bc, nil, image.Labels(testenv.Labels()), image.ForceRm())
		var se *docker.StreamError
		if !errors.As(err, &se) {
			t.Fatalf("error = %v, want a *docker.StreamError", err)
		}
	})
	t.Run("registry down", func(t *testing.T) {
		start := time.Now()
		err := s.PullAndWait(testenv.Context(t, time.Minute), "127.0.0.1:1/berth/none:1", nil)
		if err == nil {
			t.Fatal("pull from a closed port succeeded")
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("took %v", d)
		}
		t.Logf("registry down: %v", err)
	})
	t.Run("broken archive", func(t *testing.T) {
		_, err := s.LoadAndWait(ctx, strings.NewReader("garbage"), nil)
		var se *docker.StreamError
		if testenv.OnPodman(t, testenv.PodmanLoadError) {
			wantRefusal(t, "load garbage", err, nil, "payload does not match any of the supported image formats")
		} else if !errors.As(err, &se) {
			t.Errorf("load garbage: %v, want a *docker.StreamError", err)
		}
	})
}

// TestImageSaveMany saves two images in one archive (GET /images/get),
// reads its manifest, and loads it back after removing one of them.
func TestImageSaveMany(t *testing.T) {
	t.Parallel()
	s := imgs(t)
	ctx := testenv.Context(t, 3*time.Minute)
	ref := testenv.Image(t)
	bc, err := image.ContextFromFiles(
		image.ContextFile{Name: "Dockerfile", Data: []byte("FROM scratch\nCOPY f /f\n")},
		image.ContextFile{Name: "f", Data: []byte("saved with another\n")},
	)
	if err != nil {
		t.Fatal(err)
	}
	other := imgRepo("", "savemany") + ":1"
	imgCleanup(t, other)
	id, err := s.BuildAndWait(ctx, bc, nil, image.Tags(other), image.Labels(testenv.Labels()))
	if err != nil {
		t.Fatal(err)
	}
	imgCleanup(t, id)

	archive := filepath.Join(t.TempDir(), "images.tar")
	rc, err := s.SaveMany(ctx, []string{ref, other})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(f, rc)
	rc.Close()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("saving: %d bytes, %v", n, err)
	}

	// manifest.json lists both images by their tags.
	f, err = os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	var manifest []struct {
		Config   string
		RepoTags []string
	}
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Name == "manifest.json" {
			if err := json.NewDecoder(tr).Decode(&manifest); err != nil {
				t.Fatalf("manifest.json: %v", err)
			}
		}
	}
	f.Close()
	var tags []string
	for _, m := range manifest {
		tags = append(tags, m.RepoTags...)
	}
	if len(manifest) != 2 || !imgTagged(t, tags, ref) || !imgTagged(t, tags, other) {
		t.Errorf("manifest of %d bytes = %+v, want the two images", n, manifest)
	}

	// Loaded back, the removed image returns with its ID.
	if _, err := s.Remove(ctx, other); err != nil {
		t.Fatal(err)
	}
	f, err = os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	loaded, err := s.LoadAndWait(ctx, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) != 2 || !imgTagged(t, loaded, ref) || !imgTagged(t, loaded, other) {
		t.Errorf("loaded %q, want the two images", loaded)
	}
	if d, err := s.Inspect(ctx, other); err != nil || d.ID != id {
		t.Errorf("after load: %s, %v; want %s", d.ID, err, id)
	}
}
