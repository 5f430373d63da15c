package integration

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/internal/testing/testenv"
)

const time0 = time.Minute

func TestPing(t *testing.T) {
	cli := testenv.Client(t)
	for _, tc := range []struct {
		name string
		opts []docker.PingOption
	}{
		{"GET", nil},
		{"HEAD", []docker.PingOption{docker.Head()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := cli.Ping(testenv.Context(t, time0), tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if p.APIVersion == "" || p.OSType == "" && !testenv.OnPodman(t, testenv.PodmanPing) {
				t.Errorf("ping headers missing: %+v", p)
			}
			if docker.CompareVersions(p.APIVersion, docker.MinAPIVersion) < 0 {
				t.Errorf("daemon API %s older than %s", p.APIVersion, docker.MinAPIVersion)
			}
			t.Logf("ping: %+v", p)
		})
	}
}

func TestNegotiatedVersion(t *testing.T) {
	cli := testenv.Client(t)
	ctx := testenv.Context(t, time0)
	p, err := cli.Ping(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := p.APIVersion
	if docker.CompareVersions(want, docker.MaxAPIVersion) > 0 {
		want = docker.MaxAPIVersion
	}
	if got := cli.APIVersion(); got != want {
		t.Errorf("APIVersion() = %s, want min(daemon %s, client %s) = %s", got, p.APIVersion, docker.MaxAPIVersion, want)
	}
	t.Logf("negotiated API %s", cli.APIVersion())
}

func TestVersionAndInfo(t *testing.T) {
	cli := testenv.Client(t)
	ctx := testenv.Context(t, time0)
	v, err := cli.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cli.Ping(ctx)
	if v.APIVersion != p.APIVersion || v.Version == "" || v.Os == "" || v.Arch == "" {
		t.Errorf("version = %+v, ping API %s", v, p.APIVersion)
	}
	info, err := cli.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.ID == "" && info.Name == "" || info.NCPU <= 0 || info.MemTotal <= 0 || info.OSType != v.Os {
		t.Errorf("info looks empty: ID=%q Name=%q NCPU=%d MemTotal=%d OSType=%q", info.ID, info.Name, info.NCPU, info.MemTotal, info.OSType)
	}
	if info.ServerVersion != v.Version {
		t.Errorf("info.ServerVersion = %q, version says %q", info.ServerVersion, v.Version)
	}
	t.Logf("Engine %s (API %s), driver %s, %d CPUs", v.Version, v.APIVersion, info.Driver, info.NCPU)
}

func TestDiskUsage(t *testing.T) {
	cli := testenv.Client(t)
	testenv.Image(t) // at least one image exists
	ctx := testenv.Context(t, 3*time0)
	var du docker.DiskUsage
	var err error
	// Engines before 23.0 refuse a second df while one runs (another test
	// process may be running one): retry that answer a few times.
	for try := 0; try < 10; try++ {
		du, err = cli.DiskUsage(ctx)
		if err == nil || !strings.Contains(err.Error(), "already running") {
			break
		}
		time.Sleep(2 * time.Second)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(du.Images) == 0 && (du.ImageUsage == nil || du.ImageUsage.TotalCount == 0) {
		t.Errorf("disk usage lists no image although the test image exists: %+v", du)
	}
	_, err = cli.DiskUsage(ctx, docker.DiskUsageTypes("image"))
	if docker.CompareVersions(cli.APIVersion(), "1.42") < 0 {
		if !errors.Is(err, docker.ErrVersion) {
			t.Errorf("DiskUsageTypes on API %s: err = %v, want ErrVersion", cli.APIVersion(), err)
		}
	} else if err != nil {
		t.Errorf("DiskUsageTypes: %v", err)
	}
}

func TestEventsSeesCreate(t *testing.T) {
	cli := testenv.Client(t)
	testenv.Image(t)
	ctx := testenv.Context(t, time0)
	since := time.Now().Add(-time.Second)
	id := rawContainer(t, cli, map[string]any{"Cmd": []string{"echo", "hi"}})
	seen := false
	for ev, err := range cli.Events(ctx, docker.Since(since), docker.Filter("type", "container"), docker.Filter("label", testenv.RunFilter())) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Actor.ID == id && ev.Action == "create" {
			seen = true
			break // must close the stream at once
		}
	}
	if !seen {
		t.Fatalf("no create event for %s", id)
	}
	// A bounded window ends by itself.
	n := 0
	for _, err := range cli.Events(ctx, docker.Since(since), docker.Until(eventsNow(t)), docker.Filter("label", testenv.RunFilter())) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n == 0 {
		t.Error("since/until window returned no event")
	}
}

func TestLoginFailureLeaksNoSecret(t *testing.T) {
	cli := testenv.Client(t)
	ctx := testenv.Context(t, time0)
	const secret = "s3cr3t-Wrong-Password"
	server := testenv.RegistryAddr()
	if server == "" {
		server = "127.0.0.1:1" // nothing listens: the daemon reports the failure
	}
	_, err := cli.Login(ctx, registry.AuthConfig{Username: "berth-nobody", Password: secret, ServerAddress: server})
	if err == nil {
		t.Fatal("login with a wrong password succeeded")
	}
	if strings.Contains(err.Error(), secret) {
		t.Fatalf("error leaks the password: %v", err)
	}
	var de *docker.Error
	if !errors.As(err, &de) {
		t.Fatalf("err = %T %v, want *docker.Error", err, err)
	}
	t.Logf("login error: %v", err)
}

func TestLoginSuccess(t *testing.T) {
	testenv.SkipOnPodman(t, testenv.PodmanLogin)
	server, user, pass := testenv.Registry(t)
	cli := testenv.Client(t)
	res, err := cli.Login(testenv.Context(t, time0), registry.AuthConfig{Username: user, Password: pass, ServerAddress: server})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Status, "Succeeded") {
		t.Errorf("status = %q", res.Status)
	}
}

func TestSessionUpgrade(t *testing.T) {
	testenv.SkipOnPodman(t, testenv.PodmanNoSession)
	cli := testenv.Client(t)
	ctx := testenv.Context(t, time0)
	conn, err := cli.Session(ctx, docker.SessionConfig{ID: testenv.Name("session"), Name: "berth-test", SharedKey: "berth"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// On a session the daemon is the HTTP/2 client: it calls back into the
	// gRPC services the client exposes. So it opens with the client preface
	// followed by a SETTINGS frame.
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	const preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
	buf := make([]byte, len(preface)+9)
	if _, err := io.ReadFull(conn, buf); err != nil {
		t.Fatalf("reading the daemon's HTTP/2 preface: %v", err)
	}
	if got := string(buf[:len(preface)]); got != preface {
		t.Fatalf("preface = %q, want %q", got, preface)
	}
	if typ := buf[len(preface)+3]; typ != 0x4 {
		t.Errorf("first frame type = %d, want SETTINGS (4)", typ)
	}
}

func TestHijackRoundTrip(t *testing.T) {
	cli := testenv.Client(t)
	ctx := testenv.Context(t, time0)
	id := rawContainer(t, cli, map[string]any{
		"Cmd": []string{"cat"}, "OpenStdin": true, "StdinOnce": true,
		"AttachStdin": true, "AttachStdout": true, "AttachStderr": true,
	})
	conn, err := cli.Hijack(ctx, &docker.Request{
		Method: http.MethodPost, Path: "/containers/" + id + "/attach",
		Query: map[string][]string{"stream": {"1"}, "stdin": {"1"}, "stdout": {"1"}, "stderr": {"1"}},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/containers/" + id + "/start"}, nil); err != nil {
		t.Fatal(err)
	}
	const n = 4 << 20
	go func() {
		_, _ = io.Copy(conn, testenv.PatternReader(7, n))
		_ = conn.CloseWrite()
	}()
	var out strings.Builder
	sum := newSHA()
	if _, err := conn.Demux(sum, &out); err != nil {
		t.Fatal(err)
	}
	if got, want := sum.hex(), testenv.PatternSHA256(7, n); got != want {
		t.Errorf("cat returned sha256 %s (%d bytes), want %s (%d bytes); stderr %q", got, sum.n, want, n, out.String())
	}
}
