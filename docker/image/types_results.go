package image

import (
	"encoding/json"
	"time"
)

// HistoryItem is one layer of an image's history, newest first.
type HistoryItem struct {
	ID        string   `json:"Id"` // the image ID of the step, or "<missing>" for layers built elsewhere
	Created   int64    // Unix time in seconds; see CreatedTime
	CreatedBy string   // the instruction that made the layer
	Tags      []string // tags of the image ID of this step
	Size      int64    // bytes the step added
	Comment   string
}

// CreatedTime returns Created as a time.Time.
func (h HistoryItem) CreatedTime() time.Time { return time.Unix(h.Created, 0) }

// DeleteResponse is one effect of removing an image: a reference that was
// untagged, or an image or layer that was deleted.
type DeleteResponse struct {
	Untagged string `json:",omitempty"`
	Deleted  string `json:",omitempty"`
}

// PruneReport is the result of Prune.
type PruneReport struct {
	ImagesDeleted  []DeleteResponse
	SpaceReclaimed uint64 // bytes
}

// SearchResult is one repository found by Search.
type SearchResult struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	StarCount   int    `json:"star_count"`
	IsOfficial  bool   `json:"is_official"`
	// IsAutomated is always false: Docker Hub dropped automated builds, and
	// the field is deprecated.
	IsAutomated bool `json:"is_automated"`
}

// BuildPruneReport is the result of BuildPrune.
type BuildPruneReport struct {
	CachesDeleted  []string // IDs of the removed cache records
	SpaceReclaimed uint64   // bytes
}

// Distribution is what a registry says about an image, through the daemon:
// the descriptor of the reference's manifest (or index) and the platforms it
// offers.
type Distribution struct {
	Descriptor Descriptor
	Platforms  []OCIPlatform
}

// Attestation is one in-toto attestation statement attached to an image
// (API >= 1.55).
type Attestation struct {
	Descriptor    Descriptor // the statement blob's descriptor
	PredicateType string     // e.g. "https://slsa.dev/provenance/v0.2"
	// Statement is the statement's JSON, only with the Statement() option.
	Statement json.RawMessage `json:",omitempty"`
}

// PushResult is what a push reports at its end for a tag.
type PushResult struct {
	Tag    string
	Digest string // the manifest digest in the registry, "sha256:..."
	Size   int64  // the manifest's size in bytes
}

// BuildOutput is a BuildKit output (API >= 1.40): Type "moby" with Attrs.
type BuildOutput struct {
	Type  string
	Attrs map[string]string `json:",omitempty"`
}

// imageID returns id as the Engine writes image IDs, "sha256:" and 64 hex
// digits: Podman leaves the algorithm out of the IDs that commit, remove,
// prune and history report (but not of those inspect and list report), so
// an ID from one call would not compare equal to one from another.
func imageID(id string) string {
	if len(id) != 64 {
		return id
	}
	for _, c := range id {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return id
		}
	}
	return "sha256:" + id
}

// withImageIDs applies imageID to the Deleted entries of rs.
func withImageIDs(rs []DeleteResponse) []DeleteResponse {
	for i := range rs {
		rs[i].Deleted = imageID(rs[i].Deleted)
	}
	return rs
}
