// Package dockertest is an in-memory fake Docker Engine for tests: an
// httptest server, on a unix socket and on TCP, that keeps state the way the
// Engine does, so code written against berth can be tested in milliseconds
// without a daemon, with failures on demand.
//
//	srv := dockertest.NewServer(t)        // closed when the test ends
//	cli := srv.Client()                   // a *docker.Client already pointed at it
//	... code under test uses cli ...
//	for _, r := range srv.Requests() { ... } // what the fake served
//
// It fakes containers (with the Engine's state machine and programmable
// processes, see HandleProcess), exec, logs, attach, archives, images and
// classic builds, networks, volumes, events, and a single-node swarm
// (nodes, services with tasks, secrets, configs).
//
// The fake advertises API 1.57 unless WithAPIVersion says otherwise, and
// answers versioned paths down to 1.24 as the Engine does; a path with a
// newer version than it advertises gets the Engine's 400. Routes it does not
// implement answer 501 with a message naming the route, never a silent 404.
// Where Engines differ by version it plays the Engine of the version it
// advertises (WithAPIVersion("1.41") for Engine 20.10's behaviour and
// wording), and answers each request as that Engine answers the version in
// the request's path: see DIFFERENCES.md.
//
// Inject makes a route fail: an error status with a message, latency, a
// stream cut after N bytes, a dropped connection, or a body that is not
// JSON, once or every time. It is safe for concurrent use, as is the whole
// Server.
//
// Networks, volumes and builds behave as on the Engine too: addresses are
// allocated when a container starts and released when it stops (nothing
// carries traffic); a volume's files are shared by every container that
// mounts it, so one container's process can write a file another reads;
// POST /build runs a Dockerfile subset (FROM, ARG, ENV, LABEL, COPY, ADD,
// RUN through registered processes, CMD, ENTRYPOINT, WORKDIR, USER, ...)
// and answers with the classic builder's progress stream.
//
// Differences from the real Engine that remain are listed in the file
// DIFFERENCES.md in this directory.
package dockertest
