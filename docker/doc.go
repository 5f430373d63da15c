// Package docker is the core of berth, a client for the Docker Engine HTTP
// API: the Client, its options, API version negotiation, errors, the system
// endpoints (Ping, Version, Info, DiskUsage, Events, Login, Session) and the
// low-level calls (Do, DoJSON, Hijack, StreamJSON) that the resource
// packages (container, image, network, volume, swarm, plugin) build on.
//
// A Client is made once and shared:
//
//	cli, err := docker.New(docker.FromEnv())
//	if err != nil {
//		return err
//	}
//	defer cli.Close()
//
// New reads nothing and dials nothing by itself: FromEnv (DOCKER_HOST,
// DOCKER_CONTEXT, DOCKER_API_VERSION, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH,
// DOCKER_CONFIG) and WithContext read the docker CLI's environment and
// configuration; WithHost names a daemon directly (unix://, tcp://, http://,
// https://, ssh://, npipe://).
//
// Unless WithAPIVersion pins it, the API version is negotiated once, on the
// first request, as min(MaxAPIVersion, the daemon's version). Methods whose
// endpoint or parameter needs a newer version fail with ErrVersion before
// sending anything.
//
// Requests go over HTTP/1.1 through one net/http *http.Transport per Client,
// shaped by the host: a dialer for the unix socket, named pipe or ssh
// command; for tcp:// and https:// hosts a dial timeout, TLS that offers
// only HTTP/1.1, and the proxy the environment names (HTTP_PROXY,
// HTTPS_PROXY, NO_PROXY). WithTransport and WithHTTPClient replace it with
// any http.RoundTripper or *http.Client, for tracing or recording. Attach,
// exec and sessions take over their connection, which a RoundTripper cannot
// give back: they dial the host themselves with the same dialer and TLS
// settings.
//
// Two endpoints are deprecated by the Engine since API 1.53 and will go:
// POST /session, which Session wraps (marked Deprecated), and POST /grpc,
// BuildKit's gRPC endpoint, which is not part of the documented API and
// which berth does not wrap.
//
// Errors from the daemon are *Error values that match the sentinels
// (ErrNotFound, ErrConflict, ...) with errors.Is. Streams of JSON objects
// (events, stats, progress) are iter.Seq2 sequences: the request is sent when
// the loop starts and the connection is closed when the loop ends.
package docker
