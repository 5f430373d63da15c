package dockertest

import (
	"fmt"
	"net/http"

	"github.com/berth-go/berth/docker/container"
)

// createForVersion makes a create request what the Engine keeps of it:
// fields newer than the request's API version are dropped, as the
// Engine's router drops them, and limits the API removed are ignored from
// the version that removed them. It answers a status and message for a
// request the Engine the fake plays refuses.
func (s *Server) createForVersion(r *http.Request, body *createBody) (int, string) {
	if body.Healthcheck != nil && !atLeast(r, "1.44") {
		body.Healthcheck.StartInterval = 0
	}
	hc := body.HostConfig
	if hc == nil {
		return 0, ""
	}
	hc.Resources = resourcesForVersion(r, hc.Resources)
	if !atLeast(r, "1.42") {
		hc.ConsoleSize = [2]uint{}
	}
	if !atLeast(r, "1.43") {
		hc.Annotations = nil
	}
	if !atLeast(r, "1.56") {
		hc.Umask = nil
	}
	for i := range hc.Mounts {
		m := &hc.Mounts[i]
		if !atLeast(r, "1.42") {
			m.BindOptions.CreateMountpoint = false
		}
		if !atLeast(r, "1.44") {
			m.BindOptions.ReadOnlyNonRecursive, m.BindOptions.ReadOnlyForceRecursive = false, false
		}
		if !atLeast(r, "1.45") {
			m.VolumeOptions.Subpath = ""
		}
		if !atLeast(r, "1.46") {
			m.TmpfsOptions.Options = nil
		}
		// Engines from 23 (API 1.42) refuse the options of another type of
		// mount; 20.10 ignored them.
		if s.engineAtLeast("1.42") {
			if field := mismatchedOptions(*m); field != "" {
				return 400, fmt.Sprintf("invalid mount config for type %q: field %s must not be specified", m.Type, field)
			}
		}
	}
	return 0, ""
}

// mismatchedOptions names the options struct of m that belongs to another
// type of mount, "" when there is none.
func mismatchedOptions(m container.Mount) string {
	switch {
	case m.Type != container.MountBind && m.BindOptions != (container.BindOptions{}):
		return "BindOptions"
	case m.Type != container.MountVolume && !isZeroVolumeOptions(m.VolumeOptions):
		return "VolumeOptions"
	case m.Type != container.MountTmpfs && (m.TmpfsOptions.SizeBytes != 0 || m.TmpfsOptions.Mode != 0 || len(m.TmpfsOptions.Options) > 0):
		return "TmpfsOptions"
	}
	return ""
}

func isZeroVolumeOptions(o container.VolumeOptions) bool {
	return !o.NoCopy && len(o.Labels) == 0 && o.DriverConfig.Name == "" && len(o.DriverConfig.Options) == 0 && o.Subpath == ""
}

// resourcesForVersion drops the limits a create or update of the request's
// API version no longer takes: KernelMemory from 1.42, KernelMemoryTCP
// from 1.52.
func resourcesForVersion(r *http.Request, res container.Resources) container.Resources {
	if atLeast(r, "1.42") {
		res.KernelMemory = 0
	}
	if atLeast(r, "1.52") {
		res.KernelMemoryTCP = 0
	}
	return res
}
