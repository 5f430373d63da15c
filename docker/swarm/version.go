package swarm

import "github.com/berth-go/berth/docker"

// requirement is a field of a request body that needs a newer API version
// than 1.41, the oldest this package is tested against.
type requirement struct {
	version string
	field   string
}

// serviceSpecNeeds returns the newest API version the fields set in spec
// need, and the field that needs it ("" when 1.41 takes it all). Older
// daemons would silently ignore these fields, so the call is refused
// before anything is sent.
func serviceSpecNeeds(spec *ServiceSpec) requirement {
	var need requirement
	note := func(version, field string) {
		if need.version == "" || docker.CompareVersions(version, need.version) > 0 {
			need = requirement{version, field}
		}
	}
	t := &spec.TaskTemplate
	if r := t.Resources; r != nil {
		if r.SwapBytes != nil {
			note("1.52", "TaskTemplate.Resources.SwapBytes")
		}
		if r.MemorySwappiness != nil {
			note("1.52", "TaskTemplate.Resources.MemorySwappiness")
		}
	}
	c := t.ContainerSpec
	if c == nil {
		return need
	}
	if p := c.Privileges; p != nil {
		if p.Seccomp != nil {
			note("1.44", "ContainerSpec.Privileges.Seccomp")
		}
		if p.AppArmor != nil {
			note("1.44", "ContainerSpec.Privileges.AppArmor")
		}
	}
	if c.OomScoreAdj != 0 {
		note("1.46", "ContainerSpec.OomScoreAdj")
	}
	if h := c.Healthcheck; h != nil && h.StartInterval != 0 {
		note("1.44", "ContainerSpec.Healthcheck.StartInterval")
	}
	for _, m := range c.Mounts {
		if m.Type == MountImage || m.ImageOptions != nil {
			note("1.48", "ContainerSpec.Mounts (type image)")
		}
		if b := m.BindOptions; b != nil {
			if b.CreateMountpoint {
				note("1.42", "ContainerSpec.Mounts.BindOptions.CreateMountpoint")
			}
			if b.ReadOnlyNonRecursive || b.ReadOnlyForceRecursive {
				note("1.44", "ContainerSpec.Mounts.BindOptions.ReadOnly*Recursive")
			}
		}
		if v := m.VolumeOptions; v != nil && v.Subpath != "" {
			note("1.45", "ContainerSpec.Mounts.VolumeOptions.Subpath")
		}
		if tm := m.TmpfsOptions; tm != nil && len(tm.Options) > 0 {
			note("1.46", "ContainerSpec.Mounts.TmpfsOptions.Options")
		}
	}
	return need
}
