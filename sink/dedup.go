package sink

import (
	"crypto/sha256"
)

// fingerprint identifies a version: a 128-bit hash of its key and content
// hash. Two versions colliding would take about 2^64 articles.
type fingerprint [16]byte

func fingerprintOf(key, contentHash string) fingerprint {
	sum := sha256.Sum256([]byte(key + "\n" + contentHash))
	return fingerprint(sum[:16])
}

// recent remembers the last max fingerprints added and forgets the oldest
// first, so its memory is bounded (about 55 bytes per entry, measured).
type recent struct {
	max     int
	set     map[fingerprint]struct{}
	ring    []fingerprint // insertion order; once full, next is the oldest
	next    int
	evicted uint64
}

func newRecent(max int) *recent {
	return &recent{max: max, set: make(map[fingerprint]struct{})}
}

func (r *recent) has(fp fingerprint) bool {
	_, ok := r.set[fp]
	return ok
}

// add remembers fp, forgetting the oldest entry when full. It reports whether
// an entry was forgotten.
func (r *recent) add(fp fingerprint) (evicted bool) {
	if r.has(fp) {
		return false
	}
	r.set[fp] = struct{}{}
	if len(r.ring) < r.max {
		r.ring = append(r.ring, fp)
		return false
	}
	delete(r.set, r.ring[r.next])
	r.ring[r.next] = fp
	r.next = (r.next + 1) % r.max
	r.evicted++
	return true
}

func (r *recent) len() int { return len(r.set) }
