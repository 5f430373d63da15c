package integration

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/testing/testenv"
)

// The two-node swarm test needs a second Engine on this machine. swWorker
// is one: a dockerd the test starts in a network namespace of its own,
// linked to the daemon under test (the manager) by a veth pair on a /30 of
// 10.213.0.0/16. Swarm's traffic between the two stays on that link, and
// nothing of the manager's is touched: the worker has its own data-root,
// exec-root, pidfile, socket, bridge and docker_gwbridge (the last two live
// in its namespace).
//
// The worker's dockerd is PID 1 of its own PID and mount namespaces
// (unshare --pid --fork --mount-proc): SIGKILL to it takes its containerd,
// shims and containers down with it, as a machine losing power would, and
// nothing it started can outlive the test; mounts it makes stay in its
// mount namespace. It is entered with nsenter --net rather than
// ip netns exec, which mounts a fresh /sys and so hides the cgroup
// hierarchies dockerd needs.

// swNetnsEnv names the network namespace the daemon under test runs in,
// when it is not the test's own (a private manager daemon during
// development): the manager's end of the link goes there.
const swNetnsEnv = "BERTH_SWARM_NETNS"

// swLinkPrefix is where the link's /30 is taken from; swWorkerBridge is the
// worker's own default bridge and its address (inside its namespace, so
// any private range does).
const (
	swLinkPrefix      = "10.213.0.0/16"
	swWorkerBridge    = "bswbr0"
	swWorkerBridgeNet = "192.168.214.1/24"
)

// swWorker is a second dockerd for the swarm tests; see above.
type swWorker struct {
	netns        string     // the worker's network namespace (ip netns)
	managerNetns string     // the manager's, "" for the test's own
	managerLink  string     // the link's end on the manager's side
	managerIP    netip.Addr // its address
	ip           netip.Addr // the worker's end
	dir          string     // data-root, exec-root, socket, pidfile, log
	cli          *docker.Client

	proc   *exec.Cmd     // the unshare process whose child is dockerd
	exited chan struct{} // closed when proc has exited
}

// swWorkerMissing says why a worker cannot be started here, or "".
func swWorkerMissing() string {
	if runtime.GOOS != "linux" {
		return "the two-node swarm test needs Linux network namespaces"
	}
	if os.Geteuid() != 0 {
		return "the two-node swarm test needs root (it creates a network namespace and runs a second dockerd)"
	}
	for _, tool := range []string{"ip", "nsenter", "unshare", "dockerd"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Sprintf("the two-node swarm test needs %s: %v", tool, err)
		}
	}
	return ""
}

// swSkip skips the test with the reason, or fails it when a daemon is
// required: under BERTH_REQUIRE_DAEMON=1 no swarm step may go unexercised.
func swSkip(t *testing.T, reason string) {
	t.Helper()
	if os.Getenv(testenv.RequireDaemonEnv) == "1" {
		t.Fatalf("%s (%s=1 requires it)", reason, testenv.RequireDaemonEnv)
	}
	t.Skip(reason)
}

// swStartWorker sets up the worker's namespace and link and starts its
// daemon. Everything is undone when the test ends, failed or not: the
// daemon is stopped (SIGTERM, then SIGKILL) by the pids recorded here, the
// link and namespace are deleted and the directories removed.
func swStartWorker(t *testing.T, logger *slog.Logger) *swWorker {
	t.Helper()
	if reason := swWorkerMissing(); reason != "" {
		swSkip(t, reason)
	}
	ctx := testenv.Context(t, time0)
	pid := os.Getpid()
	w := &swWorker{
		netns:        "berth-swarm-" + testenv.RunID,
		managerNetns: os.Getenv(swNetnsEnv),
		managerLink:  fmt.Sprintf("bsw%dm", pid),
	}
	workerLink := fmt.Sprintf("bsw%dw", pid)
	addrs, err := swIP(ctx, w.managerNetns, "-o", "-4", "addr", "show")
	if err != nil {
		t.Fatalf("list the manager's addresses: %v", err)
	}
	w.managerIP, w.ip, err = swPickLink(addrs, pid)
	if err != nil {
		t.Fatal(err)
	}

	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := swIP(ctx, w.managerNetns, "link", "del", w.managerLink); err != nil && !strings.Contains(err.Error(), "Cannot find device") {
			t.Errorf("cleanup: delete link %s: %v", w.managerLink, err)
		}
		if _, err := swIP(ctx, "", "netns", "del", w.netns); err != nil && !strings.Contains(err.Error(), "No such file") {
			t.Errorf("cleanup: delete network namespace %s: %v", w.netns, err)
		}
	})
	steps := [][]string{
		{"netns", "add", w.netns},
		{"link", "add", w.managerLink, "type", "veth", "peer", "name", workerLink, "netns", w.netns},
	}
	if w.managerNetns != "" {
		steps = append(steps, []string{"link", "set", w.managerLink, "netns", w.managerNetns})
	}
	for _, args := range steps {
		if _, err := swIP(ctx, "", args...); err != nil {
			t.Fatalf("set up the worker's network: %v", err)
		}
	}
	for _, s := range []struct {
		netns string
		args  []string
	}{
		{w.managerNetns, []string{"addr", "add", w.managerIP.String() + "/30", "dev", w.managerLink}},
		{w.managerNetns, []string{"link", "set", w.managerLink, "up"}},
		{w.netns, []string{"link", "set", "lo", "up"}},
		{w.netns, []string{"addr", "add", w.ip.String() + "/30", "dev", workerLink}},
		{w.netns, []string{"link", "set", workerLink, "up"}},
		{w.netns, []string{"link", "add", swWorkerBridge, "type", "bridge"}},
		{w.netns, []string{"addr", "add", swWorkerBridgeNet, "dev", swWorkerBridge}},
		{w.netns, []string{"link", "set", swWorkerBridge, "up"}},
		{w.netns, []string{"link", "add", "docker_gwbridge", "type", "bridge"}},
	} {
		if _, err := swIP(ctx, s.netns, s.args...); err != nil {
			t.Fatalf("set up the worker's network: %v", err)
		}
	}

	w.dir, err = os.MkdirTemp("", "berth-swarm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			w.logTail(t, 40)
		}
		if err := os.RemoveAll(w.dir); err != nil {
			t.Errorf("cleanup: remove the worker's files: %v", err)
		}
	})
	if err := os.WriteFile(filepath.Join(w.dir, "daemon.json"), []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w.cli, err = docker.New(docker.WithHost("unix://"+w.sock()), docker.WithUserAgent("berth-integration-tests"), docker.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		w.stop(t)
		w.cli.Close()
		if _, err := w.removeShimSockets(); err != nil {
			t.Errorf("cleanup: remove the worker's shim sockets: %v", err)
		}
	})
	if err := w.start(ctx); err != nil {
		t.Fatalf("start the worker's dockerd: %v", err)
	}
	return w
}

func (w *swWorker) sock() string { return filepath.Join(w.dir, "docker.sock") }

// managerAddr and addr are the two nodes' swarm addresses.
func (w *swWorker) managerAddr() string { return w.managerIP.String() + ":2377" }
func (w *swWorker) addr() string        { return w.ip.String() + ":2377" }

// start starts the worker's dockerd (again: its data-root keeps its swarm
// state) and waits until it answers.
func (w *swWorker) start(ctx context.Context) error {
	// After a kill, the pidfiles name pids of the dead namespace
	// (dockerd's is 1, containerd's a low number), which in the new one
	// are live processes: dockerd would refuse to start, or wait for a
	// containerd that is not there.
	for _, name := range []string{"dockerd.pid", "exec/containerd/containerd.pid"} {
		if err := os.Remove(filepath.Join(w.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	log, err := os.OpenFile(filepath.Join(w.dir, "dockerd.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer log.Close() // the child has its own copy
	cmd := exec.Command("nsenter", "--net=/run/netns/"+w.netns, "--",
		"unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--",
		"dockerd",
		"--config-file", filepath.Join(w.dir, "daemon.json"), // not the machine's /etc/docker/daemon.json
		"--data-root", filepath.Join(w.dir, "data"),
		"--exec-root", filepath.Join(w.dir, "exec"),
		"--pidfile", filepath.Join(w.dir, "dockerd.pid"),
		"-H", "unix://"+w.sock(),
		"--bridge", swWorkerBridge,
		"--storage-driver=vfs", "--iptables=false")
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = swSysProcAttr()
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { // ends when the process does; stop waits for it
		_ = cmd.Wait()
		close(exited)
	}()
	w.proc, w.exited = cmd, exited

	deadline := time.Now().Add(time0)
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := w.cli.Ping(pctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer on %s after %v: %w", w.sock(), time0, err)
		}
		select {
		case <-exited:
			return fmt.Errorf("dockerd exited: %s", cmd.ProcessState)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// running reports whether the worker's process is up.
func (w *swWorker) running() bool {
	if w.exited == nil {
		return false
	}
	select {
	case <-w.exited:
		return false
	default:
		return true
	}
}

// daemonPID returns the pid of dockerd, unshare's only child.
func (w *swWorker) daemonPID() (int, error) {
	p := w.proc.Process.Pid
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", p, p))
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b))
	if len(f) != 1 {
		return 0, fmt.Errorf("unshare (pid %d) has children %q, want dockerd alone", p, f)
	}
	return strconv.Atoi(f[0])
}

// kill sends SIGKILL to the worker's dockerd, waits (bounded) until its
// namespace's processes are gone and removes the sockets its shims left.
func (w *swWorker) kill(t *testing.T) error {
	pid, err := w.daemonPID()
	if err != nil {
		return err
	}
	if err := swSignal(pid, syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill dockerd (pid %d): %w", pid, err)
	}
	select {
	case <-w.exited:
	case <-time.After(30 * time.Second):
		return fmt.Errorf("dockerd (pid %d) still there 30s after SIGKILL", pid)
	}
	n, err := w.removeShimSockets()
	if n == 0 && err == nil {
		t.Log("no socket of the killed shims found in /run/containerd/s (another containerd?): none removed")
	}
	return err
}

// stop stops the worker's dockerd if it runs: SIGTERM (it stops its
// containers), SIGKILL after 40s, and waits until the process is gone.
func (w *swWorker) stop(t *testing.T) {
	if !w.running() {
		return
	}
	if pid, err := w.daemonPID(); err == nil {
		_ = swSignal(pid, syscall.SIGTERM)
		select {
		case <-w.exited:
			return
		case <-time.After(40 * time.Second):
			t.Errorf("cleanup: the worker's dockerd (pid %d) did not stop in 40s: killing it", pid)
			_ = swSignal(pid, syscall.SIGKILL)
		}
	}
	_ = w.proc.Process.Kill() // unshare; its child gets SIGKILL too (--kill-child)
	select {
	case <-w.exited:
	case <-time.After(30 * time.Second):
		t.Errorf("cleanup: the worker's process %d is still there", w.proc.Process.Pid)
	}
}

// removeShimSockets removes the sockets that the shims of the worker's
// containers leave in containerd's fixed directory when they are killed
// with the daemon: /run/containerd/s/<sha256 of containerd's address, the
// namespace and the container id>, as containerd 1.5 and later name them
// (the restarted containerd does not remove them). Call it only when the
// daemon is down. It returns how many it removed.
func (w *swWorker) removeShimSockets() (int, error) {
	ids, err := os.ReadDir(filepath.Join(w.dir, "data", "containers"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	address := filepath.Join(w.dir, "exec", "containerd", "containerd.sock")
	removed := 0
	for _, id := range ids {
		sum := sha256.Sum256([]byte(filepath.Join(address, "moby", id.Name())))
		err := os.Remove(filepath.Join("/run/containerd/s", hex.EncodeToString(sum[:])))
		switch {
		case err == nil:
			removed++
		case !errors.Is(err, os.ErrNotExist):
			return removed, err
		}
	}
	return removed, nil
}

// swSignal sends a signal to a process.
func swSignal(pid int, sig os.Signal) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Signal(sig)
}

// swSecretRE matches join tokens and unlock keys.
var swSecretRE = regexp.MustCompile(`SWM(TKN|KEY)-[0-9A-Za-z-]+`)

// logTail prints the end of the worker daemon's log, secrets masked.
func (w *swWorker) logTail(t *testing.T, n int) {
	b, err := os.ReadFile(filepath.Join(w.dir, "dockerd.log"))
	if err != nil {
		t.Logf("worker's dockerd log: %v", err)
		return
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	t.Logf("last lines of the worker's dockerd log:\n%s", swSecretRE.ReplaceAllString(strings.Join(lines, "\n"), "[secret]"))
}

// swIP runs ip(8), in a network namespace when netns is set, and returns
// its output.
func swIP(ctx context.Context, netns string, args ...string) (string, error) {
	if netns != "" {
		args = append([]string{"-n", netns}, args...)
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return string(out), nil
}

// swPickLink picks the link's /30 in swLinkPrefix, starting from one
// derived from the pid (so that two test processes pick different ones)
// and skipping any that overlaps an address in addrs (ip -o addr output).
func swPickLink(addrs string, pid int) (manager, worker netip.Addr, err error) {
	var used []netip.Prefix
	for _, f := range strings.Fields(addrs) {
		if p, err := netip.ParsePrefix(f); err == nil {
			used = append(used, p)
		}
	}
	base := netip.MustParsePrefix(swLinkPrefix)
	n := 1 << (30 - base.Bits()) // /30s in the prefix
	b := base.Addr().As4()
	first := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	for i := range 16 {
		at := first + uint32((pid+i)%n)*4
		link := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(at >> 24), byte(at >> 16), byte(at >> 8), byte(at)}), 30)
		free := true
		for _, u := range used {
			if u.Overlaps(link) {
				free = false
				break
			}
		}
		if free {
			m := link.Addr().Next()
			return m, m.Next(), nil
		}
	}
	return netip.Addr{}, netip.Addr{}, fmt.Errorf("no free /30 in %s near %d (addresses in use: %v)", swLinkPrefix, pid, used)
}
