package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func cmdHostname(args []string) error {
	if len(args) != 0 {
		return usagef("takes no arguments")
	}
	name, err := os.Hostname()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(os.Stdout, name)
	return err
}

func cmdID(args []string) error {
	if len(args) != 0 {
		return usagef("takes no arguments")
	}
	_, err := fmt.Fprintf(os.Stdout, "%d %d\n", os.Getuid(), os.Getgid())
	return err
}

func cmdPwd(args []string) error {
	if len(args) != 0 {
		return usagef("takes no arguments")
	}
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(os.Stdout, dir)
	return err
}

func cmdArgs(args []string) error {
	b, err := json.Marshal(os.Args)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(os.Stdout, "%s\n", b)
	return err
}
