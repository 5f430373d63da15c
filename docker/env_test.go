package docker

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/berth-go/berth/internal/cliconfig"
	"github.com/google/go-cmp/cmp"
)

// env is a fake environment for settings.fromEnv.
type env map[string]string

func (e env) get(k string) string { return e[k] }

// writeContext stores a CLI context the way `docker context create` does.
func writeContext(t *testing.T, dir, name, host string, skipVerify bool, tlsFiles map[string][]byte) {
	t.Helper()
	id := cliconfig.ContextID(name)
	meta := filepath.Join(dir, "contexts", "meta", id)
	if err := os.MkdirAll(meta, 0o755); err != nil {
		t.Fatal(err)
	}
	body := `{"Name":"` + name + `","Metadata":{},"Endpoints":{"docker":{"Host":"` + host + `","SkipTLSVerify":` + map[bool]string{true: "true", false: "false"}[skipVerify] + `}}}`
	if err := os.WriteFile(filepath.Join(meta, "meta.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if len(tlsFiles) > 0 {
		tdir := filepath.Join(dir, "contexts", "tls", id, "docker")
		if err := os.MkdirAll(tdir, 0o700); err != nil {
			t.Fatal(err)
		}
		for n, b := range tlsFiles {
			if err := os.WriteFile(filepath.Join(tdir, n), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func writeConfig(t *testing.T, dir, body string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFromEnvPrecedence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeConfig(t, dir, `{"currentContext":"fromconfig","HttpHeaders":{"X-Meta":"cfg"}}`)
	writeContext(t, dir, "fromconfig", "tcp://config.example:2375", false, nil)
	writeContext(t, dir, "fromenv", "tcp://env.example:2375", false, nil)
	for _, tc := range []struct {
		name       string
		env        env
		wantHost   string
		wantSource string
		wantVer    string
	}{
		{"DOCKER_HOST wins", env{"DOCKER_HOST": "tcp://h.example:1", "DOCKER_CONTEXT": "fromenv"}, "tcp://h.example:1", "DOCKER_HOST", ""},
		{"DOCKER_CONTEXT over currentContext", env{"DOCKER_CONTEXT": "fromenv"}, "tcp://env.example:2375", `context "fromenv"`, ""},
		{"currentContext", env{}, "tcp://config.example:2375", `context "fromconfig"`, ""},
		{"default context", env{"DOCKER_CONTEXT": "default"}, DefaultHost, `context "default"`, ""},
		{"API version", env{"DOCKER_HOST": "unix:///x.sock", "DOCKER_API_VERSION": "1.41"}, "unix:///x.sock", "DOCKER_HOST", "1.41"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := env{"DOCKER_CONFIG": dir}
			for k, v := range tc.env {
				e[k] = v
			}
			s := &settings{host: DefaultHost, hostSource: "the default host"}
			if err := s.fromEnv(e.get); err != nil {
				t.Fatal(err)
			}
			got := []string{s.host, s.hostSource, s.apiVersion, s.headers.Get("X-Meta")}
			if d := cmp.Diff([]string{tc.wantHost, tc.wantSource, tc.wantVer, "cfg"}, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

func TestFromEnvBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	corrupt := t.TempDir()
	writeConfig(t, corrupt, `{"currentContext": `)
	badMeta := t.TempDir()
	writeContext(t, badMeta, "broken", "tcp://x:1", false, nil)
	if err := os.WriteFile(filepath.Join(badMeta, "contexts", "meta", cliconfig.ContextID("broken"), "meta.json"), []byte("{nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		env      env
		wantText []string
	}{
		{"port out of range in DOCKER_HOST", env{"DOCKER_CONFIG": dir, "DOCKER_HOST": "tcp://localhost:99999"}, []string{"tcp://localhost:99999", "out of range", "DOCKER_HOST"}},
		{"unknown scheme", env{"DOCKER_CONFIG": dir, "DOCKER_HOST": "gopher://x"}, []string{"gopher", "unknown scheme"}},
		{"missing context", env{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "nope"}, []string{`"nope"`, "DOCKER_CONTEXT", filepath.Join("contexts", "meta")}},
		{"corrupt config.json", env{"DOCKER_CONFIG": corrupt}, []string{filepath.Join(corrupt, "config.json")}},
		{"corrupt meta.json", env{"DOCKER_CONFIG": badMeta, "DOCKER_CONTEXT": "broken"}, []string{"meta.json"}},
		{"bad API version", env{"DOCKER_CONFIG": dir, "DOCKER_API_VERSION": "latest"}, []string{"latest"}},
		{"missing cert path", env{"DOCKER_CONFIG": dir, "DOCKER_CERT_PATH": filepath.Join(dir, "nocerts"), "DOCKER_TLS_VERIFY": "1"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &settings{host: DefaultHost}
			err := s.fromEnv(tc.env.get)
			if tc.wantText == nil { // an empty cert dir means: system roots, no client cert
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.wantText {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	s := &settings{}
	err := s.fromEnv(env{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "nope"}.get)
	if !errors.Is(err, cliconfig.ErrContextNotFound) {
		t.Errorf("missing context: errors.Is(ErrContextNotFound) false: %v", err)
	}
}

func TestContextTLS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ca, cert, key := testPKI(t)
	writeContext(t, dir, "secure", "tcp://secure.example:2376", false, map[string][]byte{"ca.pem": ca, "cert.pem": cert, "key.pem": key})
	writeContext(t, dir, "mismatch", "tcp://m.example:2376", false, map[string][]byte{"cert.pem": cert, "key.pem": []byte("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")})
	s := &settings{}
	if err := s.fromEnv(env{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "secure"}.get); err != nil {
		t.Fatal(err)
	}
	if s.tlsConfig == nil || s.tlsConfig.RootCAs == nil || len(s.tlsConfig.Certificates) != 1 || s.tlsConfig.InsecureSkipVerify {
		t.Fatalf("tls config = %+v", s.tlsConfig)
	}
	c, err := s.build()
	if err != nil {
		t.Fatal(err)
	}
	if c.base.Scheme != "https" || c.base.Host != "secure.example:2376" {
		t.Errorf("base URL = %s", c.base.String())
	}
	s = &settings{}
	err = s.fromEnv(env{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "mismatch"}.get)
	if err == nil || !strings.Contains(err.Error(), "key.pem") {
		t.Errorf("mismatched key: err = %v, want one naming key.pem", err)
	}
}

func TestTLSFilesErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name            string
		ca, cert, key   string
		wantErrContains string
	}{
		{"unreadable CA", filepath.Join(dir, "missing.pem"), "", "", "missing.pem"},
		{"CA not PEM", junk, "", "", "junk.pem"},
		{"cert without key", "", junk, "", "go together"},
		{"bad pair", "", junk, junk, "junk.pem"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(WithTLSFiles(tc.ca, tc.cert, tc.key))
			if err == nil || !strings.Contains(err.Error(), tc.wantErrContains) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErrContains)
			}
		})
	}
}

// testPKI makes a CA and a client certificate signed by it, as PEM.
func testPKI(t *testing.T) (caPEM, certPEM, keyPEM []byte) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "berth test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caTmpl, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

func TestFromEnvTLS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ca, cert, key := testPKI(t)
	for n, b := range map[string][]byte{"ca.pem": ca, "cert.pem": cert, "key.pem": key} {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name       string
		env        env
		wantTLS    bool
		wantVerify bool
		wantScheme string
	}{
		{"TLS_VERIFY and CERT_PATH", env{"DOCKER_HOST": "tcp://d.example", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": dir}, true, true, "https"},
		{"TLS_VERIFY defaults CERT_PATH to the config dir", env{"DOCKER_HOST": "tcp://d.example", "DOCKER_TLS_VERIFY": "1", "DOCKER_CONFIG": dir}, true, true, "https"},
		{"DOCKER_TLS without verify", env{"DOCKER_HOST": "tcp://d.example", "DOCKER_TLS": "1", "DOCKER_CERT_PATH": dir}, true, false, "https"},
		{"CERT_PATH alone still verifies", env{"DOCKER_HOST": "tcp://d.example", "DOCKER_CERT_PATH": dir}, true, true, "https"},
		{"no TLS", env{"DOCKER_HOST": "tcp://d.example", "DOCKER_CONFIG": t.TempDir()}, false, false, "http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := env{"DOCKER_CONFIG": t.TempDir()}
			for k, v := range tc.env {
				e[k] = v
			}
			s := &settings{host: DefaultHost}
			if err := s.fromEnv(e.get); err != nil {
				t.Fatal(err)
			}
			if (s.tlsConfig != nil) != tc.wantTLS {
				t.Fatalf("TLS configured = %v, want %v", s.tlsConfig != nil, tc.wantTLS)
			}
			if tc.wantTLS {
				if s.tlsConfig.InsecureSkipVerify == tc.wantVerify {
					t.Errorf("InsecureSkipVerify = %v", s.tlsConfig.InsecureSkipVerify)
				}
				if len(s.tlsConfig.Certificates) != 1 || s.tlsConfig.RootCAs == nil {
					t.Errorf("certificates not loaded: %+v", s.tlsConfig)
				}
			}
			c, err := s.build()
			if err != nil {
				t.Fatal(err)
			}
			if c.base.Scheme != tc.wantScheme {
				t.Errorf("scheme = %s, want %s", c.base.Scheme, tc.wantScheme)
			}
		})
	}
}

// TestFromEnvDockerHostLikeTheCLI checks that New reads DOCKER_HOST as the
// docker CLI does, and refuses a port out of range at once instead of when
// dialling.
func TestFromEnvDockerHostLikeTheCLI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		host, wantHost, wantErr string
	}{
		{host: "localhost:2375", wantHost: "tcp://localhost:2375"},
		{host: "127.0.0.1", wantHost: "tcp://127.0.0.1:2375"},
		{host: "/run/user/1000/docker.sock", wantHost: "unix:///run/user/1000/docker.sock"},
		{host: "tcp://localhost:99999", wantErr: `docker: invalid host "tcp://localhost:99999": port 99999 is out of range (1 to 65535) (from DOCKER_HOST)`},
		{host: "localhost:0", wantErr: `docker: invalid host "localhost:0": port 0 is out of range (1 to 65535) (from DOCKER_HOST)`},
	} {
		t.Run(tc.host, func(t *testing.T) {
			t.Parallel()
			var s settings
			err := s.fromEnv(env{"DOCKER_HOST": tc.host, "DOCKER_CONFIG": t.TempDir()}.get)
			if err == nil {
				var c *Client
				if c, err = s.build(); err == nil {
					if got := c.Host(); got != tc.wantHost {
						t.Errorf("Host() = %s, want %s", got, tc.wantHost)
					}
					return
				}
			}
			if got := err.Error(); got != tc.wantErr {
				t.Errorf("error %q, want %q", got, tc.wantErr)
			}
		})
	}
}
