package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"net/http"
	"strings"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
	"github.com/berth-go/berth/internal/httpx"
	"github.com/berth-go/berth/stream"
)

type buildConfig struct {
	base
	q                           httpx.Query
	quiet, noRm, remote         bool
	tags, extraHosts, cacheFrom []string
	buildArgs, labels           map[string]string
	outputs                     []BuildOutput
	registryConfigs             map[string]registry.AuthConfig
	registryStore               Credentials
}

// Tags names the built image; each reference ("app", "app:1.4",
// "registry.local:5000/app:1.4") gets DefaultTag when it has none. It may
// be given several times (the t parameter, repeated).
func Tags(refs ...string) BuildOption {
	return buildFunc(func(c *buildConfig) { c.tags = append(c.tags, refs...) })
}

// ExtraHosts adds "host:ip" lines to /etc/hosts of the build's containers;
// it may be given several times.
func ExtraHosts(hosts ...string) BuildOption {
	return buildFunc(func(c *buildConfig) {
		c.extraHosts = append(c.extraHosts, hosts...)
		c.need("1.28", "extrahosts")
	})
}

// Remote builds from a context the daemon fetches: a Git repository URL, or
// the URL of a tarball or of a plain Dockerfile. Build then takes a nil
// context reader.
func Remote(url string) BuildOption {
	return buildFunc(func(c *buildConfig) {
		c.q.String("remote", url)
		c.remote = true
	})
}

// NoCache builds without using the build cache.
func NoCache() BuildOption { return buildFunc(func(c *buildConfig) { c.q.Flag("nocache", true) }) }

// CacheFrom lists images to use as cache sources; it may be given several
// times.
func CacheFrom(refs ...string) BuildOption {
	return buildFunc(func(c *buildConfig) { c.cacheFrom = append(c.cacheFrom, refs...) })
}

// AlwaysPull pulls the base images even when they exist locally (the pull
// parameter).
func AlwaysPull() BuildOption { return buildFunc(func(c *buildConfig) { c.q.Flag("pull", true) }) }

// NoRm keeps the intermediate containers of a successful build (rm=0); by
// default the daemon removes them.
func NoRm() BuildOption { return buildFunc(func(c *buildConfig) { c.noRm = true }) }

// ForceRm removes the intermediate containers even when the build fails.
func ForceRm() BuildOption { return buildFunc(func(c *buildConfig) { c.q.Flag("forcerm", true) }) }

// Memory limits the memory of the build's containers, in bytes.
func Memory(bytes int64) BuildOption {
	return buildFunc(func(c *buildConfig) { c.q.Int("memory", bytes) })
}

// MemorySwap limits memory plus swap of the build's containers, in bytes;
// -1 means unlimited swap.
func MemorySwap(bytes int64) BuildOption {
	return buildFunc(func(c *buildConfig) { c.q.Int("memswap", bytes) })
}

// CPUShares sets the relative CPU weight of the build's containers.
func CPUShares(shares int64) BuildOption {
	return buildFunc(func(c *buildConfig) { c.q.Int("cpushares", shares) })
}

// CPUSetCPUs pins the build's containers to CPUs, e.g. "0-3" or "0,1".
func CPUSetCPUs(cpus string) BuildOption {
	return buildFunc(func(c *buildConfig) { c.q.String("cpusetcpus", cpus) })
}

// CPUPeriod sets the CPU CFS period of the build's containers, in
// microseconds.
func CPUPeriod(us int64) BuildOption {
	return buildFunc(func(c *buildConfig) { c.q.Int("cpuperiod", us) })
}

// CPUQuota sets the CPU CFS quota of the build's containers, in
// microseconds per CPUPeriod.
func CPUQuota(us int64) BuildOption {
	return buildFunc(func(c *buildConfig) { c.q.Int("cpuquota", us) })
}

// BuildArgs sets build-time variables (ARG); later calls add to earlier
// ones. They are not secret: they stay in the image's history.
func BuildArgs(args map[string]string) BuildOption {
	return buildFunc(func(c *buildConfig) {
		if c.buildArgs == nil {
			c.buildArgs = map[string]string{}
		}
		maps.Copy(c.buildArgs, args)
	})
}

// ShmSize sets the size of /dev/shm in the build's containers, in bytes.
func ShmSize(bytes int64) BuildOption {
	return buildFunc(func(c *buildConfig) { c.q.Int("shmsize", bytes) })
}

// Squash squashes the new layers of the build into one (the daemon must run
// with experimental features).
func Squash() BuildOption {
	return buildFunc(func(c *buildConfig) {
		c.q.Flag("squash", true)
		c.need("1.25", "squash")
	})
}

// Labels sets labels on the built image; later calls add to earlier ones.
func Labels(labels map[string]string) BuildOption {
	return buildFunc(func(c *buildConfig) {
		if c.labels == nil {
			c.labels = map[string]string{}
		}
		maps.Copy(c.labels, labels)
	})
}

// NetworkMode sets the network of RUN instructions: "bridge", "host",
// "none", or a network name or ID.
func NetworkMode(mode string) BuildOption {
	return buildFunc(func(c *buildConfig) {
		c.q.String("networkmode", mode)
		c.need("1.25", "networkmode")
	})
}

// Target builds the named stage of a multi-stage Dockerfile.
func Target(stage string) BuildOption {
	return buildFunc(func(c *buildConfig) {
		c.q.String("target", stage)
		c.need("1.29", "target")
	})
}

// Outputs sets BuildKit's outputs (API >= 1.40); it may be given several
// times.
func Outputs(outputs ...BuildOutput) BuildOption {
	return buildFunc(func(c *buildConfig) {
		c.outputs = append(c.outputs, outputs...)
		c.need("1.40", "outputs")
	})
}

// BuilderVersion chooses the builder: "1", the classic builder (the
// daemon's default through this API), or "2", BuildKit. BuildKit needs a
// session (POST /session) that berth does not provide, so "2" builds only
// what needs no files from the client (a Remote context).
func BuilderVersion(v string) BuildOption {
	return buildFunc(func(c *buildConfig) { c.q.String("version", v) })
}

// AuthConfigs sends credentials for the registries the build pulls base
// images from, keyed by registry address (X-Registry-Config). It overrides
// AuthFrom.
func AuthConfigs(configs map[string]registry.AuthConfig) BuildOption {
	return buildFunc(func(c *buildConfig) {
		c.registryConfigs, c.registryStore = maps.Clone(configs), nil
		if c.registryConfigs == nil {
			c.registryConfigs = map[string]registry.AuthConfig{}
		}
	})
}

// Build builds an image from buildContext, a tar archive (plain, or
// compressed with gzip, bzip2 or xz) holding the Dockerfile and the files it
// uses (see ContextFromDir and ContextFromFiles), and yields the daemon's
// progress messages: build output in Stream, and the image ID in an Aux
// message {"ID": "sha256:..."} (see BuildAndWait). The context streams to
// the daemon as it is read, so its size does not matter for memory; if it
// is an io.Closer, it is closed when the request ends. buildContext may be
// nil with Remote.
//
// Options: Dockerfile, Tags, ExtraHosts, Remote, Quiet, NoCache, CacheFrom,
// AlwaysPull, NoRm, ForceRm, Memory, MemorySwap, CPUShares, CPUSetCPUs,
// CPUPeriod, CPUQuota, BuildArgs, ShmSize, Squash, Labels, NetworkMode,
// Platform, Target, Outputs, BuilderVersion, AuthConfigs, AuthFrom.
//
// The request is sent when the loop starts; breaking out of the loop, or
// cancelling ctx, closes the connection, which cancels the build. An
// invalid tag or option is the first and only element. A context that is
// not a tar archive is a *docker.Error (Engine 20.10 answers 500 "invalid
// tar header"); a Dockerfile that does not parse, or an instruction that
// fails, ends the loop with a *docker.StreamError carrying the daemon's
// message.
//
// API: POST /build
func (s *Service) Build(ctx context.Context, buildContext io.Reader, opts ...BuildOption) iter.Seq2[stream.Progress, error] {
	return func(yield func(stream.Progress, error) bool) {
		req, err := buildRequest(ctx, buildContext, opts)
		if err != nil {
			yield(stream.Progress{}, err)
			return
		}
		for p, err := range docker.StreamProgress(ctx, s.cli, req) {
			if !yield(p, err) {
				return
			}
		}
	}
}

func buildRequest(ctx context.Context, buildContext io.Reader, opts []BuildOption) (*docker.Request, error) {
	var c buildConfig
	for _, o := range opts {
		o.applyBuild(&c)
	}
	if c.err != nil {
		return nil, c.err
	}
	if buildContext == nil && !c.remote {
		return nil, fmt.Errorf("docker: image build: the build context %w (and no Remote was given)", errNilReader)
	}
	q := c.q
	for _, t := range c.tags {
		ref, err := ParseReference(t)
		if err != nil {
			return nil, err
		}
		if ref.Digest != "" {
			return nil, fmt.Errorf("docker: image build: tag %q carries a digest", t)
		}
		q.Strings("t", t)
	}
	q.Strings("extrahosts", c.extraHosts...)
	q.Flag("q", c.quiet)
	if c.noRm {
		q.Bool("rm", false)
	}
	for key, v := range map[string]any{"cachefrom": c.cacheFrom, "buildargs": c.buildArgs, "labels": c.labels, "outputs": c.outputs} {
		if isEmpty(v) {
			continue
		}
		if err := q.JSON(key, v); err != nil {
			return nil, fmt.Errorf("docker: image build: encoding %s: %w", key, err)
		}
	}
	req := &docker.Request{Method: http.MethodPost, Path: "/build", Query: q.Values(), Body: buildContext, Header: http.Header{}}
	if buildContext != nil {
		req.Header.Set("Content-Type", "application/x-tar")
	}
	c.gate(req)
	configs := c.registryConfigs
	if c.registryStore != nil {
		all, err := c.registryStore.All(ctx)
		if err != nil {
			return nil, err
		}
		configs = all
	}
	if configs != nil {
		h, err := registry.EncodeConfigs(configs)
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-Registry-Config", h)
	}
	return req, nil
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case []string:
		return len(v) == 0
	case map[string]string:
		return len(v) == 0
	case []BuildOutput:
		return len(v) == 0
	}
	return v == nil
}

// BuildAndWait runs Build to its end, drawing every message with r (nil
// draws nothing), and returns the built image's ID ("sha256:..."), from the
// Aux message, or with Quiet from the output.
func (s *Service) BuildAndWait(ctx context.Context, buildContext io.Reader, r *stream.Renderer, opts ...BuildOption) (string, error) {
	var id string
	err := drain(s.Build(ctx, buildContext, opts...), r, func(p stream.Progress) {
		var aux struct{ ID string }
		if len(p.Aux) > 0 && docker.DecodeAux(p.Aux, &aux) == nil && aux.ID != "" {
			id = aux.ID
		}
		if line := strings.TrimSpace(p.Stream); strings.HasPrefix(line, "sha256:") && !strings.ContainsAny(line, " \n") {
			id = line // a quiet build prints the ID alone
		}
	})
	if err == nil && id == "" {
		err = errors.New("docker: image build: the daemon did not report the image ID")
	}
	return id, err
}

type buildPruneConfig struct {
	base
	all                        bool
	filters                    docker.Filters
	reserved, maxUsed, minFree int64
	hasReserved                bool
}

// ReservedSpace keeps this many bytes of build cache. The API renamed the
// parameter at 1.48: BuildPrune sends keep-storage before, reserved-space
// from then on.
func ReservedSpace(bytes int64) BuildPruneOption {
	return buildPruneFunc(func(c *buildPruneConfig) { c.reserved, c.hasReserved = bytes, true })
}

// KeepStorage is ReservedSpace, under the parameter's name before API 1.48.
//
// Deprecated: use ReservedSpace, which sends the right name for the API
// version.
func KeepStorage(bytes int64) BuildPruneOption { return ReservedSpace(bytes) }

// MaxUsedSpace prunes until the cache uses at most this many bytes (API >=
// 1.48).
func MaxUsedSpace(bytes int64) BuildPruneOption {
	return buildPruneFunc(func(c *buildPruneConfig) {
		c.maxUsed = bytes
		c.need("1.48", "max-used-space")
	})
}

// MinFreeSpace prunes until the disk has at least this many bytes free (API
// >= 1.48).
func MinFreeSpace(bytes int64) BuildPruneOption {
	return buildPruneFunc(func(c *buildPruneConfig) {
		c.minFree = bytes
		c.need("1.48", "min-free-space")
	})
}

// BuildPrune removes build cache: by default the records nothing uses.
// Options: All, Filter, ReservedSpace, MaxUsedSpace, MinFreeSpace.
//
// API: POST /build/prune
func (s *Service) BuildPrune(ctx context.Context, opts ...BuildPruneOption) (BuildPruneReport, error) {
	var c buildPruneConfig
	for _, o := range opts {
		o.applyBuildPrune(&c)
	}
	var q httpx.Query
	q.Flag("all", c.all)
	q.Filters(c.filters)
	if c.hasReserved {
		v, err := s.cli.NegotiateAPIVersion(ctx)
		if err != nil {
			return BuildPruneReport{}, err
		}
		if docker.CompareVersions(v, "1.48") >= 0 {
			q.Int("reserved-space", c.reserved)
		} else {
			q.Int("keep-storage", c.reserved)
		}
	}
	if c.maxUsed != 0 {
		q.Int("max-used-space", c.maxUsed)
	}
	if c.minFree != 0 {
		q.Int("min-free-space", c.minFree)
	}
	req := &docker.Request{Method: http.MethodPost, Path: "/build/prune", Query: q.Values()}
	c.gate(req)
	var out BuildPruneReport
	if err := s.cli.DoJSON(ctx, req, &out); err != nil {
		return BuildPruneReport{}, err
	}
	return out, nil
}
