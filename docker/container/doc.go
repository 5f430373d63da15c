// Package container manages containers and the processes run in them
// (exec) on a Docker Engine: listing, creating, inspecting, starting,
// stopping and removing containers; their logs, attach sessions, stats,
// files and exports; and Run, which does what `docker run` does.
//
// A Service is bound to a *docker.Client:
//
//	ctrs := container.New(cli)
//	c, err := ctrs.Create(ctx, container.Config{Image: "alpine", Cmd: []string{"echo", "hi"}},
//		container.Name("hello"), container.WithHostConfig(container.HostConfig{NetworkMode: "none"}))
//
// Required inputs are arguments and request bodies are plain structs whose
// zero value asks for the daemon's defaults; optional query parameters are
// per-call options named after the parameter (All, Follow, Since, Signal,
// ...). An option only compiles with the operations it applies to.
//
// Streams: Logs returns a *stream.Reader that knows whether the output is
// multiplexed (it asks the container's TTY setting on daemons older than API
// 1.42, whose Content-Type cannot be trusted); Attach and ExecStart return a
// hijacked *stream.Conn whose CloseWrite ends the process's stdin; Stats is
// an iter.Seq2 that closes its connection when the loop ends; Export and
// CopyFrom return tar streams that are never buffered whole.
//
// Errors from the daemon are *docker.Error values matching the docker
// sentinels (docker.ErrNotFound for an unknown id, docker.ErrConflict for a
// name in use, docker.ErrInvalidArgument for a bad configuration); inputs
// that are invalid before anything is sent (an empty id) give plain errors.
package container
