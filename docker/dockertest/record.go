package dockertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Request is one request the fake served, as recorded for assertions.
// Credentials are never recorded: the X-Registry-Auth, X-Registry-Config
// and Authorization headers and the secret fields of a login body read
// "[redacted]".
type Request struct {
	Time      time.Time
	Method    string
	Path      string // without the version prefix, unescaped
	Version   string // the API version in the path, "" when unversioned
	Operation string // the operation id ("ContainerStart"), "" when no route matched
	Query     url.Values
	Header    http.Header
	Body      []byte // the first 64 KiB of a body that is not a tar stream
}

// maxRecordedBody caps how much of a body is kept.
const maxRecordedBody = 64 << 10

// Requests returns a copy of what the fake has served, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.requests = nil
	s.mu.Unlock()
}

var secretHeaders = []string{"X-Registry-Auth", "X-Registry-Config", "Authorization", "Proxy-Authorization"}

// record stores r, reading at most maxRecordedBody of a JSON body and
// putting the body back for the handler.
func (s *Server) record(r *http.Request, version, path, op string) {
	rec := Request{Time: time.Now(), Method: r.Method, Path: path, Version: version, Operation: op,
		Query: cloneValues(r.URL.Query()), Header: r.Header.Clone()}
	for _, h := range secretHeaders {
		if rec.Header.Get(h) != "" {
			rec.Header.Set(h, "[redacted]")
		}
	}
	ct := r.Header.Get("Content-Type")
	if r.Body != nil && (ct == "" || strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "text/")) {
		head, _ := io.ReadAll(io.LimitReader(r.Body, maxRecordedBody))
		r.Body = readCloser{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
		if op == "SystemAuth" {
			head = redactLogin(head)
		} else if redactedOps[op] && len(head) > 0 {
			head = redactSwarmBody(op, head)
		}
		if len(head) > 0 {
			rec.Body = head
		}
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
}

type readCloser struct {
	io.Reader
	io.Closer
}

func redactLogin(b []byte) []byte {
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return []byte(`"[redacted]"`)
	}
	for _, k := range []string{"password", "auth", "identitytoken", "registrytoken"} {
		if _, ok := m[k]; ok {
			m[k] = "[redacted]"
		}
	}
	out, _ := json.Marshal(m)
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
