package swarm

import (
	"strconv"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/internal/httpx"
)

// Cluster calls the Engine's swarm endpoints: the swarm itself, and through
// Nodes, Services, Tasks, Secrets and Configs its objects. It is safe for
// concurrent use, as the *docker.Client it wraps is.
type Cluster struct {
	cli *docker.Client
}

// New returns a Cluster that sends its requests through cli.
func New(cli *docker.Client) *Cluster {
	return &Cluster{cli: cli}
}

// Nodes returns the node endpoints.
func (c *Cluster) Nodes() *Nodes { return &Nodes{cli: c.cli} }

// Services returns the service endpoints.
func (c *Cluster) Services() *Services { return &Services{cli: c.cli} }

// Tasks returns the task endpoints.
func (c *Cluster) Tasks() *Tasks { return &Tasks{cli: c.cli} }

// Secrets returns the secret endpoints.
func (c *Cluster) Secrets() *Secrets { return &Secrets{cli: c.cli} }

// Configs returns the config endpoints.
func (c *Cluster) Configs() *Configs { return &Configs{cli: c.cli} }

// Nodes calls the node endpoints (GET /nodes, ...). Get one from
// Cluster.Nodes; it is safe for concurrent use.
type Nodes struct{ cli *docker.Client }

// Services calls the service endpoints (GET /services, ...). Get one from
// Cluster.Services; it is safe for concurrent use.
type Services struct{ cli *docker.Client }

// Tasks calls the task endpoints (GET /tasks, ...). Get one from
// Cluster.Tasks; it is safe for concurrent use.
type Tasks struct{ cli *docker.Client }

// Secrets calls the secret endpoints (GET /secrets, ...). Get one from
// Cluster.Secrets; it is safe for concurrent use.
type Secrets struct{ cli *docker.Client }

// Configs calls the config endpoints (GET /configs, ...). Get one from
// Cluster.Configs; it is safe for concurrent use.
type Configs struct{ cli *docker.Client }

// setVersion sets the version parameter every update sends.
func setVersion(q *httpx.Query, v Version) {
	q.Set("version", strconv.FormatUint(v.Index, 10))
}
