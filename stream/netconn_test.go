package stream_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"testing"
	"time"

	"github.com/berth-go/berth/stream"
)

// TestConnIsNetConn holds a Conn over real unix and TCP sockets to what
// net.Conn promises, with the plain connection of the other end as its
// peer.
func TestConnIsNetConn(t *testing.T) {
	t.Parallel()
	for _, transport := range []string{"unix", "tcp"} {
		t.Run(transport, func(t *testing.T) {
			t.Parallel()
			testNetConn(t, func(t *testing.T) (net.Conn, net.Conn) {
				ln, dial := listenDial(t, transport)
				defer ln.Close()
				accepted := make(chan net.Conn, 1)
				go func() {
					c, _ := ln.Accept() // nil on failure
					accepted <- c
				}()
				nc, err := dial()
				peer := <-accepted
				if err != nil || peer == nil {
					t.Fatalf("connecting: %v (accepted: %v)", err, peer != nil)
				}
				c := stream.NewConn(t.Context(), nc, nil, false)
				if c.NetConn() != nc {
					t.Error("NetConn() is not the wrapped connection")
				}
				t.Cleanup(func() { c.Close(); peer.Close() })
				return c, peer
			})
		})
	}
}

// A conformance check exercises c, a connection under test, with peer, the
// other end of it.
type conformanceCheck struct {
	name string
	run  func(t *testing.T, c, peer net.Conn)
}

// testNetConn runs every conformance check on a fresh pair from newPair,
// which closes both ends when the test ends.
func testNetConn(t *testing.T, newPair func(t *testing.T) (c, peer net.Conn)) {
	for _, check := range conformanceChecks() {
		t.Run(check.name, func(t *testing.T) {
			t.Parallel()
			c, peer := newPair(t)
			check.run(t, c, peer)
		})
	}
}

// conformance checks bound every wait by deadline (the package's 10 s).
const (
	blockFor  = 50 * time.Millisecond // how long a call is left blocked before it is ended
	largeSize = 4 << 20               // more than any socket buffer
	maxFill   = 256 << 20             // the most a write loop writes before giving up
)

func conformanceChecks() []conformanceCheck {
	return []conformanceCheck{
		{"round trip", checkRoundTrip},
		{"large payloads both ways at once", checkLargeDuplex},
		{"concurrent reads and writes", checkConcurrent},
		{"Close unblocks Read", checkCloseUnblocksRead},
		{"Close unblocks Write", checkCloseUnblocksWrite},
		{"after Close", checkAfterClose},
		{"deadlines in the past", checkPastDeadlines},
		{"read deadline in the future, then extended", checkReadDeadline},
		{"read deadline extended while blocked", checkReadDeadlineMoved},
		{"write deadline in the future, then cleared", checkWriteDeadline},
		{"CloseWrite gives the peer EOF", checkCloseWrite},
	}
}

// await runs f and fails the test if it has not returned within deadline.
func await(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(deadline):
		t.Fatalf("%s still blocked after %v", what, deadline)
		return nil
	}
}

// bound sets both ends' deadlines so that no step of a check blocks for
// more than deadline.
func bound(t *testing.T, conns ...net.Conn) {
	t.Helper()
	for _, c := range conns {
		if err := c.SetDeadline(time.Now().Add(deadline)); err != nil {
			t.Fatal(err)
		}
	}
}

// isTimeout reports whether err is a deadline's error as net.Conn promises
// it: os.ErrDeadlineExceeded, and a net.Error whose Timeout is true.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) && errors.As(err, &ne) && ne.Timeout()
}

// random returns n reproducible bytes.
func random(seed uint64, n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(seed)})
	_, _ = r.Read(b)
	return b
}

// exchange sends msg from one end to the other, writing and reading at
// once (an unbuffered pipe needs both), and checks what arrives.
func exchange(t *testing.T, what string, from, to net.Conn, msg []byte) {
	t.Helper()
	bound(t, from, to)
	written := make(chan error, 1)
	go func() { _, err := from.Write(msg); written <- err }()
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(to, got); err != nil {
		t.Fatalf("%s: Read: %v", what, err)
	}
	if err := <-written; err != nil {
		t.Fatalf("%s: Write: %v", what, err)
	}
	if !bytes.Equal(got, msg) {
		t.Errorf("%s: read %q, want %q", what, got, msg)
	}
}

func checkRoundTrip(t *testing.T, c, peer net.Conn) {
	exchange(t, "to the peer", c, peer, []byte("hello peer"))
	exchange(t, "from the peer", peer, c, []byte("hello conn"))
}

func checkLargeDuplex(t *testing.T, c, peer net.Conn) {
	bound(t, c, peer)
	out, in := random(1, largeSize), random(2, largeSize)
	// Both ends write before they read: only a full-duplex Conn gets through.
	errs := make(chan error, 2)
	go func() { _, err := c.Write(out); errs <- err }()
	go func() { _, err := peer.Write(in); errs <- err }()
	gotByPeer, gotByC := make([]byte, largeSize), make([]byte, largeSize)
	readErr := make(chan error, 1)
	go func() { _, err := io.ReadFull(peer, gotByPeer); readErr <- err }()
	if _, err := io.ReadFull(c, gotByC); err != nil {
		t.Fatalf("Read: %v", err)
	}
	if err := <-readErr; err != nil {
		t.Fatalf("peer's Read: %v", err)
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	if !bytes.Equal(gotByPeer, out) {
		t.Error("the peer read other bytes than the Conn wrote")
	}
	if !bytes.Equal(gotByC, in) {
		t.Error("the Conn read other bytes than the peer wrote")
	}
}

// checkConcurrent has several goroutines write and read each end at once.
// Each writer writes its own byte value, so that what arrives can be
// counted per writer whatever the interleaving.
func checkConcurrent(t *testing.T, c, peer net.Conn) {
	const writers, chunks, chunkSize = 4, 64, 1 << 10
	bound(t, c, peer)
	errs := make(chan error, 4*writers)
	counts := make(chan [writers]int, 2)
	for _, pair := range [][2]net.Conn{{c, peer}, {peer, c}} {
		from, to := pair[0], pair[1]
		for w := range writers {
			go func() {
				chunk := bytes.Repeat([]byte{byte(w)}, chunkSize)
				for range chunks {
					if _, err := from.Write(chunk); err != nil {
						errs <- err
						return
					}
				}
				errs <- nil
			}()
		}
		// Several readers share the reading end; together they read all.
		got := make(chan [writers]int, writers)
		quota := make(chan int, writers*chunks)
		for range writers * chunks {
			quota <- chunkSize
		}
		close(quota)
		for range writers {
			go func() {
				var n [writers]int
				buf := make([]byte, chunkSize)
				for want := range quota {
					if _, err := io.ReadFull(to, buf[:want]); err != nil {
						errs <- err
						break
					}
					for _, b := range buf[:want] {
						if int(b) < writers {
							n[b]++
						}
					}
				}
				got <- n
			}()
		}
		go func() {
			var total [writers]int
			for range writers {
				n := <-got
				for i := range total {
					total[i] += n[i]
				}
			}
			counts <- total
		}()
	}
	for range 2 {
		total := <-counts
		for w, n := range total {
			if n != chunks*chunkSize {
				t.Errorf("writer %d: %d bytes arrived, want %d", w, n, chunks*chunkSize)
			}
		}
	}
	for range 2 * writers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	select {
	case err := <-errs:
		t.Fatalf("read: %v", err)
	default:
	}
}

func checkCloseUnblocksRead(t *testing.T, c, peer net.Conn) {
	time.AfterFunc(blockFor, func() { c.Close() })
	err := await(t, "Read", func() error {
		_, err := c.Read(make([]byte, 10))
		return err
	})
	if !errors.Is(err, net.ErrClosed) {
		t.Errorf("Read: err = %v, want net.ErrClosed", err)
	}
}

func checkCloseUnblocksWrite(t *testing.T, c, peer net.Conn) {
	// The peer never reads: the writes fill the buffers and block.
	time.AfterFunc(blockFor, func() { c.Close() })
	err := await(t, "Write", func() error {
		chunk := make([]byte, 64<<10)
		for written := 0; written < maxFill; written += len(chunk) {
			if _, err := c.Write(chunk); err != nil {
				return err
			}
		}
		return errors.New("the socket took everything: the check does not check")
	})
	if !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write: err = %v, want net.ErrClosed", err)
	}
}

func checkAfterClose(t *testing.T, c, peer net.Conn) {
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := c.Read(make([]byte, 10)); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Read: err = %v, want net.ErrClosed", err)
	}
	if _, err := c.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write: err = %v, want net.ErrClosed", err)
	}
	// The peer sees the end.
	bound(t, peer)
	if _, err := peer.Read(make([]byte, 10)); err != io.EOF {
		t.Errorf("the peer's Read: err = %v, want io.EOF", err)
	}
}

func checkPastDeadlines(t *testing.T, c, peer net.Conn) {
	past := time.Now().Add(-time.Second)
	read := func() error { _, err := c.Read(make([]byte, 10)); return err }
	write := func() error { _, err := c.Write([]byte("x")); return err }
	for _, tc := range []struct {
		set   func(time.Time) error
		name  string
		calls map[string]func() error
	}{
		{c.SetDeadline, "SetDeadline", map[string]func() error{"Read": read, "Write": write}},
		{c.SetReadDeadline, "SetReadDeadline", map[string]func() error{"Read": read}},
		{c.SetWriteDeadline, "SetWriteDeadline", map[string]func() error{"Write": write}},
	} {
		if err := tc.set(past); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for name, call := range tc.calls {
			if err := await(t, name, call); !isTimeout(err) {
				t.Errorf("%s after %s in the past: err = %v, want a timeout", name, tc.name, err)
			}
		}
		if err := tc.set(time.Time{}); err != nil {
			t.Fatalf("%s (clearing): %v", tc.name, err)
		}
	}
	// Cleared, both work again.
	exchange(t, "Write after clearing the deadlines", c, peer, []byte("ok"))
	exchange(t, "Read after clearing the deadlines", peer, c, []byte("ok"))
}

func checkReadDeadline(t *testing.T, c, peer net.Conn) {
	if err := c.SetReadDeadline(time.Now().Add(blockFor)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err := await(t, "Read", func() error { _, err := c.Read(make([]byte, 10)); return err })
	if !isTimeout(err) {
		t.Fatalf("Read: err = %v, want a timeout", err)
	}
	if d := time.Since(start); d < blockFor/2 {
		t.Errorf("Read timed out after %v, before its deadline (%v)", d, blockFor)
	}
	// Extended after the timeout, the deadline lets reads through again.
	exchange(t, "Read after extending the deadline", peer, c, []byte("late"))
}

func checkReadDeadlineMoved(t *testing.T, c, peer net.Conn) {
	bound(t, peer)
	if err := c.SetReadDeadline(time.Now().Add(blockFor)); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(blockFor/5, func() { _ = c.SetReadDeadline(time.Now().Add(deadline)) })
	time.AfterFunc(2*blockFor, func() { _, _ = peer.Write([]byte("x")) })
	got := make([]byte, 1)
	if err := await(t, "Read", func() error { _, err := io.ReadFull(c, got); return err }); err != nil {
		t.Errorf("Read whose deadline was moved on while it blocked: %v", err)
	}
}

func checkWriteDeadline(t *testing.T, c, peer net.Conn) {
	// The peer does not read yet: the writes fill the buffers and time out.
	if err := c.SetWriteDeadline(time.Now().Add(blockFor)); err != nil {
		t.Fatal(err)
	}
	err := await(t, "Write", func() error {
		chunk := make([]byte, 64<<10)
		for written := 0; written < maxFill; written += len(chunk) {
			if _, err := c.Write(chunk); err != nil {
				return err
			}
		}
		return errors.New("the socket took everything: the check does not check")
	})
	if !isTimeout(err) {
		t.Fatalf("Write: err = %v, want a timeout", err)
	}
	// Cleared, and with the peer reading, writes go through again.
	if err := c.SetWriteDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	bound(t, peer)
	drained := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, peer); drained <- err }()
	if err := await(t, "Write", func() error { _, err := c.Write([]byte("more")); return err }); err != nil {
		t.Errorf("Write after clearing the deadline: %v", err)
	}
	c.Close()
	if err := <-drained; err != nil {
		t.Errorf("the peer's Read: %v", err)
	}
}

func checkCloseWrite(t *testing.T, c, peer net.Conn) {
	cw, ok := c.(interface{ CloseWrite() error })
	if !ok {
		t.Fatalf("%T has no CloseWrite method", c)
	}
	bound(t, c, peer)
	if _, err := c.Write([]byte("last words")); err != nil {
		t.Fatal(err)
	}
	if err := cw.CloseWrite(); err != nil {
		t.Fatalf("CloseWrite: %v", err)
	}
	got, err := io.ReadAll(peer)
	if err != nil || string(got) != "last words" {
		t.Errorf("the peer read %q, %v; want \"last words\" then EOF", got, err)
	}
	if _, err := c.Write([]byte("x")); err == nil {
		t.Error("Write after CloseWrite succeeded")
	}
	// The other direction is still open.
	if _, err := peer.Write([]byte("answer")); err != nil {
		t.Fatal(err)
	}
	peer.Close()
	got, err = io.ReadAll(c)
	if err != nil || string(got) != "answer" {
		t.Errorf("Read after CloseWrite: %q, %v", got, err)
	}
}
