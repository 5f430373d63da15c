// Package image manages Docker images through the Engine API: listing,
// inspecting, pulling and pushing, building, tagging and removing, saving,
// loading, importing and committing, searching, pruning, and inspecting a
// registry's view of an image (distribution).
//
// Bind a Service to a client and call its methods:
//
//	imgs := image.New(cli)
//	for p, err := range imgs.Pull(ctx, "alpine:3.20") {
//		if err != nil {
//			return err // *docker.Error, or *docker.StreamError from inside the stream
//		}
//		fmt.Println(p.ID, p.Status)
//	}
//
// Optional query parameters are per-call options named after the parameter
// (All, Filter, Platform, Tags, ...). An option that an operation does not
// take does not compile with it. Options that need a newer API than the one
// the client negotiated make the call fail with an error matching
// docker.ErrVersion before anything is sent.
//
// Long operations (Pull, Push, Build, Load, Import) return the Engine's
// progress messages as an iter.Seq2[stream.Progress, error]: the request is
// sent when the loop starts and the connection is closed when it ends, on
// break too. An error reported inside the stream ends the loop with a
// *docker.StreamError. The ...AndWait helpers run such a stream to its end,
// optionally drawing it with a stream.Renderer, and return its result.
//
// The package also parses image references the way the docker CLI does
// (ParseReference), and makes build contexts: from a directory honouring its
// .dockerignore (ContextFromDir, streamed with constant memory) or from a few
// files in memory (ContextFromFiles).
package image
