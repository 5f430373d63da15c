package image

import "time"

// Descriptor is an OCI content descriptor: what a manifest, index or blob
// is, and where to find it.
type Descriptor struct {
	MediaType    string            `json:"mediaType"`
	Digest       string            `json:"digest"` // "sha256:..."
	Size         int64             `json:"size"`   // bytes
	URLs         []string          `json:"urls,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	Data         []byte            `json:"data,omitempty"` // embedded content (base64 on the wire)
	Platform     *OCIPlatform      `json:"platform,omitempty"`
	ArtifactType string            `json:"artifactType,omitempty"`
}

// OCIPlatform names the platform an image runs on.
type OCIPlatform struct {
	Architecture string   `json:"architecture,omitempty"` // "amd64", "arm64", ...
	OS           string   `json:"os,omitempty"`           // "linux", "windows", ...
	OSVersion    string   `json:"os.version,omitempty"`   // Windows build, e.g. "10.0.20348.1607"
	OSFeatures   []string `json:"os.features,omitempty"`
	Variant      string   `json:"variant,omitempty"` // CPU variant, e.g. "v7", "v8"
}

// String returns the platform as "os/arch[/variant]".
func (p OCIPlatform) String() string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// ManifestSummary describes one manifest of an image index: a platform
// variant of the image, or an attestation about one (API >= 1.47).
type ManifestSummary struct {
	ID         string     // the manifest's content-addressable ID
	Descriptor Descriptor // the manifest's descriptor
	Available  bool       // whether its content is present locally
	Size       ManifestSize
	Kind       string // "image", "attestation" or "unknown"

	// ImageData is set when Kind is "image".
	ImageData *ManifestImageData `json:",omitempty"`
	// AttestationData is set when Kind is "attestation".
	AttestationData *AttestationData `json:",omitempty"`
}

// ManifestSize is the space a manifest takes.
type ManifestSize struct {
	Total   int64 // everything this manifest refers to, content and unpacked snapshots
	Content int64 // the content blobs (manifest, config, layers)
}

// ManifestImageData is what an image manifest of an index adds.
type ManifestImageData struct {
	Platform   OCIPlatform
	Identity   *Identity `json:",omitempty"` // API >= 1.54, with the Identity() option
	Containers []string  // IDs of containers using this variant
	Size       struct {
		Unpacked int64 // bytes of the unpacked snapshots
	}
}

// AttestationData is what an attestation manifest of an index adds.
type AttestationData struct {
	For string // the digest of the image manifest it is about
}

// Identity is trusted identity and origin information about an image (API
// >= 1.53): its verified signatures, where it was pulled from, and how it
// was built.
type Identity struct {
	Signature []SignatureIdentity `json:",omitempty"`
	Pull      []PullIdentity      `json:",omitempty"`
	Build     []BuildIdentity     `json:",omitempty"`
}

// SignatureIdentity is one signature found on an image.
type SignatureIdentity struct {
	Name            string               `json:",omitempty"`
	Timestamps      []SignatureTimestamp `json:",omitempty"`
	KnownSigner     string               `json:",omitempty"` // e.g. "DHI"
	DockerReference string               `json:",omitempty"`
	Signer          *SignerIdentity      `json:",omitempty"`
	SignatureType   string               `json:",omitempty"` // "bundle-v0.3" or "simplesigning-v1"
	Error           string               `json:",omitempty"` // why the signature could not be verified
	Warnings        []string             `json:",omitempty"`
}

// SignatureTimestamp is a verified time of a signature.
type SignatureTimestamp struct {
	Type      string    // "Tlog" or "TimestampAuthority"
	URI       string    `json:",omitempty"`
	Timestamp time.Time `json:",omitzero"`
}

// SignerIdentity describes who signed an image, from the signing
// certificate.
type SignerIdentity struct {
	CertificateIssuer                   string `json:",omitempty"`
	SubjectAlternativeName              string `json:",omitempty"`
	Issuer                              string `json:",omitempty"`
	BuildSignerURI                      string `json:",omitempty"`
	BuildSignerDigest                   string `json:",omitempty"`
	RunnerEnvironment                   string `json:",omitempty"`
	SourceRepositoryURI                 string `json:",omitempty"`
	SourceRepositoryDigest              string `json:",omitempty"`
	SourceRepositoryRef                 string `json:",omitempty"`
	SourceRepositoryIdentifier          string `json:",omitempty"`
	SourceRepositoryOwnerURI            string `json:",omitempty"`
	SourceRepositoryOwnerIdentifier     string `json:",omitempty"`
	BuildConfigURI                      string `json:",omitempty"`
	BuildConfigDigest                   string `json:",omitempty"`
	BuildTrigger                        string `json:",omitempty"`
	RunInvocationURI                    string `json:",omitempty"`
	SourceRepositoryVisibilityAtSigning string `json:",omitempty"`
}

// PullIdentity records a repository the image was pulled from.
type PullIdentity struct {
	Repository string
}

// BuildIdentity records a build that produced the image.
type BuildIdentity struct {
	Ref       string    // the build's reference
	CreatedAt time.Time `json:",omitzero"`
}
