package stream_test

import (
	"context"
	"errors"
	"net"
	"testing"

	"golang.org/x/net/nettest"

	"github.com/berth-go/berth/stream"
)

// TestConnIsNetConn runs x/net's conformance tests for net.Conn on a Conn
// over real unix and TCP loopback sockets, with the plain connection of the
// other end as its peer. The half-close, the bytes buffered during the
// upgrade and the context's end, which are the Conn's own, are tested in
// conn_test.go.
func TestConnIsNetConn(t *testing.T) {
	t.Parallel()
	for _, network := range []string{"unix", "tcp"} {
		t.Run(network, func(t *testing.T) {
			t.Parallel()
			nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
				c, peer, stop, err := connPair(context.Background(), network)
				if err != nil {
					return nil, nil, nil, err // not a nil *stream.Conn in c1
				}
				return c, peer, stop, nil
			})
		})
	}
}

// connPair returns a Conn under ctx over a fresh connection of network
// ("unix" or "tcp" on 127.0.0.1) and the plain connection accepted at the
// other end; stop closes both. It reports failures as errors, not through a
// *testing.T, since nettest calls it from its own subtests.
func connPair(ctx context.Context, network string) (c *stream.Conn, peer net.Conn, stop func(), err error) {
	var ln net.Listener
	if network == "unix" {
		ln, err = nettest.NewLocalListener("unix")
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, nil, nil, err
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		pc, _ := ln.Accept() // nil once ln is closed
		accepted <- pc
	}()
	nc, err := net.DialTimeout(network, ln.Addr().String(), deadline)
	if err != nil {
		ln.Close() // ends the Accept
	}
	peer = <-accepted
	switch {
	case err != nil:
		if peer != nil {
			peer.Close()
		}
		return nil, nil, nil, err
	case peer == nil:
		nc.Close()
		return nil, nil, nil, errors.New("accepting failed")
	}
	c = stream.NewConn(ctx, nc, nil, false)
	if c.NetConn() != nc {
		c.Close()
		peer.Close()
		return nil, nil, nil, errors.New("NetConn() is not the wrapped connection")
	}
	return c, peer, func() { c.Close(); peer.Close() }, nil
}
