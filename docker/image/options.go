package image

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/berth-go/berth/docker"
	"github.com/berth-go/berth/docker/registry"
)

// Each operation takes its own option interface; the option types below
// implement the interfaces of the operations they apply to, so an option
// compiles only where it makes sense.
type (
	// ListOption configures List.
	ListOption interface{ applyList(*listConfig) }
	// InspectOption configures Inspect.
	InspectOption interface{ applyInspect(*inspectConfig) }
	// HistoryOption configures History.
	HistoryOption interface{ applyHistory(*historyConfig) }
	// PullOption configures Pull and PullAndWait.
	PullOption interface{ applyPull(*pullConfig) }
	// PushOption configures Push and PushAndWait.
	PushOption interface{ applyPush(*pushConfig) }
	// RemoveOption configures Remove.
	RemoveOption interface{ applyRemove(*removeConfig) }
	// PruneOption configures Prune.
	PruneOption interface{ applyPrune(*pruneConfig) }
	// SearchOption configures Search.
	SearchOption interface{ applySearch(*searchConfig) }
	// CommitOption configures Commit.
	CommitOption interface{ applyCommit(*commitConfig) }
	// SaveOption configures Save and SaveMany.
	SaveOption interface{ applySave(*saveConfig) }
	// LoadOption configures Load and LoadAndWait.
	LoadOption interface{ applyLoad(*loadConfig) }
	// ImportOption configures Import, ImportFromURL and ImportAndWait.
	ImportOption interface{ applyImport(*importConfig) }
	// BuildOption configures Build and BuildAndWait.
	BuildOption interface{ applyBuild(*buildConfig) }
	// BuildPruneOption configures BuildPrune.
	BuildPruneOption interface{ applyBuildPrune(*buildPruneConfig) }
	// DistributionOption configures InspectDistribution.
	DistributionOption interface{ applyDistribution(*distributionConfig) }
	// AttestationsOption configures Attestations.
	AttestationsOption interface{ applyAttestations(*attestationsConfig) }
	// ContextOption configures ContextFromDir.
	ContextOption interface{ applyContext(*contextConfig) }
)

// base is what every operation's configuration shares: the newest API
// version its parameters need, and the first error an option reported.
type base struct {
	version, what string // the newest version needed, and by what
	err           error
}

// need records that param needs API version v.
func (b *base) need(v, param string) {
	if b.version == "" || docker.CompareVersions(v, b.version) > 0 {
		b.version, b.what = v, param
	}
}

// fail records an option's error; the first one wins.
func (b *base) fail(err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
}

// gate sets req's version requirement from b.
func (b *base) gate(req *docker.Request) {
	if b.version != "" {
		req.MinVersion = b.version
		req.What = fmt.Sprintf("%s %s with %s", req.Method, req.Path, b.what)
	}
}

// AllOption is All: it serves List and BuildPrune.
type AllOption struct{}

// All lists intermediate images too (List), or removes all unused build
// cache, not only dangling records (BuildPrune).
func All() AllOption { return AllOption{} }

func (AllOption) applyList(c *listConfig)             { c.all = true }
func (AllOption) applyBuildPrune(c *buildPruneConfig) { c.all = true }

// FilterOption is Filter: it serves List, Prune, Search and BuildPrune.
type FilterOption struct {
	key    string
	values []string
}

// Filter adds a filter; it may be given several times. Keys per operation:
//   - List: before, dangling, label, reference, since, until;
//   - Prune: dangling ("false" prunes all unused images, not only untagged
//     ones), label, label!, until;
//   - Search: is-official, stars (is-automated is deprecated);
//   - BuildPrune: id, parent, type, description, inuse, shared, private,
//     until (a duration such as "24h").
func Filter(key string, values ...string) FilterOption {
	return FilterOption{key: key, values: values}
}

func (o FilterOption) add(f *docker.Filters) {
	if *f == nil {
		*f = docker.Filters{}
	}
	f.Add(o.key, o.values...)
}

func (o FilterOption) applyList(c *listConfig)             { o.add(&c.filters) }
func (o FilterOption) applyPrune(c *pruneConfig)           { o.add(&c.filters) }
func (o FilterOption) applySearch(c *searchConfig)         { o.add(&c.filters) }
func (o FilterOption) applyBuildPrune(c *buildPruneConfig) { o.add(&c.filters) }

// PlatformOption is Platform: it serves Pull, Push, Import, Build, Inspect,
// History, Remove, Save, Load and Attestations.
type PlatformOption struct {
	raw string // lower-cased, as given
	p   OCIPlatform
	err error
}

// Platform selects a platform, as "os[/arch[/variant]]" ("linux/arm64/v8").
// Pull, Import and Build send it as that string; the other operations send
// it as a JSON OCI platform and need a newer API: Push 1.46, History, Save
// and Load 1.48, Inspect 1.49, Remove 1.50, Attestations 1.55. Remove, Save
// and Load take several platforms (Save and Load need API 1.52 for more
// than one); elsewhere the last Platform wins.
func Platform(platform string) PlatformOption {
	raw := strings.ToLower(strings.TrimSpace(platform))
	parts := strings.Split(raw, "/")
	o := PlatformOption{raw: raw}
	if raw == "" || len(parts) > 3 || slices.Contains(parts, "") {
		o.err = fmt.Errorf("docker: invalid platform %q: want os[/arch[/variant]]", platform)
		return o
	}
	o.p.OS = parts[0]
	if len(parts) > 1 {
		o.p.Architecture = parts[1]
	}
	if len(parts) > 2 {
		o.p.Variant = parts[2]
	}
	return o
}

// json returns the platform as the JSON the API's platform parameters take.
func (o PlatformOption) json() string {
	b, _ := json.Marshal(o.p) // a struct of strings always marshals
	return string(b)
}

func (o PlatformOption) applyPull(c *pullConfig) {
	c.fail(o.err)
	c.platform = o.raw
	c.need("1.32", "platform")
}

func (o PlatformOption) applyPush(c *pushConfig) {
	c.fail(o.err)
	c.platform = o.json()
	c.need("1.46", "platform")
}

func (o PlatformOption) applyImport(c *importConfig) {
	c.fail(o.err)
	c.platform = o.raw
	c.need("1.32", "platform")
}

func (o PlatformOption) applyBuild(c *buildConfig) {
	c.fail(o.err)
	c.q.Set("platform", o.raw)
	c.need("1.32", "platform")
}

func (o PlatformOption) applyInspect(c *inspectConfig) {
	c.fail(o.err)
	c.platform = o.json()
	c.need("1.49", "platform")
}

func (o PlatformOption) applyHistory(c *historyConfig) {
	c.fail(o.err)
	c.platform = o.json()
	c.need("1.48", "platform")
}

func (o PlatformOption) applyRemove(c *removeConfig) {
	c.fail(o.err)
	c.platforms = append(c.platforms, o.json())
	c.need("1.50", "platforms")
}

func (o PlatformOption) applySave(c *saveConfig) {
	c.fail(o.err)
	c.platforms = append(c.platforms, o.json())
	c.need("1.48", "platform")
	if len(c.platforms) > 1 {
		c.need("1.52", "several platforms")
	}
}

func (o PlatformOption) applyLoad(c *loadConfig) {
	c.fail(o.err)
	c.platforms = append(c.platforms, o.json())
	c.need("1.48", "platform")
	if len(c.platforms) > 1 {
		c.need("1.52", "several platforms")
	}
}

func (o PlatformOption) applyAttestations(c *attestationsConfig) {
	c.fail(o.err)
	c.platform = o.json()
}

// ManifestsOption is Manifests: it serves List and Inspect.
type ManifestsOption struct{}

// Manifests asks for the Manifests field: the platform variants and
// attestations of each image (List needs API 1.47, Inspect 1.48; only
// daemons with the containerd image store fill it). Inspect refuses it
// together with Platform.
func Manifests() ManifestsOption { return ManifestsOption{} }

func (ManifestsOption) applyList(c *listConfig) {
	c.q.Flag("manifests", true)
	c.need("1.47", "manifests")
}

func (ManifestsOption) applyInspect(c *inspectConfig) {
	c.manifests = true
	c.need("1.48", "manifests")
}

// QuietOption is Quiet: it serves Build and Load.
type QuietOption struct{}

// Quiet makes the daemon leave out the progress: a quiet Build reports only
// the image ID (as text, no aux message), a quiet Load only the loaded
// names.
func Quiet() QuietOption { return QuietOption{} }

func (QuietOption) applyBuild(c *buildConfig) { c.quiet = true }
func (QuietOption) applyLoad(c *loadConfig)   { c.quiet = true }

// AllTagsOption is AllTags: it serves Pull and Push.
type AllTagsOption struct{}

// AllTags pulls or pushes every tag of the repository; the reference must
// then have neither tag nor digest. Without it a reference without tag means
// DefaultTag.
func AllTags() AllTagsOption { return AllTagsOption{} }

func (AllTagsOption) applyPull(c *pullConfig) { c.allTags = true }
func (AllTagsOption) applyPush(c *pushConfig) { c.allTags = true }

// RepoOption is Repo: it serves Commit and Import.
type RepoOption struct {
	ref Reference
	err error
}

// Repo names the image Commit or Import makes, as a reference with an
// optional tag ("registry.local:5000/app:1.4"); without it the image is
// untagged. It is parsed with ParseReference (a reference with a digest is
// refused) and sent normalised: Commit sends the repo and tag parameters,
// Import the tagged reference as repo (which Podman, ignoring an import's
// tag parameter, honours too).
func Repo(ref string) RepoOption {
	r, err := ParseReference(ref)
	if err == nil && r.Digest != "" {
		err = fmt.Errorf("docker: repository %q: a digest cannot name a new image", ref)
	}
	return RepoOption{ref: r, err: err}
}

func (o RepoOption) applyCommit(c *commitConfig) {
	c.fail(o.err)
	c.repo, c.tag = o.ref.Name(), o.ref.Tag
}

func (o RepoOption) applyImport(c *importConfig) {
	c.fail(o.err)
	c.repo, c.tag = o.ref.Name(), o.ref.Tag
}

// ChangesOption is Changes: it serves Commit and Import.
type ChangesOption struct{ changes []string }

// Changes applies Dockerfile instructions to the new image's configuration,
// such as "ENV DEBUG=1" or `CMD ["serve"]` (CMD, ENTRYPOINT, ENV, EXPOSE,
// LABEL, ONBUILD, USER, VOLUME, WORKDIR). It may be given several times.
func Changes(instructions ...string) ChangesOption { return ChangesOption{changes: instructions} }

func (o ChangesOption) applyCommit(c *commitConfig) { c.changes = append(c.changes, o.changes...) }
func (o ChangesOption) applyImport(c *importConfig) { c.changes = append(c.changes, o.changes...) }

// DockerfileOption is Dockerfile: it serves Build and ContextFromDir.
type DockerfileOption struct{ path string }

// Dockerfile names the Dockerfile inside the build context, as a
// slash-separated path relative to it (default "Dockerfile"). Build sends
// it as the dockerfile parameter; ContextFromDir sends that file even when
// .dockerignore excludes it, as the docker CLI does.
func Dockerfile(path string) DockerfileOption { return DockerfileOption{path: path} }

func (o DockerfileOption) applyBuild(c *buildConfig)     { c.q.String("dockerfile", o.path) }
func (o DockerfileOption) applyContext(c *contextConfig) { c.dockerfile = o.path }

// Credentials finds registry credentials; *registry.Store implements it,
// resolving them from the docker CLI's configuration and credential helpers.
type Credentials interface {
	// Get returns the credentials for one registry (a zero AuthConfig
	// for none).
	Get(ctx context.Context, serverAddress string) (registry.AuthConfig, error)
	// All returns every credential known, keyed by registry.
	All(ctx context.Context) (map[string]registry.AuthConfig, error)
}

// authSource is where an operation's X-Registry-Auth comes from.
type authSource struct {
	auth  *registry.AuthConfig
	store Credentials
}

// header returns the X-Registry-Auth value for server (a reference's
// domain), or "" when no credentials were given.
func (a authSource) header(ctx context.Context, domain string) (string, error) {
	auth := a.auth
	if auth == nil && a.store != nil {
		found, err := a.store.Get(ctx, registry.ServerAddress(domain))
		if err != nil {
			return "", err
		}
		auth = &found
	}
	if auth == nil {
		return "", nil
	}
	return auth.Encode()
}

// AuthOption is Auth: it serves Pull, Push, Search and InspectDistribution.
type AuthOption struct{ auth registry.AuthConfig }

// Auth sends auth as the operation's registry credentials (X-Registry-Auth).
// It overrides AuthFrom.
func Auth(auth registry.AuthConfig) AuthOption { return AuthOption{auth: auth} }

func (o AuthOption) set(a *authSource) {
	auth := o.auth
	*a = authSource{auth: &auth}
}

func (o AuthOption) applyPull(c *pullConfig)                 { o.set(&c.auth) }
func (o AuthOption) applyPush(c *pushConfig)                 { o.set(&c.auth) }
func (o AuthOption) applySearch(c *searchConfig)             { o.set(&c.auth) }
func (o AuthOption) applyDistribution(c *distributionConfig) { o.set(&c.auth) }

// CredentialsOption is AuthFrom: it serves Pull, Push, Search,
// InspectDistribution and Build.
type CredentialsOption struct{ store Credentials }

// AuthFrom resolves the registry credentials from store when the request is
// made, by the reference's registry (registry.ServerAddress of its domain,
// so Docker Hub's key is registry.IndexServer). Build sends all of the
// store's credentials (X-Registry-Config), as the CLI does. A store error
// fails the operation; no credentials means an anonymous request.
func AuthFrom(store Credentials) CredentialsOption { return CredentialsOption{store: store} }

func (o CredentialsOption) set(a *authSource) { *a = authSource{store: o.store} }

func (o CredentialsOption) applyPull(c *pullConfig)                 { o.set(&c.auth) }
func (o CredentialsOption) applyPush(c *pushConfig)                 { o.set(&c.auth) }
func (o CredentialsOption) applySearch(c *searchConfig)             { o.set(&c.auth) }
func (o CredentialsOption) applyDistribution(c *distributionConfig) { o.set(&c.auth) }
func (o CredentialsOption) applyBuild(c *buildConfig) {
	c.registryStore, c.registryConfigs = o.store, nil
}

// Option adapters for options that serve a single operation.
type (
	listFunc         func(*listConfig)
	removeFunc       func(*removeConfig)
	searchFunc       func(*searchConfig)
	commitFunc       func(*commitConfig)
	importFunc       func(*importConfig)
	buildFunc        func(*buildConfig)
	buildPruneFunc   func(*buildPruneConfig)
	attestationsFunc func(*attestationsConfig)
)

func (f listFunc) applyList(c *listConfig)                         { f(c) }
func (f removeFunc) applyRemove(c *removeConfig)                   { f(c) }
func (f searchFunc) applySearch(c *searchConfig)                   { f(c) }
func (f commitFunc) applyCommit(c *commitConfig)                   { f(c) }
func (f importFunc) applyImport(c *importConfig)                   { f(c) }
func (f buildFunc) applyBuild(c *buildConfig)                      { f(c) }
func (f buildPruneFunc) applyBuildPrune(c *buildPruneConfig)       { f(c) }
func (f attestationsFunc) applyAttestations(c *attestationsConfig) { f(c) }

// errNilReader is wrapped by the errors of methods given a nil io.Reader
// where one is required.
var errNilReader = errors.New("is nil")
