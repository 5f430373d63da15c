// Package h1 is a small HTTP/1.1 client transport for one daemon address:
// the http.RoundTripper a berth Client uses unless it is given another.
//
// net/http's Transport serves every kind of HTTP client: proxies, HTTP/2,
// compression, a pool per host, and two goroutines per connection that pass
// every request and response across channels. A Docker client talks
// HTTP/1.1 to one address. Transport does each exchange in the calling
// goroutine on a pooled connection and parses the response head into one
// string, which takes about a third of net/http's allocations per call and
// no goroutine handoffs (bench/ has the figures).
//
// Requests with a streaming body (unknown length, or large) are the
// exception: their body is written by a goroutine while the caller reads
// the response, because the daemon may answer (or send progress) before it
// has read the whole body. That goroutine ends before the response body's
// Close returns.
package h1
