package swarm

import (
	"context"
	"errors"
	"net/http"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// Init makes this node the first manager of a new swarm and returns its
// node id. A node already in a swarm gets docker.ErrUnavailable; a bad
// address or spec docker.ErrInvalidArgument.
//
// API: POST /swarm/init
func (c *Cluster) Init(ctx context.Context, req InitRequest) (string, error) {
	if req.AutoLockManagers {
		// The daemon applies the spec after starting the node, so the spec
		// must say it too (as the docker CLI sends it).
		req.Spec.EncryptionConfig.AutoLockManagers = true
	}
	var nodeID string
	err := c.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/swarm/init", JSON: req}, &nodeID)
	return nodeID, err
}

// Join makes this node join an existing swarm through one of its managers,
// as a worker or a manager depending on the token. A node already in a
// swarm gets docker.ErrUnavailable; a wrong token is
// docker.ErrInvalidArgument, and an unreachable manager the daemon's
// message, both after the daemon's own wait (about 10s on Engine 20.10),
// so bound ctx. Missing required fields are a local error. Neither the
// request's formatting nor berth's errors and logs show the token.
//
// API: POST /swarm/join
func (c *Cluster) Join(ctx context.Context, req JoinRequest) error {
	if len(req.RemoteAddrs) == 0 {
		return errors.New("docker: swarm join: no remote manager address")
	}
	if req.JoinToken == "" {
		return errors.New("docker: swarm join: empty join token")
	}
	return c.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/swarm/join", JSON: req}, nil)
}

// Leave makes this node leave its swarm. A manager needs Force, and the
// last manager leaving ends the swarm. A node in no swarm gets
// docker.ErrUnavailable.
//
// API: POST /swarm/leave
func (c *Cluster) Leave(ctx context.Context, opts ...LeaveOption) error {
	var cfg callConfig
	for _, o := range opts {
		o.applyLeave(&cfg)
	}
	return c.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/swarm/leave", Query: cfg.q.Values()}, nil)
}

// Inspect returns the swarm with its join tokens. Only managers answer; a
// node in no swarm gets docker.ErrUnavailable (a worker too).
//
// API: GET /swarm
func (c *Cluster) Inspect(ctx context.Context) (Info, error) {
	var out Info
	err := c.cli.DoJSON(ctx, &docker.Request{Path: "/swarm"}, &out)
	return out, err
}

// Update replaces the swarm's spec. version must be the Version last read
// (Info.Version): a stale one is refused with a *StaleVersionError, which
// matches docker.ErrConflict.
// The Rotate options issue new join tokens or a new unlock key.
//
// API: POST /swarm/update
func (c *Cluster) Update(ctx context.Context, version Version, spec Spec, opts ...UpdateOption) error {
	var cfg callConfig
	for _, o := range opts {
		o.applyUpdate(&cfg)
	}
	setVersion(&cfg.q, version)
	return staleVersion(c.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/swarm/update", Query: cfg.q.Values(), JSON: spec}, nil))
}

// Unlock unlocks a manager whose keys are locked at rest (autolock on)
// after its daemon restarted; until then the other swarm calls get
// docker.ErrUnavailable. The key is never logged. A wrong key is
// docker.ErrUnauthorized; a manager that is not locked docker.ErrConflict.
//
// API: POST /swarm/unlock
func (c *Cluster) Unlock(ctx context.Context, key string) error {
	if key == "" {
		return errors.New("docker: swarm unlock: empty unlock key")
	}
	body := struct{ UnlockKey string }{key}
	return c.cli.DoJSON(ctx, &docker.Request{Method: http.MethodPost, Path: "/swarm/unlock", JSON: body}, nil)
}

// UnlockKey returns the key that unlocks the managers when autolock is on
// ("" when it is off). Treat it as a secret.
//
// API: GET /swarm/unlockkey
func (c *Cluster) UnlockKey(ctx context.Context) (string, error) {
	var out struct{ UnlockKey string }
	err := c.cli.DoJSON(ctx, &docker.Request{Path: "/swarm/unlockkey"}, &out)
	return out.UnlockKey, err
}

// path builds an endpoint path around one caller-supplied id.
func path(pattern, what, id string) (string, error) {
	return httpx.Path(pattern, what, id)
}
