package volume

import (
	"context"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// Prune removes the volumes no container uses, limited by the Filter
// options (label, label!), and reports which it removed and the space
// freed. From API 1.42 the daemon spares named volumes unless All is given;
// older daemons prune named and anonymous volumes alike (see All). An
// unknown filter is docker.ErrInvalidArgument.
//
// API: POST /volumes/prune
func (s *Service) Prune(ctx context.Context, opts ...PruneOption) (PruneReport, error) {
	var cfg callConfig
	for _, o := range opts {
		o.applyPrune(&cfg)
	}
	if cfg.all {
		v, err := s.cli.NegotiateAPIVersion(ctx)
		if err != nil {
			return PruneReport{}, err
		}
		if docker.CompareVersions(v, "1.42") >= 0 {
			f := cfg.filters.Clone()
			if f == nil {
				f = docker.Filters{}
			}
			f["all"] = []string{"true"}
			cfg.filters = f
		}
	}
	var q httpx.Query
	q.Filters(cfg.filters)
	var out PruneReport
	err := s.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/volumes/prune", Query: q.Values()}, &out)
	return out, err
}
