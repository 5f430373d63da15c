// Command sockplugin is the smallest managed plugin berth's integration
// tests can enable: the daemon only marks a plugin enabled once something
// listens on the unix socket its config names, and the test image's
// berth-test has no networking. It listens on the socket given as its only
// argument (in /run/docker/plugins inside the plugin), answers the plugin
// handshake and any other call with an empty JSON object, and exits on
// SIGTERM or SIGINT (as PID 1 it must handle them itself).
//
// It is built statically by the integration tests (CGO_ENABLED=0) and put
// into a plugin's rootfs next to berth-test.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: sockplugin SOCKET [ARGS...]")
		os.Exit(2)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	path := os.Args[1]
	_ = os.Remove(path)
	l, err := net.Listen("unix", path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sockplugin:", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		w.Header().Set("Content-Type", "application/vnd.docker.plugins.v1.2+json")
		if r.URL.Path == "/Plugin.Activate" {
			_, _ = io.WriteString(w, `{"Implements":["authz"]}`)
			return
		}
		_, _ = io.WriteString(w, `{}`)
	})}
	go func() { _ = srv.Serve(l) }() // ends when the process exits
	<-sigs
	_ = l.Close()
	os.Exit(0)
}
