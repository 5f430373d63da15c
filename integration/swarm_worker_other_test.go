//go:build !linux

package integration

import "syscall"

// swSysProcAttr is nil where there is no worker to start (swWorkerMissing
// says why): the package only has to compile there.
func swSysProcAttr() *syscall.SysProcAttr { return nil }
