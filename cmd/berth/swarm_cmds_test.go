package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/berth-go/berth/stream"
)

// swFake is a daemon stand-in for the swarm commands: it answers each
// "METHOD /path" (without the version prefix) with a canned body, and
// records what it received as "METHOD /path?query body".
type swFake struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []string
}

func newSWFake(t *testing.T, replies map[string]string) *swFake {
	t.Helper()
	f := &swFake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_ping" {
			w.Header().Set("API-Version", "1.41")
			_, _ = io.WriteString(w, "OK")
			return
		}
		path := strings.TrimPrefix(r.URL.EscapedPath(), "/v1.41")
		body, _ := io.ReadAll(r.Body)
		line := r.Method + " " + path
		if r.URL.RawQuery != "" {
			line += "?" + r.URL.RawQuery
		}
		if len(body) > 0 {
			line += " " + strings.TrimSpace(string(body))
		}
		f.mu.Lock()
		f.got = append(f.got, line)
		f.mu.Unlock()
		if strings.HasSuffix(path, "/logs") {
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(stream.NewWriter(w, stream.Stdout), "hello\n")
			_, _ = io.WriteString(stream.NewWriter(w, stream.Stderr), "oops\n")
			return
		}
		reply, ok := replies[r.Method+" "+path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message":"no such thing in the fake"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, reply)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *swFake) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

// sent reports whether a recorded request starts with prefix.
func (f *swFake) sent(prefix string) (string, bool) {
	for _, r := range f.requests() {
		if strings.HasPrefix(r, prefix) {
			return r, true
		}
	}
	return "", false
}

const swServiceJSON = `{"ID":"svc0123456789abcdef","Version":{"Index":5},"Spec":{"Name":"web",
	"TaskTemplate":{"ContainerSpec":{"Image":"app:1"}},"Mode":{"Replicated":{"Replicas":2}}},
	"ServiceStatus":{"RunningTasks":2,"DesiredTasks":2}}`

func swRun(t *testing.T, f *swFake, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	err = run(t.Context(), append([]string{"--host", f.srv.URL}, args...), strings.NewReader(stdin), &o, &e)
	return o.String(), e.String(), err
}

func TestServiceCommands(t *testing.T) {
	t.Parallel()
	running := `[{"ID":"t1","DesiredState":"running","Status":{"State":"running"}},{"ID":"t2","DesiredState":"running","Status":{"State":"running"}}]`
	f := newSWFake(t, map[string]string{
		"GET /services":                             `[` + swServiceJSON + `]`,
		"GET /services/web":                         swServiceJSON,
		"GET /services/svc1":                        swServiceJSON,
		"POST /services/create":                     `{"ID":"svc1","Warnings":["image not pinned"]}`,
		"POST /services/svc0123456789abcdef/update": `{}`,
		"DELETE /services/web":                      ``,
		"GET /tasks":                                running,
		"GET /secrets/db":                           `{"ID":"sec1","Spec":{"Name":"db"}}`,
		"GET /configs/conf":                         `{"ID":"cfg1","Spec":{"Name":"conf"}}`,
	})

	out, _, err := swRun(t, f, "", "service", "ls", "--filter", "label=a=b")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"svc012345678", "web", "replicated", "2/2", "app:1"} {
		if !strings.Contains(out, want) {
			t.Errorf("service ls output lacks %q:\n%s", want, out)
		}
	}
	if r, _ := f.sent("GET /services?"); !strings.Contains(r, "status=1") || !strings.Contains(r, "filters=") {
		t.Errorf("service ls sent %q", r)
	}

	out, errOut, err := swRun(t, f, "", "service", "create", "--name", "web", "--replicas", "2", "--env", "A=1",
		"--secret", "db", "--config", "conf", "--constraint", "node.role==manager", "app:1", "serve", "--port", "80")
	if err != nil {
		t.Fatalf("service create: %v\n%s", err, errOut)
	}
	if out != "svc1\n" || !strings.Contains(errOut, "warning: image not pinned") || !strings.Contains(errOut, "converged") {
		t.Errorf("service create printed %q / %q", out, errOut)
	}
	r, _ := f.sent("POST /services/create")
	var spec struct {
		Name         string
		TaskTemplate struct {
			ContainerSpec struct {
				Image   string
				Args    []string
				Env     []string
				Secrets []struct{ SecretID, SecretName string }
				Configs []struct{ ConfigID, ConfigName string }
			}
			Placement struct{ Constraints []string }
		}
		Mode struct{ Replicated struct{ Replicas int } }
	}
	if err := json.Unmarshal([]byte(strings.TrimPrefix(r, "POST /services/create ")), &spec); err != nil {
		t.Fatalf("create body %q: %v", r, err)
	}
	cs := spec.TaskTemplate.ContainerSpec
	if spec.Name != "web" || cs.Image != "app:1" || strings.Join(cs.Args, " ") != "serve --port 80" ||
		strings.Join(cs.Env, ",") != "A=1" || len(cs.Secrets) != 1 || cs.Secrets[0].SecretID != "sec1" ||
		len(cs.Configs) != 1 || cs.Configs[0].ConfigID != "cfg1" || spec.Mode.Replicated.Replicas != 2 ||
		strings.Join(spec.TaskTemplate.Placement.Constraints, ",") != "node.role==manager" {
		t.Errorf("create body: %+v", spec)
	}

	out, _, err = swRun(t, f, "", "service", "scale", "--detach", "web=3")
	if err != nil || out != "web scaled to 3\n" {
		t.Fatalf("service scale: %q, %v", out, err)
	}
	if r, _ := f.sent("POST /services/svc0123456789abcdef/update?version=5"); !strings.Contains(r, `"Replicas":3`) {
		t.Errorf("scale sent %q", r)
	}

	out, errOut, err = swRun(t, f, "", "service", "logs", "--tail", "5", "-t", "web")
	if err != nil || out != "hello\n" || errOut != "oops\n" {
		t.Errorf("service logs: %q %q %v", out, errOut, err)
	}
	if r, _ := f.sent("GET /services/web/logs"); !strings.Contains(r, "tail=5") || !strings.Contains(r, "timestamps=1") {
		t.Errorf("logs sent %q", r)
	}

	out, _, err = swRun(t, f, "", "service", "inspect", "web")
	var inspected []map[string]any
	if err != nil || json.Unmarshal([]byte(out), &inspected) != nil || len(inspected) != 1 || inspected[0]["ID"] != "svc0123456789abcdef" {
		t.Errorf("service inspect: %q, %v", out, err)
	}

	out, _, err = swRun(t, f, "", "service", "rm", "web", "nope")
	if err == nil || out != "web\n" || !strings.Contains(err.Error(), "404") {
		t.Errorf("service rm: %q, %v", out, err)
	}

	if _, _, err := swRun(t, f, "", "service", "create", "--mode", "bogus", "app:1"); err == nil {
		t.Error("unknown mode accepted")
	}
	if _, _, err := swRun(t, f, "", "service", "scale", "web"); err == nil {
		t.Error("scale without =N accepted")
	}
	if _, _, err := swRun(t, f, "", "service"); err == nil {
		t.Error("service without a subcommand accepted")
	}
}

func TestNodeSecretConfigCommands(t *testing.T) {
	t.Parallel()
	f := newSWFake(t, map[string]string{
		"GET /nodes": `[{"ID":"n1","Spec":{"Role":"manager","Availability":"active"},"Description":{"Hostname":"box",
			"Engine":{"EngineVersion":"20.10.24"}},"Status":{"State":"ready"},"ManagerStatus":{"Leader":true,"Reachability":"reachable"}}]`,
		"GET /secrets":         `[{"ID":"s1","Spec":{"Name":"db"},"CreatedAt":"2024-01-02T03:04:05Z","UpdatedAt":"2024-01-02T03:04:05Z"}]`,
		"POST /secrets/create": `{"ID":"s2"}`,
		"DELETE /secrets/s1":   ``,
		"GET /configs":         `[{"ID":"c1","Spec":{"Name":"conf"}}]`,
		"POST /configs/create": `{"ID":"c2"}`,
		"DELETE /configs/c1":   ``,
	})
	out, _, err := swRun(t, f, "", "node", "ls")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"n1", "box", "ready", "active", "Leader", "20.10.24"} {
		if !strings.Contains(out, want) {
			t.Errorf("node ls lacks %q:\n%s", want, out)
		}
	}
	if out, _, err := swRun(t, f, "", "node", "ls", "-q", "--filter", "role=manager"); err != nil || out != "n1\n" {
		t.Errorf("node ls -q: %q, %v", out, err)
	}

	out, _, err = swRun(t, f, "", "secret", "ls")
	if err != nil || !strings.Contains(out, "s1") || !strings.Contains(out, "2024-01-02T03:04:05Z") {
		t.Errorf("secret ls: %q, %v", out, err)
	}
	out, _, err = swRun(t, f, "top secret\n", "secret", "create", "--label", "a=b", "db2", "-")
	if err != nil || out != "s2\n" {
		t.Fatalf("secret create: %q, %v", out, err)
	}
	if r, _ := f.sent("POST /secrets/create"); !strings.Contains(r, `"Data":"dG9wIHNlY3JldAo="`) || !strings.Contains(r, `"Labels":{"a":"b"}`) {
		t.Errorf("secret create sent %q", r)
	}
	if out, _, err := swRun(t, f, "", "secret", "rm", "s1"); err != nil || out != "s1\n" {
		t.Errorf("secret rm: %q, %v", out, err)
	}

	if out, _, err := swRun(t, f, "", "config", "ls", "-q"); err != nil || out != "c1\n" {
		t.Errorf("config ls -q: %q, %v", out, err)
	}
	if out, _, err := swRun(t, f, "cfg", "config", "create", "conf2", "-"); err != nil || out != "c2\n" {
		t.Errorf("config create: %q, %v", out, err)
	}
	if out, _, err := swRun(t, f, "", "config", "rm", "c1"); err != nil || out != "c1\n" {
		t.Errorf("config rm: %q, %v", out, err)
	}
	if _, _, err := swRun(t, f, "", "config", "create", "only-a-name"); err == nil {
		t.Error("config create without data accepted")
	}
}
