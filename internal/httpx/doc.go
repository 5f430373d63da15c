// Package httpx holds the small HTTP helpers that every berth package shares:
// building request paths from caller-supplied segments, encoding query
// parameters the way the Engine reads them, and decoding response bodies.
//
// It knows nothing about Docker resources; it only knows how the Engine's
// HTTP dialect looks on the wire.
package httpx
