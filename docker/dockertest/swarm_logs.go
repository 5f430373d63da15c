package dockertest

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// taskLogs is where one task's output is read from.
type taskLogs struct {
	ctr     *fakeContainer
	details string // "com.docker.swarm.node.id=...,... " for details=1
	next    int    // the index of the next entry to send
}

func (s *Server) handleServiceLogs(w http.ResponseWriter, r *http.Request, p params) {
	s.swarmLogs(w, r, func(sw *fakeSwarm) ([]*fakeTask, bool, bool) {
		svc := sw.findService(p["id"])
		if svc == nil {
			return nil, false, false
		}
		var tasks []*fakeTask
		for _, t := range sw.tasks {
			if t.ServiceID == svc.ID {
				tasks = append(tasks, t)
			}
		}
		cs := svc.Spec.TaskTemplate.ContainerSpec
		return tasks, cs != nil && cs.TTY, true
	}, "service "+p["id"]+" not found")
}

func (s *Server) handleTaskLogs(w http.ResponseWriter, r *http.Request, p params) {
	s.swarmLogs(w, r, func(sw *fakeSwarm) ([]*fakeTask, bool, bool) {
		t := sw.findTask(p["id"])
		if t == nil {
			return nil, false, false
		}
		cs := t.Spec.ContainerSpec
		return []*fakeTask{t}, cs != nil && cs.TTY, true
	}, "task "+p["id"]+" not found")
}

// swarmLogs answers a service's or task's logs: the output of the tasks'
// containers, framed like container logs, lines of different tasks in
// time order. pick returns the tasks, whether they have a TTY, and false
// when the object is gone. Following polls for new output and new tasks
// until the client goes, the object is removed or the server closes.
func (s *Server) swarmLogs(w http.ResponseWriter, r *http.Request, pick func(sw *fakeSwarm) ([]*fakeTask, bool, bool), notFound string) {
	q := r.URL.Query()
	stdout, stderr := isTrue(q.Get("stdout")), isTrue(q.Get("stderr"))
	if !stdout && !stderr {
		writeError(w, http.StatusBadRequest, "Bad parameters: you must choose at least one stream")
		return
	}
	since, ok := parseEventTime(q.Get("since"), time.Now())
	if !ok {
		writeError(w, http.StatusBadRequest, "invalid since: "+q.Get("since"))
		return
	}
	tail := -1
	if v := q.Get("tail"); v != "" && v != "all" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid tail: "+v)
			return
		}
		tail = n
	}
	details := isTrue(q.Get("details"))
	sources := map[*fakeContainer]*taskLogs{}
	// refresh adds the containers of tasks not seen yet; false when the
	// object is gone.
	refresh := func(sw *fakeSwarm) (tty, found bool) {
		tasks, tty, found := pick(sw)
		for _, t := range tasks {
			if t.ctr == nil || sources[t.ctr] != nil {
				continue
			}
			src := &taskLogs{ctr: t.ctr}
			if details {
				src.details = "com.docker.swarm.node.id=" + t.NodeID + ",com.docker.swarm.service.id=" + t.ServiceID +
					",com.docker.swarm.task.id=" + t.ID + " "
			}
			sources[t.ctr] = src
		}
		return tty, found
	}
	var tty, found bool
	s.withSwarm(w, func(sw *fakeSwarm) {
		if tty, found = refresh(sw); !found {
			writeError(w, http.StatusNotFound, notFound)
		}
	})
	if !found {
		return
	}
	w.Header().Set("Content-Type", streamContentType(r, tty))
	w.WriteHeader(http.StatusOK)
	out := newOutputWriter(w, tty, isTrue(q.Get("timestamps")), stdout, stderr)
	flush := func() { _ = http.NewResponseController(w).Flush() }
	first := true
	send := func() bool {
		var batch []logEntry
		for _, src := range sources {
			entries, next, _, _ := src.ctr.logs.snapshot(src.next)
			src.next = next
			if first && tail >= 0 {
				entries = tailLines(entries, tail, stdout, stderr)
			}
			for _, e := range entries {
				if !since.IsZero() && e.at.Before(since) {
					continue
				}
				if src.details != "" {
					e.data = append([]byte(src.details), e.data...)
				}
				batch = append(batch, e)
			}
		}
		first = false
		sort.SliceStable(batch, func(i, j int) bool { return batch[i].at.Before(batch[j].at) })
		for _, e := range batch {
			if out.write(e) != nil {
				return false
			}
		}
		flush()
		return true
	}
	if !send() || !isTrue(q.Get("follow")) {
		return
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
		s.mu.Lock()
		found = s.state.swarm != nil
		if found {
			_, found = refresh(s.state.swarm)
		}
		s.mu.Unlock()
		if !send() || !found {
			return
		}
	}
}
