package dockertest

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/berth-go/berth/docker/swarm"
)

// fakeObject is a secret or a config: both keep a name, labels and data.
type fakeObject struct {
	id         string
	version    swarm.Version
	created    time.Time
	updated    time.Time
	name       string
	labels     map[string]string
	data       []byte
	driver     *swarm.Driver
	templating *swarm.Driver
}

// objectKind is what differs between secrets and configs.
type objectKind struct {
	name    string // "secret" or "config"
	maxSize int    // the data limit, in bytes
	store   func(sw *fakeSwarm) map[string]*fakeObject
	// out is the API's shape; secrets never show their data.
	out func(o *fakeObject) any
}

var (
	secretKind = objectKind{name: "secret", maxSize: 500 * 1024,
		store: func(sw *fakeSwarm) map[string]*fakeObject { return sw.secrets },
		out: func(o *fakeObject) any {
			return swarm.Secret{ID: o.id, Version: o.version, CreatedAt: o.created, UpdatedAt: o.updated,
				Spec: swarm.SecretSpec{Name: o.name, Labels: o.labels, Driver: o.driver, Templating: o.templating}}
		}}
	configKind = objectKind{name: "config", maxSize: 1000 * 1024,
		store: func(sw *fakeSwarm) map[string]*fakeObject { return sw.configs },
		out: func(o *fakeObject) any {
			return swarm.Config{ID: o.id, Version: o.version, CreatedAt: o.created, UpdatedAt: o.updated,
				Spec: swarm.ConfigSpec{Name: o.name, Labels: o.labels, Data: o.data, Templating: o.templating}}
		}}
)

// objectSpec is the body of a secret's or a config's create and update.
type objectSpec struct {
	Name       string
	Labels     map[string]string
	Data       []byte
	Driver     *swarm.Driver
	Templating *swarm.Driver
}

// find resolves a full id, a name or a unique id prefix, as the Engine
// does.
func (k objectKind) find(sw *fakeSwarm, ref string) *fakeObject {
	objs := k.store(sw)
	if o, ok := objs[ref]; ok {
		return o
	}
	var byPrefix *fakeObject
	n := 0
	for id, o := range objs {
		if o.name == ref {
			return o
		}
		if strings.HasPrefix(id, ref) {
			byPrefix, n = o, n+1
		}
	}
	if n == 1 {
		return byPrefix
	}
	return nil
}

func (s *Server) objectHandlers(k objectKind) (list, create, inspect, update, remove handlerFunc) {
	list = func(w http.ResponseWriter, r *http.Request, _ params) {
		f, ok := swarmFilters(w, r, "id", "label", "name", "names")
		if !ok {
			return
		}
		s.withSwarm(w, func(sw *fakeSwarm) {
			objs := make([]*fakeObject, 0, len(k.store(sw)))
			for _, o := range k.store(sw) {
				if anyOf(f, "id", func(v string) bool { return strings.HasPrefix(o.id, v) }) &&
					anyOf(f, "name", func(v string) bool { return strings.HasPrefix(o.name, v) }) &&
					anyOf(f, "names", func(v string) bool { return o.name == v }) &&
					labelsMatch(o.labels, f["label"]) {
					objs = append(objs, o)
				}
			}
			sort.Slice(objs, func(i, j int) bool { return objs[i].created.Before(objs[j].created) })
			out := make([]any, 0, len(objs))
			for _, o := range objs {
				out = append(out, k.out(o))
			}
			writeJSON(w, http.StatusOK, out)
		})
	}
	create = func(w http.ResponseWriter, r *http.Request, _ params) {
		var spec objectSpec
		if !decodeBody(w, r, &spec) {
			return
		}
		s.withSwarm(w, func(sw *fakeSwarm) {
			if msg := k.validate(&spec); msg != "" {
				writeError(w, http.StatusBadRequest, msg)
				return
			}
			for _, o := range k.store(sw) {
				if o.name == spec.Name {
					writeError(w, http.StatusConflict, fmt.Sprintf("rpc error: code = AlreadyExists desc = %s %s already exists", k.name, spec.Name))
					return
				}
			}
			now := time.Now().UTC()
			o := &fakeObject{id: swarmID(), version: sw.next(), created: now, updated: now, name: spec.Name,
				labels: spec.Labels, data: spec.Data, driver: spec.Driver, templating: spec.Templating}
			if k.name == "secret" && spec.Driver != nil {
				o.data = nil
			}
			k.store(sw)[o.id] = o
			s.emitSwarm(k.name, "create", o.id, map[string]string{"name": o.name})
			writeJSON(w, http.StatusCreated, map[string]string{"ID": o.id})
		})
	}
	inspect = func(w http.ResponseWriter, r *http.Request, p params) {
		s.withSwarm(w, func(sw *fakeSwarm) {
			o := k.find(sw, p["id"])
			if o == nil {
				writeError(w, http.StatusNotFound, k.name+" "+p["id"]+" not found")
				return
			}
			writeJSON(w, http.StatusOK, k.out(o))
		})
	}
	update = func(w http.ResponseWriter, r *http.Request, p params) {
		var spec objectSpec
		if !decodeBody(w, r, &spec) {
			return
		}
		version, ok := readVersion(w, r)
		if !ok {
			return
		}
		s.withSwarm(w, func(sw *fakeSwarm) {
			o := k.find(sw, p["id"])
			switch {
			case o == nil:
				writeError(w, http.StatusNotFound, k.name+" "+p["id"]+" not found")
			case spec.Name != o.name || len(spec.Data) > 0 && !bytes.Equal(spec.Data, o.data):
				writeError(w, http.StatusBadRequest, "rpc error: code = InvalidArgument desc = only updates to Labels are allowed")
			case version != o.version.Index:
				writeError(w, http.StatusInternalServerError, errOutOfSequence)
			default:
				o.labels, o.version, o.updated = spec.Labels, sw.next(), time.Now().UTC()
				s.emitSwarm(k.name, "update", o.id, map[string]string{"name": o.name})
				w.WriteHeader(http.StatusOK)
			}
		})
	}
	remove = func(w http.ResponseWriter, r *http.Request, p params) {
		s.withSwarm(w, func(sw *fakeSwarm) {
			o := k.find(sw, p["id"])
			if o == nil {
				writeError(w, http.StatusNotFound, k.name+" "+p["id"]+" not found")
				return
			}
			if users := sw.servicesUsing(k.name, o.id); len(users) > 0 {
				plural := ""
				if len(users) > 1 {
					plural = "s"
				}
				writeError(w, http.StatusBadRequest, fmt.Sprintf("rpc error: code = InvalidArgument desc = %s '%s' is in use by the following service%s: %s",
					k.name, o.name, plural, strings.Join(users, ", ")))
				return
			}
			delete(k.store(sw), o.id)
			s.emitSwarm(k.name, "remove", o.id, map[string]string{"name": o.name})
			w.WriteHeader(http.StatusNoContent)
		})
	}
	return list, create, inspect, update, remove
}

// validate checks a new object's spec; it returns the Engine's message.
func (k objectKind) validate(spec *objectSpec) string {
	if spec.Name == "" || !validName.MatchString(spec.Name) && len(spec.Name) > 1 {
		return "rpc error: code = InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]"
	}
	if k.name == "secret" && spec.Driver != nil {
		return ""
	}
	if len(spec.Data) == 0 || len(spec.Data) >= k.maxSize {
		return fmt.Sprintf("rpc error: code = InvalidArgument desc = %s data must be larger than 0 and less than %d bytes", k.name, k.maxSize)
	}
	return ""
}

// servicesUsing lists the names of the services whose tasks refer to the
// secret or config id.
func (sw *fakeSwarm) servicesUsing(kind, id string) []string {
	var names []string
	for _, svc := range sw.services {
		cs := svc.Spec.TaskTemplate.ContainerSpec
		if cs == nil {
			continue
		}
		used := false
		for _, ref := range cs.Secrets {
			used = used || kind == "secret" && ref.SecretID == id
		}
		for _, ref := range cs.Configs {
			used = used || kind == "config" && ref.ConfigID == id
		}
		if used {
			names = append(names, svc.Spec.Name)
		}
	}
	sort.Strings(names)
	return names
}
