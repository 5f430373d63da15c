package docker

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelperSSHProcess is not a test: it is the fake `ssh` that
// TestSSHHost puts on PATH. It checks its arguments and proxies its stdin
// and stdout to the fake daemon's unix socket, as `docker system dial-stdio`
// does on the far side of a real ssh.
func TestHelperSSHProcess(t *testing.T) {
	sock := os.Getenv("BERTH_FAKE_SSH_SOCKET")
	if sock == "" {
		return
	}
	args := os.Args[len(os.Args)-9:]
	want := "-l me -p 2222 -- box docker system dial-stdio"
	if strings.Join(args, " ") != want {
		os.Stderr.WriteString("fake ssh: unexpected args: " + strings.Join(os.Args, " "))
		os.Exit(2)
	}
	c, err := net.Dial("unix", sock)
	if err != nil {
		os.Exit(3)
	}
	go func() {
		_, _ = io.Copy(c, os.Stdin)
		_ = c.(*net.UnixConn).CloseWrite()
	}()
	_, _ = io.Copy(os.Stdout, c)
	os.Exit(0)
}

// TestSSHHost runs a request through ssh://me@box:2222 with a fake ssh on
// PATH. It sets environment variables, so it does not run in parallel.
func TestSSHHost(t *testing.T) {
	f := newFake(t, "1.41")
	bin := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\nexec " + self + " -test.run=^TestHelperSSHProcess$ -- \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "ssh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("BERTH_FAKE_SSH_SOCKET", strings.TrimPrefix(f.host, "unix://"))
	c, err := New(WithHost("ssh://me@box:2222"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p, err := c.Ping(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if p.APIVersion != "1.41" {
		t.Errorf("ping over ssh: %+v", p)
	}
}

func TestSSHMissingBinary(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	c, err := New(WithHost("ssh://box"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Ping(t.Context())
	if err == nil || !strings.Contains(err.Error(), "ssh") {
		t.Fatalf("err = %v, want one about the missing ssh command", err)
	}
}
