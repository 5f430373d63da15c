package swarm

import (
	"fmt"
	"log/slog"

	"github.com/berth-go/berth/docker"
)

// Spec is the user-modifiable configuration of the swarm (Raft, CA,
// dispatcher, orchestration, encryption at rest, task defaults). It is the
// core's docker.SwarmSpec, which GET /info also reports.
type Spec = docker.SwarmSpec

// Version is the version of a swarm object. Updates send the Version they
// read last; the daemon refuses one that is no longer current.
type Version = docker.ObjectVersion

// TLSInfo is the swarm's trust root and certificate issuer.
type TLSInfo = docker.TLSInfo

// GenericResource is a user-defined resource a node offers or a task needs
// (a GPU by id, a count of SSDs).
type GenericResource = docker.GenericResource

// LogDriver names a logging driver and its options (task defaults, task
// templates).
type LogDriver = docker.LogDriver

// Info is the swarm as GET /swarm reports it to a manager: the cluster's
// configuration and state, plus the tokens to join it.
type Info struct {
	docker.ClusterInfo
	JoinTokens JoinTokens
}

// JoinTokens are the secrets workers and managers present to join the
// swarm. String, fmt and slog never show them: read the fields.
type JoinTokens struct {
	Worker  string
	Manager string
}

// String hides both tokens.
func (t JoinTokens) String() string {
	return fmt.Sprintf("{Worker:%s Manager:%s}", redact(t.Worker), redact(t.Manager))
}

// Format hides both tokens from every fmt verb.
func (t JoinTokens) Format(f fmt.State, _ rune) { fmt.Fprint(f, t.String()) }

// LogValue hides both tokens from slog.
func (t JoinTokens) LogValue() slog.Value {
	return slog.GroupValue(slog.String("worker", redact(t.Worker)), slog.String("manager", redact(t.Manager)))
}

// redact stands in for a secret: it says whether one was set, never what.
func redact(s string) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// NodeAvailability tells the scheduler whether a node takes tasks.
type NodeAvailability string

// Node availabilities.
const (
	AvailabilityActive NodeAvailability = "active" // takes new tasks
	AvailabilityPause  NodeAvailability = "pause"  // keeps its tasks, takes no new ones
	AvailabilityDrain  NodeAvailability = "drain"  // its tasks move to other nodes
)

// InitRequest is the body of POST /swarm/init.
type InitRequest struct {
	// ListenAddr is where managers talk to each other, an address or an
	// interface with an optional port: "0.0.0.0:2377", "eth0:2377". The
	// daemon requires it.
	ListenAddr string
	// AdvertiseAddr is the address other nodes reach this one at (detected
	// when empty and unambiguous).
	AdvertiseAddr string `json:",omitempty"`
	// DataPathAddr is the address or interface for overlay data traffic
	// (AdvertiseAddr's when empty).
	DataPathAddr string `json:",omitempty"`
	// DataPathPort is the VXLAN port, 1024-49151 (4789 when zero).
	DataPathPort uint32 `json:",omitempty"`
	// DefaultAddrPool lists the CIDR pools swarm-scope networks are cut
	// from (10.0.0.0/8 when empty); SubnetSize is their prefix length (24
	// when zero).
	DefaultAddrPool []string `json:",omitempty"`
	SubnetSize      uint32   `json:",omitempty"`
	// ForceNewCluster makes a manager that lost its quorum start a new
	// single-manager swarm from its own state.
	ForceNewCluster bool
	Spec            Spec
	// AutoLockManagers locks the managers' keys at rest from the start; the
	// unlock key is then read with UnlockKey. Init also sets the spec's
	// EncryptionConfig.AutoLockManagers, which the daemon applies last and
	// which alone turns autolock on or off later through Update. (Read by
	// the daemon though the API specification does not list it.)
	AutoLockManagers bool
	// Availability is this node's availability ("active" when empty). (Read
	// by the daemon though the API specification does not list it.)
	Availability NodeAvailability `json:",omitempty"`
}

// JoinRequest is the body of POST /swarm/join. The token is a secret:
// String, fmt and slog never show it.
type JoinRequest struct {
	ListenAddr    string   // required, as in InitRequest
	AdvertiseAddr string   `json:",omitempty"`
	DataPathAddr  string   `json:",omitempty"`
	RemoteAddrs   []string // managers of the swarm to join ("host:2377"); required
	JoinToken     string   // the swarm's worker or manager token; required
	// Availability is this node's availability ("active" when empty). (Read
	// by the daemon though the API specification does not list it.)
	Availability NodeAvailability `json:",omitempty"`
}

// String shows the request without its token.
func (r JoinRequest) String() string {
	return fmt.Sprintf("{ListenAddr:%s AdvertiseAddr:%s DataPathAddr:%s RemoteAddrs:%v JoinToken:%s Availability:%s}",
		r.ListenAddr, r.AdvertiseAddr, r.DataPathAddr, r.RemoteAddrs, redact(r.JoinToken), r.Availability)
}

// Format hides the token from every fmt verb.
func (r JoinRequest) Format(f fmt.State, _ rune) { fmt.Fprint(f, r.String()) }

// LogValue hides the token from slog.
func (r JoinRequest) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("listen_addr", r.ListenAddr),
		slog.Any("remote_addrs", r.RemoteAddrs),
		slog.String("join_token", redact(r.JoinToken)),
	)
}
