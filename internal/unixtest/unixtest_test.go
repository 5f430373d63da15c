package unixtest_test

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/berth-go/berth/internal/unixtest"
)

func TestListen(t *testing.T) {
	t.Parallel()
	var path string
	t.Run("serves", func(t *testing.T) {
		l := unixtest.Listen(t)
		path = l.Addr().String()
		if l.Addr().Network() != "unix" {
			t.Errorf("network %q, want unix", l.Addr().Network())
		}
		if len(path) > 100 {
			t.Errorf("socket path of %d bytes: %s", len(path), path)
		}
		done := make(chan error, 1)
		go func() {
			c, err := l.Accept()
			if err != nil {
				done <- err
				return
			}
			defer c.Close()
			_, err = io.WriteString(c, "hi")
			done <- err
		}()
		c, err := net.DialTimeout("unix", path, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		b, err := io.ReadAll(c)
		if err != nil || string(b) != "hi" {
			t.Errorf("read %q, %v", b, err)
		}
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("the socket's directory is still there after the test (%v)", err)
	}
}
