package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/berth-go/berth/docker/registry"
	"github.com/google/go-cmp/cmp"
)

func TestPingHeaders(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.44")
	c := f.client(t)
	for _, opts := range [][]PingOption{nil, {Head()}} {
		p, err := c.Ping(t.Context(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		want := PingResult{APIVersion: "1.44", OSType: "linux", BuilderVersion: "2", SwarmState: "active", SwarmRole: "manager"}
		if d := cmp.Diff(want, p); d != "" {
			t.Errorf("(-want +got)\n%s", d)
		}
	}
}

func TestInfoDecodesFixture(t *testing.T) {
	t.Parallel()
	body, err := readSpecFixture("v1.56-composed/SystemInfo.json")
	if err != nil {
		t.Skip(err)
	}
	f := newFake(t, "1.56")
	f.mux.HandleFunc("/v1.56/info", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) })
	info, err := f.client(t).Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// Every top-level key of the fixture must land in a field: re-encode
	// and compare the key sets.
	var in, out map[string]json.RawMessage
	_ = json.Unmarshal(body, &in)
	b, _ := json.Marshal(info)
	_ = json.Unmarshal(b, &out)
	for k := range in {
		if _, ok := out[k]; !ok {
			t.Errorf("fixture key %q is not decoded into Info", k)
		}
	}
}

func TestDiskUsageQuery(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.52")
	got := make(chan string, 1)
	f.mux.HandleFunc("/v1.52/system/df", func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.RawQuery
		_, _ = w.Write([]byte(`{"ImageUsage":{"ActiveCount":1,"TotalCount":2,"Reclaimable":3,"TotalSize":4,"Items":[{"Id":"sha256:x"}]}}`))
	})
	du, err := f.client(t).DiskUsage(t.Context(), DiskUsageTypes("image", "volume"), Verbose())
	if err != nil {
		t.Fatal(err)
	}
	if q := <-got; q != "type=image&type=volume&verbose=1" {
		t.Errorf("query = %s", q)
	}
	if du.ImageUsage == nil || du.ImageUsage.TotalSize != 4 || len(du.ImageUsage.Items) != 1 {
		t.Errorf("du = %+v", du)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/auth", func(w http.ResponseWriter, r *http.Request) {
		var a registry.AuthConfig
		_ = json.NewDecoder(r.Body).Decode(&a)
		if a.Password != "right" {
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"message":"Get \"https://r.example/v2/\": unauthorized: incorrect username or password"}`))
			return
		}
		_, _ = w.Write([]byte(`{"Status":"Login Succeeded","IdentityToken":"tok-SECRET"}`))
	})
	c := f.client(t)
	res, err := c.Login(t.Context(), registry.AuthConfig{Username: "u", Password: "right", ServerAddress: "r.example"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "Login Succeeded" || res.IdentityToken != "tok-SECRET" {
		t.Errorf("res = %+v", res)
	}
	var logBuf strings.Builder
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("login", "result", res)
	for _, s := range []string{fmt.Sprint(res), fmt.Sprintf("%+v", res), fmt.Sprintf("%#v", res), res.String(), logBuf.String()} {
		if strings.Contains(s, "tok-SECRET") {
			t.Errorf("identity token leaks: %s", s)
		}
	}
	_, err = c.Login(t.Context(), registry.AuthConfig{Username: "u", Password: "wrong-PW", ServerAddress: "r.example"})
	if !errors.Is(err, ErrUnauthorized) || strings.Contains(err.Error(), "wrong-PW") {
		t.Errorf("err = %v, want ErrUnauthorized without the password", err)
	}
}

func TestSessionHeaders(t *testing.T) {
	t.Parallel()
	f := newFake(t, "1.41")
	f.mux.HandleFunc("/v1.41/session", func(w http.ResponseWriter, r *http.Request) {
		want := http.Header{
			"Upgrade":                             {"h2c"},
			"X-Docker-Expose-Session-Uuid":        {"id-1"},
			"X-Docker-Expose-Session-Name":        {"n"},
			"X-Docker-Expose-Session-Sharedkey":   {"k"},
			"X-Docker-Expose-Session-Grpc-Method": {"/a.B/C", "/a.B/D"},
		}
		for k, v := range want {
			if d := cmp.Diff(v, r.Header.Values(k)); d != "" {
				t.Errorf("%s (-want +got)\n%s", k, d)
			}
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = conn.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\nPRI"))
	})
	conn, err := f.client(t).Session(t.Context(), SessionConfig{ID: "id-1", Name: "n", SharedKey: "k", Methods: []string{"/a.B/C", "/a.B/D"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	b, _ := io.ReadAll(conn)
	if string(b) != "PRI" {
		t.Errorf("read %q after upgrade", b)
	}
	if _, err := f.client(t).Session(t.Context(), SessionConfig{}); err == nil {
		t.Error("empty session id accepted")
	}
}
