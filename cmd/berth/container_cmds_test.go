package main

import (
	"archive/tar"
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/berth-go/berth/stream"
)

// ctrFake is a daemon stand-in for the container commands. Container "c1"
// runs: its attach and exec sessions echo stdin to stdout, then write "err"
// to stderr; it exits with status 3.
type ctrFake struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []string // "METHOD /path?query"
}

func newCtrFake(t *testing.T) *ctrFake {
	t.Helper()
	f := &ctrFake{}
	tarball := ctrTestTar(t)
	stat := base64.StdEncoding.EncodeToString([]byte(`{"name":"etc","size":0,"mode":2147484141,"mtime":"2020-01-01T00:00:00Z","linkTarget":""}`))
	mux := http.NewServeMux()
	reply := func(pattern string, status int, body string) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	}
	session := func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = brw.WriteString("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
		_ = brw.Flush()
		_, _ = io.Copy(stream.NewWriter(conn, stream.Stdout), brw)
		_, _ = stream.NewWriter(conn, stream.Stderr).Write([]byte("err"))
	}
	reply("GET /v1.41/containers/json", 200, `[{"Id":"c1c1c1c1c1c1c1c1","Names":["/web"],"Image":"img","Command":"serve --port 80 --verbose --more","Created":1,"Status":"Up 2 hours","SizeRw":2048,"SizeRootFs":4096}]`)
	reply("POST /v1.41/containers/create", 201, `{"Id":"c1","Warnings":["careful"]}`)
	reply("GET /v1.41/containers/c1/json", 200, `{"Id":"c1","Config":{"Tty":false}}`)
	mux.HandleFunc("POST /v1.41/containers/c1/attach", session)
	reply("POST /v1.41/containers/c1/wait", 200, `{"StatusCode":3}`)
	reply("POST /v1.41/containers/c1/start", 204, ``)
	reply("POST /v1.41/containers/c1/stop", 204, ``)
	reply("DELETE /v1.41/containers/c1", 204, ``)
	reply("DELETE /v1.41/containers/gone", 404, `{"message":"No such container: gone"}`)
	mux.HandleFunc("GET /v1.41/containers/c1/logs", func(w http.ResponseWriter, r *http.Request) {
		_, _ = stream.NewWriter(w, stream.Stdout).Write([]byte("log out\n"))
		_, _ = stream.NewWriter(w, stream.Stderr).Write([]byte("log err\n"))
	})
	reply("POST /v1.41/containers/c1/exec", 201, `{"Id":"e1"}`)
	reply("GET /v1.41/exec/e1/json", 200, `{"ID":"e1","ExitCode":5,"ProcessConfig":{"tty":false}}`)
	mux.HandleFunc("POST /v1.41/exec/e1/start", func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(readBody(r), `"Detach":true`) {
			w.WriteHeader(200)
			return
		}
		session(w, r)
	})
	reply("GET /v1.41/containers/c1/stats", 200, `{"id":"c1c1c1c1c1c1c1c1","name":"/web","memory_stats":{"usage":2097152,"limit":4194304},"pids_stats":{"current":3}}`+"\n")
	mux.HandleFunc("GET /v1.41/containers/c1/archive", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Docker-Container-Path-Stat", stat)
		_, _ = w.Write(tarball)
	})
	mux.HandleFunc("PUT /v1.41/containers/c1/archive", func(w http.ResponseWriter, r *http.Request) {
		n := 0
		tr := tar.NewReader(r.Body)
		for {
			if _, err := tr.Next(); err != nil {
				break
			}
			n++
		}
		f.note("tar entries: " + string(rune('0'+n)))
	})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_ping" {
			w.Header().Set("API-Version", "1.41")
			return
		}
		line := r.Method + " " + strings.TrimPrefix(r.URL.EscapedPath(), "/v1.41")
		if r.URL.RawQuery != "" {
			line += "?" + r.URL.RawQuery
		}
		f.note(line)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *ctrFake) note(s string) {
	f.mu.Lock()
	f.got = append(f.got, s)
	f.mu.Unlock()
}

func (f *ctrFake) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

func readBody(r *http.Request) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

func ctrTestTar(t *testing.T) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	_ = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: "etc/", Mode: 0o755})
	_ = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "etc/hosts", Mode: 0o644, Size: 9})
	_, _ = tw.Write([]byte("127.0.0.1"))
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestContainerCommands(t *testing.T) {
	local := t.TempDir()
	if err := os.WriteFile(filepath.Join(local, "file"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args     []string
		stdin    string
		wantOut  []string
		wantErr  string
		wantSent []string
		wantFile string // a local file the command must have written
	}{
		{args: []string{"ps", "-a", "-s", "-n", "2", "--filter", "label=a=b"},
			wantOut:  []string{"CONTAINER ID", "c1c1c1c1c1c1", "img", `"serve --port 80 --ver…"`, "Up 2 hours", "web", "2.00KiB (virtual 4.00KiB)"},
			wantSent: []string{`GET /containers/json?all=1&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D&limit=2&size=1`}},
		{args: []string{"ps", "-q"}, wantOut: []string{"c1c1c1c1c1c1\n"}},
		{args: []string{"run", "-i", "--rm", "--name", "job", "-e", "A=1", "--network", "none", "img", "cat"}, stdin: "hello",
			wantOut:  []string{"hello"},
			wantErr:  "exit status 3",
			wantSent: []string{"POST /containers/create?name=job", "POST /containers/c1/attach?stderr=1&stdin=1&stdout=1&stream=1", "POST /containers/c1/wait?condition=next-exit", "POST /containers/c1/start", "DELETE /containers/c1?force=1&v=1"}},
		{args: []string{"run", "-d", "img"}, wantOut: []string{"c1\n"}, wantSent: []string{"POST /containers/create", "POST /containers/c1/start"}},
		{args: []string{"run", "--label", "novalue", "img"}, wantErr: "want KEY=VALUE"},
		{args: []string{"run"}, wantErr: "needs an image"},
		{args: []string{"logs", "--tail", "5", "-t", "c1"}, wantOut: []string{"log out\n"},
			wantSent: []string{"GET /containers/c1/json", "GET /containers/c1/logs?stderr=1&stdout=1&tail=5&timestamps=1"}},
		{args: []string{"exec", "-i", "-e", "X=1", "c1", "cat"}, stdin: "in", wantOut: []string{"in"}, wantErr: "exit status 5",
			wantSent: []string{"POST /containers/c1/exec", "POST /exec/e1/start", "GET /exec/e1/json"}},
		{args: []string{"exec", "-d", "c1", "sleep"}, wantSent: []string{"POST /exec/e1/start"}},
		{args: []string{"exec", "c1"}, wantErr: "needs a container and a command"},
		{args: []string{"stats", "--no-stream", "c1"}, wantOut: []string{"CPU %", "c1c1c1c1c1c1", "web", "2.00MiB / 4.00MiB", "50.00%"},
			wantSent: []string{"GET /containers/c1/stats?stream=0"}},
		{args: []string{"stats", "-n", "1", "c1"}, wantOut: []string{"web"}, wantSent: []string{"GET /containers/c1/stats?stream=1"}},
		{args: []string{"stats", "c1", "c2"}, wantErr: "--no-stream"},
		{args: []string{"cp", "c1:/etc", local}, wantSent: []string{"GET /containers/c1/archive?path=%2Fetc"}, wantFile: filepath.Join(local, "etc", "hosts")},
		{args: []string{"cp", "c1:/etc", "-"}, wantOut: []string{"127.0.0.1"}},
		{args: []string{"cp", "-a", filepath.Join(local, "file"), "c1:/tmp"}, wantSent: []string{"PUT /containers/c1/archive?copyUIDGID=1&path=%2Ftmp", "tar entries: 1"}},
		{args: []string{"cp", local, local}, wantErr: "CONTAINER:PATH"},
		{args: []string{"rm", "-f", "-v", "c1"}, wantOut: []string{"c1\n"}, wantSent: []string{"DELETE /containers/c1?force=1&v=1"}},
		{args: []string{"rm", "gone"}, wantErr: "No such container: gone"},
		{args: []string{"stop", "-t", "3", "c1"}, wantOut: []string{"c1\n"}, wantSent: []string{"POST /containers/c1/stop?t=3"}},
		{args: []string{"wait", "--condition", "next-exit", "c1"}, wantOut: []string{"3\n"}, wantSent: []string{"POST /containers/c1/wait?condition=next-exit"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			f := newCtrFake(t)
			var stdout, stderr bytes.Buffer
			err := run(t.Context(), append([]string{"--host", f.srv.URL}, tc.args...), strings.NewReader(tc.stdin), &stdout, &stderr)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("err = %v; stderr %s", err, stderr.String())
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			if tc.wantFile != "" {
				if b, err := os.ReadFile(tc.wantFile); err != nil || string(b) != "127.0.0.1" {
					t.Errorf("%s: %q, %v", tc.wantFile, b, err)
				}
			}
			got := f.requests()
			for _, w := range tc.wantSent {
				found := false
				for _, g := range got {
					if g == w {
						found = true
					}
				}
				if !found {
					t.Errorf("request %q not sent; sent:\n%s", w, strings.Join(got, "\n"))
				}
			}
		})
	}
}
