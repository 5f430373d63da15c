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
// The fake advertises API 1.56 unless WithAPIVersion says otherwise, and
// answers versioned paths down to 1.24 as the Engine does; a path with a
// newer version than it advertises gets the Engine's 400. Routes it does not
// implement answer 501 with a message naming the route, never a silent 404.
//
// Inject makes a route fail: an error status with a message, latency, a
// stream cut after N bytes, a dropped connection, or a body that is not
// JSON, once or every time. It is safe for concurrent use, as is the whole
// Server.
//
// Differences from the real Engine that remain are listed in the file
// DIFFERENCES in this directory.
package dockertest
