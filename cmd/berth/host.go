package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/dockertest"
)

// memoryHost is the host that runs berth against the in-memory Engine
// (docker/dockertest) started inside the command itself. It is berth's own
// value, not a Docker host: the library's WithHost and FromEnv refuse it, and
// no other Docker tool knows it, so it is given with --host or BERTH_HOST,
// never DOCKER_HOST.
const memoryHost = "memory://"

// memoryNote is what info and version say about the in-memory Engine.
const memoryNote = "the in-memory Engine (docker/dockertest), started inside berth for this command: " +
	"it starts empty, has the built-in processes echo, cat, sleep, true and false, and is gone when the command ends"

// demoCommand is the command that runs against the in-memory Engine unless
// the user names a daemon.
const demoCommand = "demo"

// chooseHost decides where a command talks to, from the --host and
// --context flags and the environment (getenv):
//
//   - --host, when given;
//   - else the context named by --context (returned as "": FromEnv and
//     WithContext decide);
//   - else BERTH_HOST, when set;
//   - else, for the demo, the in-memory Engine, unless DOCKER_HOST or
//     DOCKER_CONTEXT names a daemon;
//   - else "": docker.FromEnv decides (DOCKER_HOST, DOCKER_CONTEXT, the
//     CLI config's current context, the default socket).
func chooseHost(host, contextName, command string, getenv func(string) string) string {
	switch {
	case host != "":
		return host
	case contextName != "":
		return ""
	case getenv("BERTH_HOST") != "":
		return getenv("BERTH_HOST")
	case command == demoCommand && getenv("DOCKER_HOST") == "" && getenv("DOCKER_CONTEXT") == "":
		return memoryHost
	}
	return ""
}

// isMemoryHost reports whether host asks for the in-memory Engine; a
// memory host with an address is an error, as it has none.
func isMemoryHost(host string) (bool, error) {
	if !strings.HasPrefix(strings.ToLower(host), "memory:") {
		return false, nil
	}
	if host != memoryHost {
		return false, fmt.Errorf("host %q: the in-memory Engine is %s, with nothing after it", host, memoryHost)
	}
	return true, nil
}

// startMemoryEngine starts the in-memory Engine; the caller closes it.
// It listens on a unix socket in a new temporary directory and on a
// 127.0.0.1 port, and removes the socket's directory when closed.
func startMemoryEngine() (*dockertest.Server, error) {
	srv, err := dockertest.Start()
	if err != nil {
		return nil, fmt.Errorf("starting the in-memory Engine: %w", err)
	}
	return srv, nil
}

// connect returns the client for host (as chooseHost picked it; "" lets
// FromEnv and contextName decide) and a function that closes it. For
// memory:// it starts the in-memory Engine, which the function stops too.
// With logTo, every request is logged there.
func connect(host, contextName string, logTo io.Writer) (cli *docker.Client, memory bool, closeAll func(), err error) {
	memory, err = isMemoryHost(host)
	if err != nil {
		return nil, false, nil, err
	}
	opts := []docker.Option{docker.WithUserAgent("berth-cli")}
	closeEngine := func() {}
	if memory {
		srv, err := startMemoryEngine()
		if err != nil {
			return nil, false, nil, err
		}
		closeEngine = srv.Close
		opts = append(opts, docker.WithHost(srv.Host()))
	} else {
		opts = append(opts, docker.FromEnv())
		if contextName != "" {
			opts = append(opts, docker.WithContext(contextName))
		}
		if host != "" {
			opts = append(opts, docker.WithHost(host))
		}
	}
	if logTo != nil {
		opts = append(opts, docker.WithLogger(debugLogger(logTo)))
	}
	cli, err = docker.New(opts...)
	if err != nil {
		closeEngine()
		if m, _ := isMemoryHost(os.Getenv("DOCKER_HOST")); m {
			err = fmt.Errorf("%w; berth's in-memory Engine is --host %s or BERTH_HOST=%s (DOCKER_HOST is the docker CLI's too)", err, memoryHost, memoryHost)
		}
		return nil, false, nil, err
	}
	return cli, memory, func() { cli.Close(); closeEngine() }, nil
}
