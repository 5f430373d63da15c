package dockertest

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/berth-go/berth/docker/container"
)

// ctrMount is one mount of a container, as inspect reports it.
type ctrMount struct {
	typ         container.MountType
	vol         *fakeVolume // for volume mounts
	source      string      // a bind mount's host path
	dest        string
	mode        string
	rw          bool
	propagation string
}

func (m ctrMount) point() container.MountPoint {
	mp := container.MountPoint{Type: m.typ, Source: m.source, Destination: m.dest, Mode: m.mode, RW: m.rw, Propagation: m.propagation}
	if m.vol != nil {
		mp.Name, mp.Source, mp.Driver = m.vol.name, m.vol.mountpoint(), m.vol.driver
	}
	return mp
}

// mountPoints renders the container's mounts for inspect and list.
func (c *fakeContainer) mountPoints() []container.MountPoint {
	out := []container.MountPoint{}
	for _, m := range c.mounts {
		out = append(out, m.point())
	}
	return out
}

// usesVolume reports whether c mounts the volume named v or mounts
// something at v, for the container list's volume filter.
func (c *fakeContainer) usesVolume(v string) bool {
	for _, m := range c.mounts {
		if m.dest == v || m.vol != nil && m.vol.name == v {
			return true
		}
	}
	return false
}

// setUpMountsLocked resolves a new container's Binds, Mounts and the
// volumes of its Config and its image: named volumes are created when missing (and take the
// image's files at their mount point), anonymous ones made, and the
// container's file system sees each volume's files at its mount point, so
// containers sharing a volume share its files. The caller holds s.mu.
func (s *Server) setUpMountsLocked(c *fakeContainer) (int, string) {
	var fsms []fsMount
	seen := map[string]bool{}
	add := func(m ctrMount, fsm *fsMount) (int, string) {
		if seen[m.dest] {
			return 400, "Duplicate mount point: " + m.dest
		}
		seen[m.dest] = true
		c.mounts = append(c.mounts, m)
		if fsm != nil {
			fsm.at = m.dest
			fsms = append(fsms, *fsm)
		}
		return 0, ""
	}
	addVolume := func(name, dest, mode string, rw, noCopy bool, labels map[string]string, driver container.Driver, subpath string) (int, string) {
		v, status, msg := s.newVolumeLocked(name, driver.Name, labels, driver.Options)
		if v == nil {
			return status, msg
		}
		if !noCopy && v.files.isEmpty() {
			if st, ok := c.image.files.stat(dest); ok && st.Mode.IsDir() {
				c.image.files.copyTree(dest, v.files, "/")
			}
		}
		return add(ctrMount{typ: container.MountVolume, vol: v, dest: dest, mode: mode, rw: rw},
			&fsMount{fs: v.files, root: clean(subpath), ro: !rw})
	}
	for _, b := range c.host.Binds {
		src, dest, mode, status, msg := parseBind(b)
		if status != 0 {
			return status, msg
		}
		rw := !hasMode(mode, "ro")
		if path.IsAbs(src) {
			if status, msg := add(ctrMount{typ: container.MountBind, source: src, dest: dest, mode: mode, rw: rw, propagation: "rprivate"}, nil); status != 0 {
				return status, msg
			}
			continue
		}
		if mode == "" {
			mode = "z"
		}
		if status, msg := addVolume(src, dest, mode, rw, hasMode(mode, "nocopy"), nil, container.Driver{}, "/"); status != 0 {
			return status, msg
		}
	}
	for _, m := range c.host.Mounts {
		if m.Target == "" {
			return 400, fmt.Sprintf("invalid mount config for type %q: field Target must not be empty", m.Type)
		}
		dest := clean(m.Target)
		var status int
		var msg string
		switch m.Type {
		case container.MountVolume:
			o := m.VolumeOptions
			status, msg = addVolume(m.Source, dest, "z", !m.ReadOnly, o.NoCopy, o.Labels, o.DriverConfig, "/"+o.Subpath)
		case container.MountBind:
			prop := m.BindOptions.Propagation
			if prop == "" {
				prop = "rprivate"
			}
			status, msg = add(ctrMount{typ: m.Type, source: m.Source, dest: dest, rw: !m.ReadOnly, propagation: prop}, nil)
		case container.MountTmpfs:
			if m.Source != "" {
				return 400, "invalid mount config for type \"tmpfs\": field Source must not be specified"
			}
			status, msg = add(ctrMount{typ: m.Type, dest: dest, rw: !m.ReadOnly}, &fsMount{fs: newEmptyFS(), root: "/", ro: m.ReadOnly})
		default:
			status, msg = add(ctrMount{typ: m.Type, source: m.Source, dest: dest, rw: !m.ReadOnly}, nil)
		}
		if status != 0 {
			return status, msg
		}
	}
	// The container's Config.Volumes and the image's are anonymous
	// volumes alike, as the Engine merges them.
	var anonVolumes []string
	for _, vols := range []map[string]struct{}{c.config.Volumes, c.image.config.Volumes} {
		for p := range vols {
			anonVolumes = append(anonVolumes, clean(p))
		}
	}
	sort.Strings(anonVolumes)
	for _, p := range anonVolumes {
		if !seen[p] {
			if status, msg := addVolume("", p, "", true, false, nil, container.Driver{}, "/"); status != 0 {
				return status, msg
			}
		}
	}
	if err := c.files.setMounts(fsms); err != nil {
		return 500, err.Error()
	}
	return 0, ""
}

// parseBind splits a Binds entry "source:destination[:mode]".
func parseBind(spec string) (src, dest, mode string, status int, msg string) {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return "", "", "", 400, "invalid volume specification: '" + spec + "'"
	}
	src, dest = parts[0], parts[1]
	if len(parts) == 3 {
		mode = parts[2]
	}
	if !path.IsAbs(dest) {
		return "", "", "", 400, fmt.Sprintf("invalid volume specification: '%s': invalid mount config for type \"volume\": invalid mount path: '%s' mount path must be absolute", spec, dest)
	}
	for _, m := range strings.Split(mode, ",") {
		switch m {
		case "", "ro", "rw", "z", "Z", "nocopy", "shared", "rshared", "slave", "rslave", "private", "rprivate", "consistent", "cached", "delegated":
		default:
			return "", "", "", 400, "invalid mode: " + mode
		}
	}
	return src, clean(dest), mode, 0, ""
}

func hasMode(mode, m string) bool {
	for _, x := range strings.Split(mode, ",") {
		if x == m {
			return true
		}
	}
	return false
}
