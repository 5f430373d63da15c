package integration

import "syscall"

// swSysProcAttr puts the worker's daemon in a process group of its own,
// which keeps a terminal's ^C away from it (the test's cleanup stops it),
// and has it killed if the test binary dies without cleaning up (unshare
// --kill-child passes that on to dockerd).
func swSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
