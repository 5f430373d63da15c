package integration

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash"
)

// shaWriter hashes and counts what is written to it.
type shaWriter struct {
	h hash.Hash
	n int64
}

func newSHA() *shaWriter { return &shaWriter{h: sha256.New()} }

func (s *shaWriter) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	return s.h.Write(p)
}

func (s *shaWriter) hex() string { return hex.EncodeToString(s.h.Sum(nil)) }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
