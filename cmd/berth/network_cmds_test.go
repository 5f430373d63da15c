package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// nvFake is a daemon stand-in for the network and volume commands: it
// answers each "METHOD /path" (without the version prefix) with a canned
// body and records what it received.
type nvFake struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []string // "METHOD /path?query body"
}

func newNVFake(t *testing.T, replies map[string]string) *nvFake {
	t.Helper()
	f := &nvFake{}
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

func (f *nvFake) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

func TestNetworkAndVolumeCommands(t *testing.T) {
	t.Parallel()
	replies := map[string]string{
		"GET /networks":                     `[{"Name":"backend","Id":"0123456789abcdef0123","Driver":"bridge","Scope":"local"}]`,
		"POST /networks/create":             `{"Id":"newnetid","Warning":"be careful"}`,
		"GET /networks/backend":             `{"Name":"backend","Id":"0123456789abcdef0123","Internal":true,"Containers":{}}`,
		"DELETE /networks/backend":          ``,
		"POST /networks/prune":              `{"NetworksDeleted":["old1","old2"]}`,
		"POST /networks/backend/connect":    ``,
		"POST /networks/backend/disconnect": ``,
		"GET /volumes":                      `{"Volumes":[{"Name":"data","Driver":"local"}],"Warnings":["driver x down"]}`,
		"POST /volumes/create":              `{"Name":"data","Driver":"local"}`,
		"GET /volumes/data":                 `{"Name":"data","Driver":"local","Mountpoint":"/var/lib/docker/volumes/data/_data"}`,
		"DELETE /volumes/data":              ``,
		"POST /volumes/prune":               `{"VolumesDeleted":["v1"],"SpaceReclaimed":2048}`,
	}
	for _, tc := range []struct {
		args       []string
		wantOut    []string
		wantErrOut []string
		wantSent   string
		wantErr    string
	}{
		{args: []string{"network", "ls", "--filter", "driver=bridge"}, wantOut: []string{"NETWORK ID", "0123456789ab", "backend", "bridge", "local"},
			wantSent: `GET /networks?filters=%7B%22driver%22%3A%5B%22bridge%22%5D%7D`},
		{args: []string{"network", "ls", "-q"}, wantOut: []string{"0123456789abcdef0123"}, wantSent: "GET /networks"},
		{args: []string{"network", "create", "--internal", "--subnet", "10.213.9.0/24", "--gateway", "10.213.9.1", "--label", "a=b", "--opt", "com.docker.network.driver.mtu=1400", "backend"},
			wantOut: []string{"newnetid"}, wantErrOut: []string{"warning: be careful"},
			wantSent: `POST /networks/create {"Name":"backend","CheckDuplicate":true,"Internal":true,"IPAM":{"Config":[{"Subnet":"10.213.9.0/24","Gateway":"10.213.9.1"}]},"Options":{"com.docker.network.driver.mtu":"1400"},"Labels":{"a":"b"}}`},
		{args: []string{"network", "inspect", "backend"}, wantOut: []string{`"Name": "backend"`, `"Internal": true`}, wantSent: "GET /networks/backend"},
		{args: []string{"network", "rm", "backend"}, wantOut: []string{"backend"}, wantSent: "DELETE /networks/backend"},
		{args: []string{"network", "rm", "backend", "ghost"}, wantOut: []string{"backend"}, wantErr: "no such thing in the fake"},
		{args: []string{"network", "prune", "--filter", "label=x"}, wantOut: []string{"Deleted Networks:", "old1", "old2"},
			wantSent: `POST /networks/prune?filters=%7B%22label%22%3A%5B%22x%22%5D%7D`},
		{args: []string{"network", "connect", "--alias", "web", "--ip", "10.213.9.5", "backend", "ctr1"},
			wantSent: `POST /networks/backend/connect {"Container":"ctr1","EndpointConfig":{"IPAMConfig":{"IPv4Address":"10.213.9.5"},"Aliases":["web"]}}`},
		{args: []string{"network", "connect", "backend", "ctr1"}, wantSent: `POST /networks/backend/connect {"Container":"ctr1"}`},
		{args: []string{"network", "disconnect", "--force", "backend", "ctr1"},
			wantSent: `POST /networks/backend/disconnect {"Container":"ctr1","Force":true}`},
		{args: []string{"network", "connect", "backend"}, wantErr: "wrong number of arguments"},
		{args: []string{"network", "frobnicate"}, wantErr: `unknown command "frobnicate"`},
		{args: []string{"network"}, wantErr: "no command given", wantErrOut: []string{"network connect", "network prune"}},
		{args: []string{"volume", "ls", "--filter", "dangling=true"}, wantOut: []string{"DRIVER", "local", "data"}, wantErrOut: []string{"warning: driver x down"},
			wantSent: `GET /volumes?filters=%7B%22dangling%22%3A%5B%22true%22%5D%7D`},
		{args: []string{"volume", "create", "--label", "a=b", "--opt", "type=tmpfs", "data"}, wantOut: []string{"data"},
			wantSent: `POST /volumes/create {"Name":"data","DriverOpts":{"type":"tmpfs"},"Labels":{"a":"b"}}`},
		{args: []string{"volume", "create"}, wantOut: []string{"data"}, wantSent: `POST /volumes/create {}`},
		{args: []string{"volume", "inspect", "data"}, wantOut: []string{`"Mountpoint": "/var/lib/docker/volumes/data/_data"`}, wantSent: "GET /volumes/data"},
		{args: []string{"volume", "rm", "--force", "data"}, wantOut: []string{"data"}, wantSent: "DELETE /volumes/data?force=1"},
		// API 1.41: --all is not sent (such daemons prune named volumes anyway).
		{args: []string{"volume", "prune", "--all", "--filter", "label=x"}, wantOut: []string{"Deleted Volumes:", "v1", "Total reclaimed space: 2048 B"},
			wantSent: `POST /volumes/prune?filters=%7B%22label%22%3A%5B%22x%22%5D%7D`},
		{args: []string{"volume", "create", "--opt", "=x"}, wantErr: "want KEY=VALUE"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			f := newNVFake(t, replies)
			var out, errOut bytes.Buffer
			err := run(t.Context(), append([]string{"--host", f.srv.URL}, tc.args...), strings.NewReader(""), &out, &errOut)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatalf("err = %v; stderr %s", err, errOut.String())
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tc.wantErrOut {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut.String())
				}
			}
			if tc.wantSent != "" {
				sent := f.requests()
				if len(sent) == 0 || sent[0] != tc.wantSent {
					t.Errorf("sent %q\nwant %q", sent, tc.wantSent)
				}
			}
		})
	}
}
