package docker

import (
	"fmt"
	"log/slog"
)

// String shows a CAConfig without its signing key, which is a secret.
func (c CAConfig) String() string {
	key := ""
	if c.SigningCAKey != "" {
		key = "[redacted]"
	}
	return fmt.Sprintf("{NodeCertExpiry:%v ExternalCAs:%d SigningCACert:%d bytes SigningCAKey:%s ForceRotate:%d}",
		c.NodeCertExpiry, len(c.ExternalCAs), len(c.SigningCACert), key, c.ForceRotate)
}

// Format makes every fmt verb, %#v included, use String.
func (c CAConfig) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// LogValue keeps the signing key out of slog output.
func (c CAConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Duration("node_cert_expiry", c.NodeCertExpiry),
		slog.Int("external_cas", len(c.ExternalCAs)),
		slog.Bool("signing_ca_key", c.SigningCAKey != ""),
		slog.Uint64("force_rotate", c.ForceRotate),
	)
}

// LogValue logs a SwarmSpec without the CA signing key (slog's JSON handler
// would otherwise marshal the whole struct, key included).
func (s SwarmSpec) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("name", s.Name), slog.Any("labels", s.Labels),
		slog.Bool("autolock", s.EncryptionConfig.AutoLockManagers)}
	if s.CAConfig != nil {
		attrs = append(attrs, slog.Any("ca", *s.CAConfig))
	}
	return slog.GroupValue(attrs...)
}
