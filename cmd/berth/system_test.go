package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fakeDaemon serves a few system endpoints for the commands' tests.
func fakeDaemon(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/_ping", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", "1.41")
		w.Header().Set("OSType", "linux")
		_, _ = w.Write([]byte("OK"))
	})
	mux.HandleFunc("/v1.41/version", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64","Components":[{"Name":"Engine","Version":"20.10.24"}]}`))
	})
	mux.HandleFunc("/v1.41/info", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"Name":"box","ServerVersion":"20.10.24","Containers":3,"ContainersRunning":1,"Driver":"vfs","NCPU":2,"MemTotal":1073741824,"Swarm":{"LocalNodeState":"inactive"}}`))
	})
	mux.HandleFunc("/v1.41/events", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("until") == "" {
			http.Error(w, "test wants until", 400)
			return
		}
		_, _ = w.Write([]byte(`{"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"web"}},"time":1700000000}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestSystemCommands(t *testing.T) {
	t.Parallel()
	srv := fakeDaemon(t)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"version"}, []string{"20.10.24", "negotiated 1.41", "Engine:"}},
		{[]string{"info"}, []string{"Name:", "box", "3 (running 1", "Storage Driver:", "vfs", "1.00 GiB"}},
		{[]string{"info", "--json"}, []string{`"ServerVersion": "20.10.24"`}},
		{[]string{"ping"}, []string{"OK in", "API 1.41, linux"}},
		{[]string{"events", "--until", "0s", "--filter", "type=container"}, []string{"container start abc (name=web)"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			err := run(t.Context(), append([]string{"--host", srv.URL}, tc.args...), strings.NewReader(""), &out, &errOut)
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
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{}, {"nosuchcommand"}, {"--host", "gopher://x", "ping"}, {"events", "--filter", "novalue"}} {
		var out, errOut bytes.Buffer
		if err := run(t.Context(), args, strings.NewReader(""), &out, &errOut); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// TestInfoWarningsAndPingLine checks two output lines: a daemon warning
// that already says WARNING is printed once with the prefix, and ping's
// line has no trailing space when the daemon sends a swarm state without
// a role.
func TestInfoWarningsAndPingLine(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/_ping", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("API-Version", "1.41")
		w.Header().Set("OSType", "linux")
		w.Header().Set("Swarm", "inactive")
		_, _ = w.Write([]byte("OK"))
	})
	mux.HandleFunc("/v1.41/info", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"Name":"box","Warnings":["WARNING: No swap limit support","bridge-nf-call-iptables is disabled"]}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	runOut := func(args ...string) string {
		var out, errOut bytes.Buffer
		if err := run(t.Context(), append([]string{"--host", srv.URL}, args...), strings.NewReader(""), &out, &errOut); err != nil {
			t.Fatalf("%s: %v; stderr %s", args, err, errOut.String())
		}
		return out.String()
	}
	var warnings []string
	for _, line := range strings.Split(runOut("info"), "\n") {
		if strings.HasPrefix(line, "WARNING:") {
			warnings = append(warnings, strings.Join(strings.Fields(line), " "))
		}
	}
	want := []string{"WARNING: No swap limit support", "WARNING: bridge-nf-call-iptables is disabled"}
	if strings.Join(warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("info warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(want, "\n"))
	}
	if out := runOut("ping"); !strings.HasSuffix(out, ", linux, swarm inactive\n") {
		t.Errorf("ping printed %q, want it to end in %q", out, ", linux, swarm inactive\n")
	}
}
