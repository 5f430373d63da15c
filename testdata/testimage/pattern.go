package main

import "encoding/binary"

// The deterministic byte pattern written by "write", "interleave" and
// hashed by "sum-pattern" is SplitMix64 output, little-endian.
//
// Byte j (0-based) of the stream for seed s is byte j%8, counting from the
// least significant byte, of the 64-bit word w(s, j/8), where, in uint64
// arithmetic that wraps on overflow,
//
//	w(s, k) = mix(s + (k+1)*0x9E3779B97F4A7C15)
//	mix(z)  = z ^= z >> 30; z *= 0xBF58476D1CE4E5B9
//	          z ^= z >> 27; z *= 0x94D049BB133111EB
//	          z ^= z >> 31; return z
//
// Tests recompute it without importing this program; patternWord is the
// whole formula, copied verbatim where needed.

// patternWord returns word k of the pattern stream for seed.
func patternWord(seed, k uint64) uint64 {
	z := seed + (k+1)*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// patternReader yields the pattern stream for seed, starting at byte pos.
// Its Read never fails and always fills p; it is not safe for concurrent use.
type patternReader struct {
	seed uint64
	pos  uint64
}

// Read fills p with the next len(p) bytes of the pattern.
func (r *patternReader) Read(p []byte) (int, error) {
	n := len(p)
	var word [8]byte
	// Finish a word that an earlier Read left half done.
	if off := r.pos % 8; off != 0 && len(p) > 0 {
		binary.LittleEndian.PutUint64(word[:], patternWord(r.seed, r.pos/8))
		c := copy(p, word[off:])
		p = p[c:]
		r.pos += uint64(c)
	}
	// Whole words straight into p.
	k := r.pos / 8
	for len(p) >= 8 {
		binary.LittleEndian.PutUint64(p, patternWord(r.seed, k))
		p = p[8:]
		k++
	}
	r.pos = k * 8
	// A partial last word.
	if len(p) > 0 {
		binary.LittleEndian.PutUint64(word[:], patternWord(r.seed, k))
		r.pos += uint64(copy(p, word[:]))
	}
	return n, nil
}
