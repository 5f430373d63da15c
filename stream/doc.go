// Package stream reads and writes the byte streams of the Docker Engine API.
//
// Three kinds of stream come back from the Engine:
//
//   - Container output (logs, attach, exec) in the multiplexed format: a
//     sequence of frames, each an 8-byte header (the stream [Kind] in byte 0,
//     three zero bytes, the payload length as a big-endian uint32) followed by
//     its payload. [Demux] splits such a stream into stdout and stderr,
//     [Frames] reads it frame by frame and [NewWriter] produces it. A container
//     created with a TTY sends raw bytes instead; [IsMultiplexed] tells the two
//     apart from the response's Content-Type and the container's TTY flag, and
//     [Reader] carries that decision with the body.
//   - Hijacked connections (attach, exec start): [Conn] is the raw
//     bidirectional session, with [Conn.CloseWrite] to signal the end of stdin.
//   - Streams of JSON objects (events, stats, pull, push, build, load):
//     [Decode] turns them into an iterator, and [Progress] with [Renderer]
//     covers the progress messages of image operations.
//
// Nothing in this package guesses: a multiplexed stream that is cut short, or
// whose header is malformed, is an error, never silently dropped bytes, and
// no input makes the readers here allocate more than a fixed buffer. The
// readers are strict about the three header bytes the format keeps at zero:
// other values are an error, which also catches raw TTY output mistaken for
// multiplexed output before it turns into garbage.
//
// Errors made here start with "stream: "; errors of the underlying readers,
// writers and connections are returned as they are, or wrapped with %w.
package stream
