package dockertest

import (
	"net/http"
	"net/url"
	"strings"
)

// params are the values of a route's {placeholders}.
type params map[string]string

// handlerFunc serves one route.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p params)

// route is one endpoint. A pattern segment "{x}" matches one path segment;
// "{x*}" matches one or more (image and plugin names contain slashes).
type route struct {
	method  string
	pattern string
	op      string // the operation id of the API spec, e.g. "ContainerStart"
	segs    []string
	h       handlerFunc
}

type router struct{ routes []route }

func (rt *router) add(method, pattern, op string, h handlerFunc) {
	rt.routes = append(rt.routes, route{method: method, pattern: pattern, op: op, segs: splitPath(pattern), h: h})
}

// match finds the route for method and the unversioned, escaped path, and
// its params; nil when no route matches.
func (rt *router) match(method, escapedPath string) (*route, params) {
	raw := splitPath(escapedPath)
	segs := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, nil
		}
		segs[i] = u
	}
	for i := range rt.routes {
		r := &rt.routes[i]
		if r.method != method {
			continue
		}
		if p, ok := matchSegs(r.segs, segs); ok {
			return r, p
		}
	}
	return nil, nil
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func matchSegs(pattern, segs []string) (params, bool) {
	greedy := -1
	for i, s := range pattern {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "*}") {
			greedy = i
		}
	}
	if greedy < 0 {
		if len(pattern) != len(segs) {
			return nil, false
		}
		return matchFixed(pattern, segs, params{})
	}
	after := len(pattern) - greedy - 1
	if len(segs) < len(pattern) {
		return nil, false
	}
	p, ok := matchFixed(pattern[:greedy], segs[:greedy], params{})
	if !ok {
		return nil, false
	}
	p, ok = matchFixed(pattern[greedy+1:], segs[len(segs)-after:], p)
	if !ok {
		return nil, false
	}
	name := strings.Join(segs[greedy:len(segs)-after], "/")
	if name == "" {
		return nil, false
	}
	p[strings.Trim(pattern[greedy], "{*}")] = name
	return p, true
}

func matchFixed(pattern, segs []string, p params) (params, bool) {
	for i, s := range pattern {
		if strings.HasPrefix(s, "{") {
			if segs[i] == "" {
				return nil, false
			}
			p[strings.Trim(s, "{}")] = segs[i]
			continue
		}
		if s != segs[i] {
			return nil, false
		}
	}
	return p, true
}
