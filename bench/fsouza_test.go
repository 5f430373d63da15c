package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	fsouza "github.com/fsouza/go-dockerclient"
)

// fsouzaClient is github.com/fsouza/go-dockerclient (the latest), used as
// its README shows. Its defaults are kept: NewClient's transport disables
// keep-alive, so every call dials; stats come through a channel, and it has
// no one-shot parameter, so a sample takes the daemon about two seconds.
// Its events are not measured (see Events).
type fsouzaClient struct{ cli *fsouza.Client }

// fsouzaDialer adapts a dialFunc to the library's Dialer (no context).
type fsouzaDialer struct{ dial dialFunc }

func (d fsouzaDialer) Dial(_, _ string) (net.Conn, error) { return d.dial(context.Background()) }

func newFsouza(sock string, dial dialFunc) (apiClient, error) {
	cli, err := fsouza.NewClient("unix://" + sock)
	if err != nil {
		return nil, err
	}
	cli.Dialer = fsouzaDialer{dial} // used for every connection, HTTP and events
	return &fsouzaClient{cli: cli}, nil
}

func (c *fsouzaClient) Ping(ctx context.Context) error {
	return c.cli.PingWithContext(ctx)
}

func (c *fsouzaClient) Inspect(ctx context.Context, id string) error {
	_, err := c.cli.InspectContainerWithContext(id, ctx)
	return err
}

func (c *fsouzaClient) List(ctx context.Context, label string) (int, error) {
	opts := fsouza.ListContainersOptions{All: true, Context: ctx}
	if label != "" {
		opts.Filters = map[string][]string{"label": {label}}
	}
	list, err := c.cli.ListContainers(opts)
	return len(list), err
}

func (c *fsouzaClient) Logs(ctx context.Context, id string, stdout, stderr io.Writer) error {
	return c.cli.Logs(fsouza.LogsOptions{
		Context: ctx, Container: id,
		OutputStream: stdout, ErrorStream: stderr,
		Stdout: true, Stderr: true,
	})
}

// Events is not measured for this library: its listener API is made for an
// endless stream, and on one that ends (a since/until window, or a replay)
// its monitor deadlocks between disableEventMonitoring, which holds the
// lock while it waits for in-flight deliveries, and the goroutine per event
// that needs the lock to record the last time seen (seen here with a
// goroutine dump: every event goroutine blocked in updateLastSeen). It also
// drops events when the listener's channel is full.
func (c *fsouzaClient) Events(context.Context, time.Time, time.Time) (int, error) {
	return 0, errNotComparable
}

func (c *fsouzaClient) Stats(ctx context.Context, id string) error {
	ch := make(chan *fsouza.Stats, 1)
	if err := c.cli.Stats(fsouza.StatsOptions{ID: id, Stats: ch, Stream: false, Context: ctx}); err != nil {
		return err
	}
	if _, ok := <-ch; !ok {
		return fmt.Errorf("fsouza stats: no sample")
	}
	return nil
}

func (c *fsouzaClient) Close() error { return nil } // nothing to close
