// Package plugin manages Engine plugins (managed plugins, the v2 plugin
// system): list, inspect, install from a registry, create from a local
// context, configure, enable, disable, push, upgrade and remove them.
//
// A Service is bound to one *docker.Client:
//
//	plugins := plugin.New(cli)
//	privs, err := plugins.Privileges(ctx, "registry.local:5000/acme/volumes:1.0")
//	// show privs to the user and ask; then install, accepting them:
//	for p, err := range plugins.Pull(ctx, "registry.local:5000/acme/volumes:1.0", privs) {
//		...
//	}
//	err = plugins.Enable(ctx, "registry.local:5000/acme/volumes:1.0", plugin.Timeout(30*time.Second))
//
// Pull, Push and Upgrade return their progress as iter.Seq2[stream.Progress,
// error]: the request is sent when the loop starts, the response closes when
// it ends, and an error reported inside the stream is yielded as a
// *docker.StreamError.
//
// Plugin names and remote references may omit the ":latest" tag. Errors are
// *docker.Error values for the daemon's answers, matching the sentinels of
// package docker with errors.Is (a plugin that is not installed is
// docker.ErrNotFound); invalid input caught locally (an empty name) is a
// plain error and nothing is sent.
package plugin
