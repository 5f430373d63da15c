package dockertest

import (
	"net/http"
	"runtime"
	"time"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
)

// engineVersion is the version the fake reports for itself.
const engineVersion = "0.0.0-dockertest"

func (s *Server) handlePing(w http.ResponseWriter, r *http.Request, _ params) {
	w.Header().Set("Builder-Version", "1")
	s.mu.Lock()
	w.Header().Set("Swarm", s.state.swarmHeader())
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-cache, no-store, must-revalidate")
	w.Header().Set("Pragma", "no-cache")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		return
	}
	_, _ = w.Write([]byte("OK"))
}

func (s *Server) handleVersion(w http.ResponseWriter, r *http.Request, _ params) {
	v := docker.ServerVersion{
		Version: engineVersion, APIVersion: s.cfg.apiVersion, MinAPIVersion: minAPIVersion,
		GitCommit: "dockertest", GoVersion: runtime.Version(), Os: "linux", Arch: runtime.GOARCH,
		KernelVersion: "fake", BuildTime: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Components: []docker.ComponentVersion{{Name: "Engine", Version: engineVersion}},
	}
	v.Platform.Name = "dockertest fake Engine"
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request, _ params) {
	s.mu.Lock()
	info := docker.Info{
		ID: "DOCKERTEST", Name: "dockertest", ServerVersion: engineVersion, OSType: "linux", OperatingSystem: "dockertest",
		Architecture: runtime.GOARCH, NCPU: runtime.NumCPU(), MemTotal: 8 << 30, Driver: "memory",
		DockerRootDir: "/var/lib/docker", LoggingDriver: "json-file", CgroupDriver: "none", CgroupVersion: "2",
		DefaultRuntime: "runc", Runtimes: map[string]docker.Runtime{"runc": {Path: "runc"}},
		IndexServerAddress: registry.IndexServer, SystemTime: time.Now().Format(time.RFC3339Nano),
		Swarm: s.state.swarmInfo(),
	}
	s.state.countInto(&info)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, info)
}

// AddRegistryUser makes POST /auth accept exactly these credentials for
// server (and, from then on, refuse any other). Without any registered user
// every login succeeds.
func (s *Server) AddRegistryUser(server, username, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.registryUsers[registry.ServerAddress(server)+"\x00"+username] = password
}

func (s *Server) handleAuth(w http.ResponseWriter, r *http.Request, _ params) {
	var a registry.AuthConfig
	if !decodeBody(w, r, &a) {
		return
	}
	s.mu.Lock()
	users := len(s.state.registryUsers)
	pw, known := s.state.registryUsers[registry.ServerAddress(a.ServerAddress)+"\x00"+a.Username]
	s.mu.Unlock()
	if users > 0 && (!known || pw != a.Password) {
		writeError(w, http.StatusUnauthorized, "Get \"https://"+a.ServerAddress+"/v2/\": unauthorized: incorrect username or password")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"Status": "Login Succeeded"})
}
