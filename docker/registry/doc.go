// Package registry holds what a client needs to authenticate to image
// registries through the Engine: the AuthConfig the Engine accepts, its
// encodings for the X-Registry-Auth and X-Registry-Config headers, and a Store
// that finds a registry's credentials the way the docker CLI does (config.json
// "auths", a default credential store, per-registry credential helpers).
//
// Secrets (passwords, identity and registry tokens, the "auth" field) never
// appear in String, GoString, fmt output of any verb, slog output, or error
// messages made by this package. encoding/json sees them, as the Engine must.
package registry
