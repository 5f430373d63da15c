package docker_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/container"
	"github.com/berth-go/berth/docker/image"
	"github.com/berth-go/berth/docker/plugin"
)

// uploads are the calls that stream a caller's reader to the daemon.
var uploads = []struct {
	name string
	do   func(ctx context.Context, cli *docker.Client, body io.Reader) error
}{
	{"image.Load", func(ctx context.Context, cli *docker.Client, body io.Reader) error {
		_, err := image.New(cli).LoadAndWait(ctx, body, nil)
		return err
	}},
	{"image.Import", func(ctx context.Context, cli *docker.Client, body io.Reader) error {
		for _, err := range image.New(cli).Import(ctx, body) {
			if err != nil {
				return err
			}
		}
		return nil
	}},
	{"image.Build", func(ctx context.Context, cli *docker.Client, body io.Reader) error {
		for _, err := range image.New(cli).Build(ctx, body) {
			if err != nil {
				return err
			}
		}
		return nil
	}},
	{"container.CopyTo", func(ctx context.Context, cli *docker.Client, body io.Reader) error {
		return container.New(cli).CopyTo(ctx, "x", "/tmp", body)
	}},
	{"plugin.Create", func(ctx context.Context, cli *docker.Client, body io.Reader) error {
		return plugin.New(cli).Create(ctx, "p", body)
	}},
}

// prompt is how soon a call must end once its answer (or its context's
// end) is in: far below the contexts' 10 s.
const prompt = 2 * time.Second

// An upload's body can block (a tar being produced, a slow disk). When the
// daemon answers an error before reading it all, or the context ends, the
// call must end at once with that answer or the context's error, and let go
// of the caller's reader: close it, so its producer stops too.
func TestTransportUploadEndsWithoutWaitingForBody(t *testing.T) {
	t.Parallel()
	refuse := func(c *scriptConn) { // reads the head only, answers at once
		if _, err := c.readRequest(); err != nil {
			return
		}
		if c.reply(http.StatusInternalServerError, `{"message":"refused"}`) != nil {
			return
		}
		_, _ = io.Copy(io.Discard, c) // until the client closes
	}
	silent := func(c *scriptConn) { // reads whatever comes, never answers
		_, _ = io.Copy(io.Discard, c)
	}
	for _, up := range uploads {
		for _, tc := range []struct {
			name   string
			script func(*scriptConn)
			first  int  // bytes the producer writes before it blocks
			cancel bool // cancel the call's context after a while
		}{
			{"500 after 100 B", refuse, 100, false},
			{"500 after 40 KiB", refuse, 40 << 10, false},
			{"cancel after 100 B", silent, 100, true},
		} {
			t.Run(up.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				srv := serveScript(t, listen(t, "unix"), tc.script)
				cli := newClient(t, srv.host())
				pr, pw := io.Pipe()
				t.Cleanup(func() { pr.Close() })

				written := make(chan error, 1)
				go func() {
					_, err := pw.Write(make([]byte, tc.first))
					written <- err
				}()
				ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
				defer cancel()
				if tc.cancel {
					defer time.AfterFunc(200*time.Millisecond, cancel).Stop()
				}
				start := time.Now()
				err := bounded(t, prompt+200*time.Millisecond, pr, func() error { return up.do(ctx, cli, pr) })
				elapsed := time.Since(start)

				var derr *docker.Error
				switch {
				case tc.cancel && !errors.Is(err, context.Canceled):
					t.Errorf("got %v, want context.Canceled", err)
				case !tc.cancel && (!errors.As(err, &derr) || derr.StatusCode != 500 || derr.Message != "refused"):
					t.Errorf("got %v, want the daemon's 500 refused", err)
				}
				t.Logf("the call ended after %v", elapsed)
				// The first write ended, taken or refused; the next is refused:
				// the reader is closed.
				if _, ok := receive(written); !ok {
					t.Error("the producer's first write still blocks after the call ended")
					pr.Close()
					<-written
				}
				again := make(chan error, 1)
				go func() {
					_, err := pw.Write([]byte("more"))
					again <- err
				}()
				if err, ok := receive(again); !ok {
					t.Error("a write after the call ended blocks: the caller's reader was neither closed nor released")
					pr.Close()
					<-again
				} else if err == nil {
					t.Error("a write after the call ended was read: the transport still reads the caller's reader")
				}
			})
		}
	}
}

// receive waits up to prompt for ch's value.
func receive(ch chan error) (error, bool) {
	select {
	case err := <-ch:
		return err, true
	case <-time.After(prompt):
		return nil, false
	}
}

// A body produced slowly goes out as it is produced: the daemon sees each
// piece before the next one exists (chunked encoding, flushed per piece),
// not the whole body at its end.
func TestTransportUploadStreamsAsProduced(t *testing.T) {
	t.Parallel()
	const pieces, size = 10, 10
	for _, up := range uploads {
		t.Run(up.name, func(t *testing.T) {
			t.Parallel()
			received := make(chan int, pieces*size) // the daemon's running byte count, once per read
			srv := serveScript(t, listen(t, "unix"), func(c *scriptConn) {
				req, err := c.readRequest()
				if err != nil {
					return
				}
				buf, total := make([]byte, 1024), 0
				for {
					n, err := req.Body.Read(buf)
					if total += n; n > 0 {
						received <- total
					}
					if err == io.EOF {
						break
					}
					if err != nil {
						return
					}
				}
				_ = c.reply(http.StatusOK, `{"stream":"done\n"}`)
				_, _ = io.Copy(io.Discard, c)
			})
			cli := newClient(t, srv.host())
			pr, pw := io.Pipe()
			// A client that never reads the body would block a write below.
			defer time.AfterFunc(pieces*prompt, func() { pr.CloseWithError(errors.New("the test's watchdog")) }).Stop()
			result := make(chan error, 1)
			go func() { result <- up.do(testContext(t), cli, pr) }()
			defer func() {
				if err := bounded(t, 10*time.Second, pr, func() error { return <-result }); err != nil && !t.Failed() {
					t.Errorf("the upload failed: %v", err)
				}
			}()

			seen := 0
			for i := 1; i <= pieces; i++ {
				if _, err := pw.Write(make([]byte, size)); err != nil {
					t.Errorf("piece %d: %v", i, err)
					break
				}
				deadline := time.After(prompt)
			wait:
				for seen < i*size {
					select {
					case seen = <-received:
					case <-deadline:
						break wait
					}
				}
				if seen < i*size {
					t.Errorf("the daemon had %d bytes %v after the producer wrote %d: the body is held back", seen, prompt, i*size)
					break
				}
			}
			pw.Close()
		})
	}
}

// bounded runs call and returns its error. A call still running after limit
// is a failure; it is then released by closing its body reader, and waited
// for a few seconds more, so that a broken client fails the test rather
// than hanging it.
func bounded(t *testing.T, limit time.Duration, body *io.PipeReader, call func() error) error {
	t.Helper()
	result := make(chan error, 1)
	go func() { result <- call() }()
	select {
	case err := <-result:
		return err
	case <-time.After(limit):
	}
	t.Errorf("the call still runs after %v", limit)
	body.CloseWithError(errors.New("released by the test"))
	select {
	case err := <-result:
		return err
	case <-time.After(5 * time.Second):
		t.Error("the call still runs 5 s after its body reader was closed; its goroutine is left behind")
		return nil
	}
}
