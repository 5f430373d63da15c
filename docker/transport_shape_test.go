package docker

import (
	"crypto/tls"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestTransportShape: New builds one *http.Transport per Client, shaped by
// the kind of host.
func TestTransportShape(t *testing.T) {
	t.Parallel()
	type shape struct {
		Proxy        bool // http.ProxyFromEnvironment applies
		TLS          bool
		NextProtos   []string
		IdlePerHost  int
		IdleTimeout  time.Duration
		Handshake    time.Duration
		NoCompress   bool
		AttemptHTTP2 bool
	}
	pooled := shape{IdlePerHost: 100, IdleTimeout: 90 * time.Second, Handshake: 10 * time.Second, NoCompress: true}
	withTLS := pooled
	withTLS.Proxy, withTLS.TLS, withTLS.NextProtos = true, true, []string{"http/1.1"}
	plainTCP := pooled
	plainTCP.Proxy = true
	h2 := &tls.Config{NextProtos: []string{"h2", "http/1.1"}, MinVersion: tls.VersionTLS12}
	for _, tc := range []struct {
		name string
		opts []Option
		want shape
	}{
		{"unix", []Option{WithHost("unix:///run/x.sock")}, pooled},
		{"ssh", []Option{WithHost("ssh://me@example.invalid")}, pooled},
		{"npipe", []Option{WithHost("npipe:////./pipe/docker_engine")}, pooled},
		{"tcp", []Option{WithHost("tcp://example.invalid:2375")}, plainTCP},
		{"http", []Option{WithHost("http://example.invalid:2375")}, plainTCP},
		{"tcp with TLS offering h2", []Option{WithHost("tcp://example.invalid:2376"), WithTLSConfig(h2)}, withTLS},
		{"https", []Option{WithHost("https://example.invalid")}, withTLS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			tr := c.own
			got := shape{
				Proxy:        tr.Proxy != nil,
				TLS:          tr.TLSClientConfig != nil,
				IdlePerHost:  tr.MaxIdleConnsPerHost,
				IdleTimeout:  tr.IdleConnTimeout,
				Handshake:    tr.TLSHandshakeTimeout,
				NoCompress:   tr.DisableCompression,
				AttemptHTTP2: tr.ForceAttemptHTTP2,
			}
			if tr.TLSClientConfig != nil {
				got.NextProtos = tr.TLSClientConfig.NextProtos
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("transport (-want +got)\n%s", d)
			}
			if tr.DialContext == nil {
				t.Error("no DialContext")
			}
		})
	}
	// The caller's config is cloned, not changed.
	if d := cmp.Diff([]string{"h2", "http/1.1"}, h2.NextProtos); d != "" {
		t.Errorf("caller's NextProtos changed (-want +got)\n%s", d)
	}
}
