package testenv

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/berth-go/berth/docker"
)

// A Difference is a known way Podman's Docker-compatible service departs
// from the Docker Engine: a row of docs/compatibility.md, found there by
// its ID. Tests name the Difference they skip or branch for, so that every
// departure they tolerate is written down where users read it.
type Difference struct {
	ID   string // "podman-swarm": the row's key in docs/compatibility.md
	What string // what Podman does, in one line
}

// String is how skips and logs name the difference. .ci/run accepts a
// skipped test on Podman only when its reason reads like this.
func (d Difference) String() string {
	return "podman difference " + d.ID + ": " + d.What + " (docs/compatibility.md)"
}

// SkipOnPodman skips t, naming d, when the server is Podman; on a Docker
// Engine it does nothing.
func SkipOnPodman(t testing.TB, d Difference) {
	t.Helper()
	if ServerOf(t).Podman {
		t.Skip(d.String())
	}
}

// OnPodman reports whether the server is Podman, logging d when it is: a
// test branches on it where Podman answers differently but the rest of the
// test still holds, as it branches on the API version where Engines
// changed.
func OnPodman(t testing.TB, d Difference) bool {
	t.Helper()
	if !ServerOf(t).Podman {
		return false
	}
	t.Log(d.String())
	return true
}

// The differences the tests know, as Podman 4.3 shows them. Each ID is a
// row of docs/compatibility.md (TestDifferencesDocumented checks it).
var (
	// Operations Podman does not serve.
	PodmanNoSwarm           = Difference{"podman-swarm", "no swarm mode: /swarm, /nodes, /services, /tasks, /secrets and /configs answer 503 \"Podman does not support service\""}
	PodmanNoPlugins         = Difference{"podman-plugins", "no managed plugins: /plugins answers 404"}
	PodmanNoSession         = Difference{"podman-session", "no POST /session (404)"}
	PodmanNoAttachWebsocket = Difference{"podman-attach-ws", "no GET /containers/{id}/attach/ws (404)"}
	PodmanNoUpdate          = Difference{"podman-container-update", "no POST /containers/{id}/update in 4.3 (404)"}
	PodmanLogin             = Difference{"podman-login-tls", "POST /auth verifies TLS for every registry but localhost:PORT, whatever registries.conf says, so it cannot log in to a plain-HTTP registry on 127.0.0.1"}
	PodmanPing              = Difference{"podman-ping", "GET /_ping sends no OSType header"}
	PodmanNoDistribution    = Difference{"podman-distribution", "no GET /distribution/{name}/json (404)"}
	PodmanNoBuildPrune      = Difference{"podman-build-prune", "no POST /build/prune (404)"}
	PodmanTop               = Difference{"podman-top", "GET /containers/{id}/top runs ps inside the container (Docker runs it on the host): with no ps in the image, 4.3 answers 200 with an empty body"}

	// Status codes and messages.
	PodmanStatus500  = Difference{"podman-status-500", "refusals Docker answers 400, 403, 404 or 409 (a state that does not allow the operation, a taken name, a bad argument, an unknown filter) are 500, with libpod's message (\"container state improper\", \"name is already in use\", \"invalid argument\")"}
	PodmanValidation = Difference{"podman-validation", "some requests the Engine refuses are accepted: a negative memory limit, a one-letter volume name, copying into a missing directory or a read-only root file system"}

	// Containers.
	PodmanHostConfig     = Difference{"podman-hostconfig", "a container's HostConfig reads back in Podman's terms: ulimits named RLIMIT_NOFILE..., tmpfs mounts under Tmpfs (with the options Podman adds), not under Mounts"}
	PodmanLogsFollow     = Difference{"podman-logs-follow", "logs with follow=1 end when the container exits, before all of its output is sent (without follow, all of it comes)"}
	PodmanLogDriver      = Difference{"podman-log-driver", "log drivers are k8s-file (json-file is an alias of it), journald, none and passthrough: no local"}
	PodmanUlimitNproc    = Difference{"podman-ulimit-nproc", "given any ulimit, a root container also gets nproc=1048576 unless nproc is given, which fails where the hard limit is lower"}
	PodmanAttachStreams  = Difference{"podman-attach-streams", "attach sends stdout even when only stderr is asked for"}
	PodmanAttachLogs     = Difference{"podman-attach-logs", "attach with logs=1 replays each line in a frame whose length leaves out its newline, a stream no demultiplexer can read"}
	PodmanExecState      = Difference{"podman-exec-state", "a detached exec stays Running in GET /exec/{id}/json after it ends, with ExitCode 0"}
	PodmanExitCodes      = Difference{"podman-exit-codes", "a missing executable: start answers 500 and leaves exit code 0 (Engine: 400, 127); exec exits 127 with the message on stderr (Engine 20.10: 126, on stdout)"}
	PodmanWaitRemoved    = Difference{"podman-wait-removed", "wait with condition=removed answers StatusCode 0, not the container's exit code"}
	PodmanStats          = Difference{"podman-stats", "stats are sampled every 5 s; a stream=false sample has no PreRead (so CPU% is 0), and pids_stats.limit is 0 on cgroup v1"}
	PodmanLogTimestamps  = Difference{"podman-log-timestamps", "log timestamps have whole-second precision"}
	PodmanArchive        = Difference{"podman-archive", "stat follows a symbolic link for Name; directory entries of an archive have no trailing slash; a refused overwrite says \"file exists\""}
	PodmanEventsUntil    = Difference{"podman-events-until", "events with an until already past return nothing: 4.3 stops reading at the wall-clock moment until names"}
	PodmanEventNames     = Difference{"podman-events", "a removed container's event is remove (Docker: destroy), init and cleanup come too, a stop sends no kill, and its stop event comes only in some runs (die always does), kill events carry no signal, networks send no events, volumes send create and remove (no mount) naming no container, and the event filter matches nothing"}
	PodmanFiltersOr      = Difference{"podman-filters-or", "volume list and prune match when any filter matches, label filters too (Docker: every key, and every label filter, must match)"}
	PodmanNameQualified  = Difference{"podman-names", "image names come back qualified: RepoTags lists docker.io/library/NAME:TAG or localhost/NAME:TAG"}
	PodmanImageListCount = Difference{"podman-image-list", "at API 1.41 the image list has SharedSize and Containers 0 where the Engine says -1; digests=1 answers 200 with an empty body"}

	// Images.
	PodmanRegistryHTTP = Difference{"podman-registry-http", "a plain-HTTP registry: push honours tlsVerify=false (image.ExtraQuery), the Docker-compatible pull ignores it (only /libpod/images/pull honours it), so pulling needs the registry marked insecure in registries.conf"}
	PodmanBuildOutput  = Difference{"podman-build", "build output is buildah's (\"STEP 1/3: FROM ...\", no \"Step 1/3 : \" or \" ---> \" lines), and build failures are stream errors in its words"}
	PodmanChanges      = Difference{"podman-changes", "in the changes of commit and import, LABEL a=1 b=2 makes one label a with the value \"1 b=2\": give one pair a LABEL"}
	PodmanPullOutput   = Difference{"podman-pull-output", "pull progress says \"Download complete\" for each layer; no \"Pull complete\", Digest or Status lines"}
	PodmanCommit       = Difference{"podman-commit", "commit ignores the configuration in the body (Cmd, Labels...): only changes apply"}
	PodmanPrune        = Difference{"podman-image-prune", "image prune adds its own dangling filter and refuses a request that gives one"}
	PodmanLoadError    = Difference{"podman-load", "loading a broken archive is a 500, not an error inside the stream"}

	// Networks and volumes.
	PodmanNetworks  = Difference{"podman-networks", "networks: the default is named podman (bridge finds it; host and none are not networks), the type and dangling filters are refused, driver options and IPAM read back in netavark's terms (mtu, driver host-local; no IPRange or AuxiliaryAddresses), endpoints have no EndpointID and give the network's name as NetworkID, a fixed address or driver options given at connect do not read back in IPAMConfig and DriverOpts, connecting twice says \"is already connected\", scope is ignored, names with a slash are refused"}
	PodmanNetworkRm = Difference{"podman-network-rm", "removing a network by its full ID succeeds while containers use it (by name it is refused)"}
	PodmanVolumes   = Difference{"podman-volumes", "volumes: inspect reports Options {} where create said null, the all filter of prune is refused, and tmpfs size options need a quota-capable file system"}
)

// RefusalMismatch checks a refusal the Engine answers with the sentinel
// want (nil: any error) and Podman with a 500 whose message holds
// podmanSays (PodmanStatus500). It returns what is wrong with err, or ""
// when err is the refusal the server in question gives.
func RefusalMismatch(podman bool, what string, err, want error, podmanSays string) string {
	if podman && (want == nil || !errors.Is(err, want)) {
		var de *docker.Error
		if !errors.As(err, &de) || de.StatusCode != http.StatusInternalServerError || !strings.Contains(de.Message, podmanSays) {
			return fmt.Sprintf("%s: %v, want a 500 saying %q (%s)", what, err, podmanSays, PodmanStatus500.ID)
		}
		return ""
	}
	if !errors.Is(err, want) {
		return fmt.Sprintf("%s: %v, want %v", what, err, want)
	}
	return ""
}
