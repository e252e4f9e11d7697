package frontier

import (
	"sync"
	"time"
)

// settled remembers, for a while, the URLs this process found settled in
// the seen bucket: queued, or with an outcome recorded (fetched, failed,
// redirected, over budget). A link to one is a duplicate whatever happens
// to it next, so the next link to it needs no round trips to the bucket (a
// failed Create, then a Get: about 0.3 ms of CPU, client and server, see
// BenchmarkEnqueueDuplicate). Pages repeat their links (menus, related
// lists) and link to what neighbouring pages just enqueued.
//
// Pending entries are not remembered (their owner may publish again) nor
// forgotten ones (the next enqueue takes them as new). The memory is
// bounded: two generations of at most settledMax keys, the older dropped
// when the newer fills or is settledTTL old. What that costs: a URL reset
// by Forget in another process stays a duplicate here for up to twice
// settledTTL; seeds never ask this cache (see EnqueueSeed).
type settled struct {
	mu        sync.Mutex
	cur, prev map[[keyLen]byte]struct{}
	born      time.Time // of cur
	max       int
	ttl       time.Duration
}

const (
	settledMax = 1 << 15 // keys a generation: 32 Ki of 16 bytes, about 1.2 MB with the map
	settledTTL = time.Minute
)

func newSettled(max int, ttl time.Duration) *settled {
	return &settled{cur: make(map[[keyLen]byte]struct{}), born: time.Now(), max: max, ttl: ttl}
}

// has reports whether k was added in this generation or the last.
func (s *settled) has(k [keyLen]byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rotate()
	if _, ok := s.cur[k]; ok {
		return true
	}
	_, ok := s.prev[k]
	return ok
}

func (s *settled) add(k [keyLen]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rotate()
	s.cur[k] = struct{}{}
}

// drop forgets k: Forget reset it in the bucket.
func (s *settled) drop(k [keyLen]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.cur, k)
	delete(s.prev, k)
}

// rotate starts a new generation when the current one is full or old.
// s.mu is held.
func (s *settled) rotate() {
	if len(s.cur) < s.max && time.Since(s.born) < s.ttl {
		return
	}
	s.prev, s.cur, s.born = s.cur, make(map[[keyLen]byte]struct{}, len(s.cur)), time.Now()
}
