// Package cliconfig reads the docker command line tool's configuration
// directory: config.json (registry credentials, credential helpers, the
// current context, extra HTTP headers) and the contexts store (one meta.json
// per context, plus optional TLS material).
//
// The package only reads; it never writes the directory. Its functions keep no
// state and are safe for concurrent use. Errors carry the "docker: " prefix
// and name the file they concern, so callers can wrap them without adding a
// prefix of their own. No error, String or log value made here ever contains a
// password or token.
package cliconfig
