package dockertest

import "net/http"

// routes registers every endpoint the fake implements. Anything else
// answers 501.
func (s *Server) routes() {
	rt := &s.router
	rt.add(http.MethodGet, "/_ping", "SystemPing", s.handlePing)
	rt.add(http.MethodHead, "/_ping", "SystemPingHead", s.handlePing)
	rt.add(http.MethodGet, "/version", "SystemVersion", s.handleVersion)
	rt.add(http.MethodGet, "/info", "SystemInfo", s.handleInfo)
	rt.add(http.MethodGet, "/system/df", "SystemDataUsage", s.handleDiskUsage)
	rt.add(http.MethodGet, "/events", "SystemEvents", s.handleEvents)
	rt.add(http.MethodPost, "/auth", "SystemAuth", s.handleAuth)
}
