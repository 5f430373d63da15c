package dockertest

import "net/http"

// routes registers every endpoint the fake implements. Anything else
// answers 501.
func (s *Server) routes() {
	rt := &s.router
	const get, post, del, put, head = http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut, http.MethodHead

	rt.add(get, "/_ping", "SystemPing", s.handlePing)
	rt.add(head, "/_ping", "SystemPingHead", s.handlePing)
	rt.add(get, "/version", "SystemVersion", s.handleVersion)
	rt.add(get, "/info", "SystemInfo", s.handleInfo)
	rt.add(get, "/system/df", "SystemDataUsage", s.handleDiskUsage)
	rt.add(get, "/events", "SystemEvents", s.handleEvents)
	rt.add(post, "/auth", "SystemAuth", s.handleAuth)

	rt.add(get, "/containers/json", "ContainerList", s.handleContainerList)
	rt.add(post, "/containers/create", "ContainerCreate", s.handleContainerCreate)
	rt.add(post, "/containers/prune", "ContainerPrune", s.handleContainerPrune)
	rt.add(get, "/containers/{id}/json", "ContainerInspect", s.handleContainerInspect)
	rt.add(post, "/containers/{id}/start", "ContainerStart", s.handleContainerStart)
	rt.add(post, "/containers/{id}/stop", "ContainerStop", s.handleContainerStop)
	rt.add(post, "/containers/{id}/restart", "ContainerRestart", s.handleContainerRestart)
	rt.add(post, "/containers/{id}/kill", "ContainerKill", s.handleContainerKill)
	rt.add(post, "/containers/{id}/pause", "ContainerPause", s.handleContainerPause)
	rt.add(post, "/containers/{id}/unpause", "ContainerUnpause", s.handleContainerUnpause)
	rt.add(post, "/containers/{id}/rename", "ContainerRename", s.handleContainerRename)
	rt.add(post, "/containers/{id}/update", "ContainerUpdate", s.handleContainerUpdate)
	rt.add(del, "/containers/{id}", "ContainerDelete", s.handleContainerRemove)
	rt.add(post, "/containers/{id}/wait", "ContainerWait", s.handleContainerWait)
	rt.add(get, "/containers/{id}/top", "ContainerTop", s.handleContainerTop)
	rt.add(get, "/containers/{id}/changes", "ContainerChanges", s.handleContainerChanges)
	rt.add(post, "/containers/{id}/resize", "ContainerResize", s.handleContainerResize)
	rt.add(get, "/containers/{id}/logs", "ContainerLogs", s.handleContainerLogs)
	rt.add(post, "/containers/{id}/attach", "ContainerAttach", s.handleContainerAttach)
	rt.add(get, "/containers/{id}/stats", "ContainerStats", s.handleContainerStats)
	rt.add(get, "/containers/{id}/export", "ContainerExport", s.handleContainerExport)
	rt.add(head, "/containers/{id}/archive", "ContainerArchiveInfo", s.handleArchiveStat)
	rt.add(get, "/containers/{id}/archive", "ContainerArchive", s.handleArchiveGet)
	rt.add(put, "/containers/{id}/archive", "PutContainerArchive", s.handleArchivePut)

	rt.add(post, "/containers/{id}/exec", "ContainerExec", s.handleExecCreate)
	rt.add(post, "/exec/{id}/start", "ExecStart", s.handleExecStart)
	rt.add(post, "/exec/{id}/resize", "ExecResize", s.handleExecResize)
	rt.add(get, "/exec/{id}/json", "ExecInspect", s.handleExecInspect)

	rt.add(get, "/images/json", "ImageList", s.handleImageList)
	rt.add(post, "/images/create", "ImageCreate", s.handleImageCreate)
	rt.add(get, "/images/{name*}/json", "ImageInspect", s.handleImageInspect)
	rt.add(get, "/images/{name*}/history", "ImageHistory", s.handleImageHistory)
	rt.add(get, "/images/{name*}/attestations", "ImageAttestations", s.handleImageAttestations)
	rt.add(post, "/images/{name*}/tag", "ImageTag", s.handleImageTag)
	rt.add(del, "/images/{name*}", "ImageDelete", s.handleImageDelete)
	rt.add(post, "/build", "ImageBuild", s.handleBuild)
	rt.add(post, "/build/prune", "BuildPrune", s.handleBuildPrune)

	rt.add(get, "/networks", "NetworkList", s.handleNetworkList)
	rt.add(post, "/networks/create", "NetworkCreate", s.handleNetworkCreate)
	rt.add(post, "/networks/prune", "NetworkPrune", s.handleNetworkPrune)
	rt.add(get, "/networks/{id}", "NetworkInspect", s.handleNetworkInspect)
	rt.add(del, "/networks/{id}", "NetworkDelete", s.handleNetworkRemove)
	rt.add(post, "/networks/{id}/connect", "NetworkConnect", s.handleNetworkConnect)
	rt.add(post, "/networks/{id}/disconnect", "NetworkDisconnect", s.handleNetworkDisconnect)

	rt.add(get, "/volumes", "VolumeList", s.handleVolumeList)
	rt.add(post, "/volumes/create", "VolumeCreate", s.handleVolumeCreate)
	rt.add(post, "/volumes/prune", "VolumePrune", s.handleVolumePrune)
	rt.add(get, "/volumes/{name}", "VolumeInspect", s.handleVolumeInspect)
	rt.add(put, "/volumes/{name}", "VolumeUpdate", s.handleVolumeUpdate)
	rt.add(del, "/volumes/{name}", "VolumeDelete", s.handleVolumeRemove)

	s.swarmRoutes()
}
