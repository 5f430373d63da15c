package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
	"unsafe"
)

// cmdTTYSize prints the terminal size of stdout as "ROWS COLS", then waits
// (at most the given duration) for one SIGWINCH and prints the size again.
// The first line says that the handler is in place, so a resize sent after
// it is never missed.
func cmdTTYSize(args []string) error {
	if len(args) != 1 {
		return usagef("want DURATION")
	}
	d, err := parseDuration(args[0])
	if err != nil {
		return usagef("bad duration %q: %v", args[0], err)
	}
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	defer signal.Stop(winch)
	if err := printTTYSize(); err != nil {
		return err
	}
	select {
	case <-winch:
		return printTTYSize()
	case <-time.After(d):
		return fmt.Errorf("no SIGWINCH in %v", d)
	}
}

// printTTYSize prints stdout's window size (TIOCGWINSZ).
func printTTYSize() error {
	var ws struct{ Row, Col, X, Y uint16 }
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, os.Stdout.Fd(), syscall.TIOCGWINSZ, uintptr(unsafe.Pointer(&ws))); errno != 0 {
		return fmt.Errorf("TIOCGWINSZ: %w", errno)
	}
	_, err := fmt.Printf("%d %d\n", ws.Row, ws.Col)
	return err
}
