package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestChooseHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		host, context string
		command       string
		env           map[string]string
		want          string
	}{
		{name: "nothing set: FromEnv decides", command: "info", want: ""},
		{name: "nothing set: the demo tours the in-memory Engine", command: "demo", want: memoryHost},
		{name: "--host", host: "unix:///x.sock", command: "info", want: "unix:///x.sock"},
		{name: "--host memory://", host: memoryHost, command: "ps", want: memoryHost},
		{name: "--host beats BERTH_HOST", host: "tcp://127.0.0.1:1", command: "info",
			env: map[string]string{"BERTH_HOST": memoryHost}, want: "tcp://127.0.0.1:1"},
		{name: "BERTH_HOST", command: "info", env: map[string]string{"BERTH_HOST": memoryHost}, want: memoryHost},
		{name: "BERTH_HOST beats DOCKER_HOST", command: "info",
			env: map[string]string{"BERTH_HOST": "unix:///b.sock", "DOCKER_HOST": "unix:///d.sock"}, want: "unix:///b.sock"},
		{name: "--context beats BERTH_HOST", context: "remote", command: "info",
			env: map[string]string{"BERTH_HOST": memoryHost}, want: ""},
		{name: "DOCKER_HOST names a daemon for the demo", command: "demo",
			env: map[string]string{"DOCKER_HOST": "unix:///var/run/docker.sock"}, want: ""},
		{name: "DOCKER_CONTEXT names a daemon for the demo", command: "demo",
			env: map[string]string{"DOCKER_CONTEXT": "remote"}, want: ""},
		{name: "--context names a daemon for the demo", context: "remote", command: "demo", want: ""},
		{name: "--host names a daemon for the demo", host: "unix:///x.sock", command: "demo", want: "unix:///x.sock"},
		{name: "BERTH_HOST names a daemon for the demo", command: "demo",
			env: map[string]string{"BERTH_HOST": "unix:///b.sock"}, want: "unix:///b.sock"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			getenv := func(k string) string { return tc.env[k] }
			if got := chooseHost(tc.host, tc.context, tc.command, getenv); got != tc.want {
				t.Errorf("chooseHost(%q, %q, %q, %v) = %q, want %q", tc.host, tc.context, tc.command, tc.env, got, tc.want)
			}
		})
	}
}

func TestIsMemoryHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		host    string
		want    bool
		wantErr bool
	}{
		{host: "memory://", want: true},
		{host: ""},
		{host: "unix:///var/run/docker.sock"},
		{host: "tcp://memory:2375"},
		{host: "memory://engine", wantErr: true},
		{host: "memory:", wantErr: true},
		{host: "MEMORY://", wantErr: true},
	} {
		got, err := isMemoryHost(tc.host)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("isMemoryHost(%q) = %v, %v; want %v, error %v", tc.host, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestMemoryHost runs commands against the in-memory Engine: it answers as
// an empty daemon, and info says what it is.
func TestMemoryHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"info"}, []string{"This is the in-memory Engine (docker/dockertest)", "Server Version:", "0.0.0-dockertest", "Containers:        0"}},
		{[]string{"ps", "-a"}, []string{"CONTAINER ID"}},
		{[]string{"run", "--rm", "--network", "none", "nosuchimage", "echo", "hi"}, nil}, // fails: the Engine starts empty
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			err := run(t.Context(), append([]string{"--host", memoryHost}, tc.args...), strings.NewReader(""), &out, &errOut)
			if tc.want == nil {
				if err == nil || !strings.Contains(err.Error(), "nosuchimage") {
					t.Fatalf("err = %v, want one naming the missing image", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v; stderr %s", err, errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"--host", "memory://x", "info"}, strings.NewReader(""), &out, &errOut); err == nil {
		t.Error("--host memory://x succeeded")
	}
}
