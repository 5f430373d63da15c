package testenv

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
)

// PatternReader returns the n-byte deterministic stream the test image's
// "write" and "interleave" commands produce for seed: SplitMix64 words,
// little-endian (see testdata/testimage/pattern.go, where the formula is
// defined; it is restated here because tests must not import that program).
func PatternReader(seed uint64, n int64) io.Reader {
	return io.LimitReader(&patternReader{seed: seed}, n)
}

// PatternSHA256 returns the hex sha256 of the first n bytes of the pattern.
func PatternSHA256(seed uint64, n int64) string {
	h := sha256.New()
	_, _ = io.Copy(h, PatternReader(seed, n))
	return hex.EncodeToString(h.Sum(nil))
}

func patternWord(seed, k uint64) uint64 {
	z := seed + (k+1)*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

type patternReader struct {
	seed, pos uint64
	word      [8]byte
}

func (r *patternReader) Read(p []byte) (int, error) {
	for i := range p {
		if r.pos%8 == 0 {
			binary.LittleEndian.PutUint64(r.word[:], patternWord(r.seed, r.pos/8))
		}
		p[i] = r.word[r.pos%8]
		r.pos++
	}
	return len(p), nil
}
