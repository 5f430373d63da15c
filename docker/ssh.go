package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os/exec"
	"sync"
	"time"
)

// sshTarget is a parsed ssh://[user@]host[:port] address. The daemon is
// reached the way the docker CLI does it: by running
// `ssh [-l user] [-p port] -- host docker system dial-stdio` and speaking HTTP
// over the command's stdin and stdout.
type sshTarget struct {
	user, host, port string
}

func parseSSH(raw string) (*sshTarget, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("docker: invalid host %q: %w", raw, err)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("docker: invalid host %q: no host name", raw)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("docker: invalid host %q: ssh hosts take no path, query or fragment", raw)
	}
	t := &sshTarget{host: u.Hostname(), port: u.Port()}
	if u.User != nil {
		if _, hasPassword := u.User.Password(); hasPassword {
			return nil, fmt.Errorf("docker: invalid ssh host: a password in the URL is not supported; use ssh keys or an agent")
		}
		t.user = u.User.Username()
	}
	return t, nil
}

func (t *sshTarget) args() []string {
	var args []string
	if t.user != "" {
		args = append(args, "-l", t.user)
	}
	if t.port != "" {
		args = append(args, "-p", t.port)
	}
	return append(args, "--", t.host, "docker", "system", "dial-stdio")
}

// dial starts one ssh process and returns its stdio as a connection. The
// process lives as long as the connection: Close ends it.
func (t *sshTarget) dial(ctx context.Context) (net.Conn, error) {
	path, err := exec.LookPath("ssh")
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "ssh", Err: fmt.Errorf("the ssh command is needed for ssh:// hosts: %w", err)}
	}
	// The command must outlive ctx (ctx covers only the dial); Close kills it.
	cmd := exec.Command(path, t.args()...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr := &tailBuffer{max: 2048}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return nil, &net.OpError{Op: "dial", Net: "ssh", Err: err}
	}
	c := &cmdConn{cmd: cmd, stdin: stdin, stdout: stdout, stderr: stderr, addr: sshAddr(t.host)}
	c.waitDone = make(chan struct{})
	go func() { // reaps the process; ends when it exits (Close kills it)
		c.waitErr = cmd.Wait()
		close(c.waitDone)
	}()
	return c, nil
}

type sshAddr string

func (a sshAddr) Network() string { return "ssh" }
func (a sshAddr) String() string  { return string(a) }

// cmdConn is a net.Conn over a child process's stdin and stdout.
type cmdConn struct {
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	stdout   io.ReadCloser
	stderr   *tailBuffer
	addr     sshAddr
	waitDone chan struct{}
	waitErr  error
	once     sync.Once
}

func (c *cmdConn) Read(p []byte) (int, error) {
	n, err := c.stdout.Read(p)
	if err == io.EOF {
		select {
		case <-c.waitDone:
			if c.waitErr != nil {
				return n, fmt.Errorf("docker: ssh: %v: %s", c.waitErr, c.stderr.String())
			}
		case <-time.After(100 * time.Millisecond):
		}
	}
	return n, err
}

func (c *cmdConn) Write(p []byte) (int, error) { return c.stdin.Write(p) }

// CloseWrite closes the process's stdin, which dial-stdio turns into a
// half-close towards the daemon.
func (c *cmdConn) CloseWrite() error { return c.stdin.Close() }

func (c *cmdConn) Close() error {
	c.once.Do(func() {
		_ = c.stdin.Close()
		if c.cmd.Process != nil {
			_ = c.cmd.Process.Kill()
		}
		<-c.waitDone
	})
	return nil
}

func (c *cmdConn) LocalAddr() net.Addr  { return c.addr }
func (c *cmdConn) RemoteAddr() net.Addr { return c.addr }

var errSSHDeadline = errors.New("docker: deadlines are not supported on ssh connections")

func (c *cmdConn) SetDeadline(time.Time) error      { return errSSHDeadline }
func (c *cmdConn) SetReadDeadline(time.Time) error  { return errSSHDeadline }
func (c *cmdConn) SetWriteDeadline(time.Time) error { return errSSHDeadline }

// tailBuffer keeps the last max bytes written to it (ssh's stderr, for errors).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
