package frontier

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/urlnorm"
)

// Scope is the set of registered domains a crawl may fetch, shared by every
// worker through a KV bucket: seeding adds the seeds' domains, and crawlers and
// parsers anywhere see them. Its memory grows with domains, not URLs.
//
// The bucket also holds the ports the seeds name (":8080", an entry no host
// name matches), so that a crawler anywhere fetches them beside its
// allowlist (crawler.Config.AllowPort).
type Scope struct {
	kv jetstream.KeyValue

	mu      sync.RWMutex
	domains map[string]bool
	ports   map[int]bool
}

// OpenScope loads the scope of the pipeline named by names and keeps it up to
// date until ctx ends.
func OpenScope(ctx context.Context, js jetstream.JetStream, names trawler.Names, log *slog.Logger) (*Scope, error) {
	kv, err := js.KeyValue(ctx, names.ScopeBucket())
	if err != nil {
		return nil, fmt.Errorf("open scope bucket: %w", err)
	}
	s := &Scope{kv: kv, domains: map[string]bool{}, ports: map[int]bool{}}
	w, err := kv.WatchAll(ctx)
	if err != nil {
		return nil, fmt.Errorf("watch scope: %w", err)
	}
	// The watcher first replays current values, then a nil marks the end of
	// the replay: wait for it so that Allowed is right from the start.
	for e := range w.Updates() {
		if e == nil {
			break
		}
		s.apply(e)
	}
	go func() {
		defer func() { _ = w.Stop() }()
		for e := range w.Updates() {
			if e != nil {
				s.apply(e)
			}
		}
		if ctx.Err() == nil {
			log.Warn("scope watch ended")
		}
	}()
	return s, nil
}

func (s *Scope) apply(e jetstream.KeyValueEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.Operation() == jetstream.KeyValuePut {
		s.set(string(e.Value()), true)
	} else if d, err := hex.DecodeString(e.Key()); err == nil {
		s.set(string(d), false)
	}
}

// set adds or removes a domain or, spelled ":port", a port.
func (s *Scope) set(v string, in bool) {
	p, isPort := scopePort(v)
	switch {
	case isPort && in:
		s.ports[p] = true
	case isPort:
		delete(s.ports, p)
	case in:
		s.domains[v] = true
	default:
		delete(s.domains, v)
	}
}

// scopePort reads a port entry, ":8080".
func scopePort(v string) (int, bool) {
	rest, ok := strings.CutPrefix(v, ":")
	if !ok {
		return 0, false
	}
	p, err := strconv.Atoi(rest)
	return p, err == nil && p > 0 && p <= 65535
}

// SeedPorts returns the scope entries of the ports the seeds name
// explicitly (":8080"), for AddToScope.
func SeedPorts(seeds ...string) []string {
	var out []string
	for _, seed := range seeds {
		u, err := url.Parse(seed)
		if err != nil || u.Port() == "" {
			continue
		}
		if _, ok := scopePort(":" + u.Port()); ok {
			out = append(out, ":"+u.Port())
		}
	}
	return out
}

// Port reports whether a seed named port; on a miss it asks the bucket
// itself, as CheckFresh does, since the watch may lag a seed just added. An
// error means the bucket could not say. It is crawler.Config.AllowPort.
func (s *Scope) Port(ctx context.Context, port int) (bool, error) {
	s.mu.RLock()
	ok := s.ports[port]
	s.mu.RUnlock()
	if ok {
		return true, nil
	}
	e, err := s.kv.Get(ctx, hex.EncodeToString([]byte(":"+strconv.Itoa(port))))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("scope port %d: %w", port, err)
	}
	s.apply(e)
	return true, nil
}

// Add puts domains into the scope for every worker. A domain covers its
// subdomains.
func (s *Scope) Add(ctx context.Context, domains ...string) error {
	if err := putDomains(ctx, s.kv, domains); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range domains {
		s.set(d, true)
	}
	return nil
}

// AddToScope puts domains into the scope of the pipeline named by names,
// for every worker, without watching it.
func AddToScope(ctx context.Context, js jetstream.JetStream, names trawler.Names, domains ...string) error {
	kv, err := js.KeyValue(ctx, names.ScopeBucket())
	if err != nil {
		return fmt.Errorf("open scope bucket: %w", err)
	}
	return putDomains(ctx, kv, domains)
}

func putDomains(ctx context.Context, kv jetstream.KeyValue, domains []string) error {
	for _, d := range domains {
		if d == "" {
			continue
		}
		if _, err := kv.Put(ctx, hex.EncodeToString([]byte(d)), []byte(d)); err != nil {
			return fmt.Errorf("add %s to scope: %w", d, err)
		}
	}
	return nil
}

// ErrOutOfScope is returned by Check for a URL outside every allowed domain.
var ErrOutOfScope = errors.New("out of scope")

// Check returns nil when u's host is in one of the allowed domains.
func (s *Scope) Check(u *url.URL) error {
	host := u.Hostname()
	s.mu.RLock()
	defer s.mu.RUnlock()
	// Walk up the labels: "a.b.example.com" is allowed by "example.com" and
	// by "b.example.com"; this keeps the check O(labels) however many domains.
	for h := host; h != ""; {
		if s.domains[h] {
			return nil
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return fmt.Errorf("%w: %s", ErrOutOfScope, u.Redacted())
}

// CheckFresh is Check that, before refusing, asks the bucket itself: the
// watch may not yet have delivered a domain that a seed put in scope a moment
// ago. Crawlers use it on the rare refusal; parsers, which only ever see pages
// fetched under the scope, use Check. Only an error wrapping ErrOutOfScope is
// a refusal; any other means the bucket could not be read.
func (s *Scope) CheckFresh(ctx context.Context, u *url.URL) error {
	err := s.Check(u)
	if err == nil {
		return nil
	}
	for h := u.Hostname(); h != ""; {
		e, gerr := s.kv.Get(ctx, hex.EncodeToString([]byte(h)))
		if gerr == nil {
			s.apply(e)
			return nil
		}
		if !errors.Is(gerr, jetstream.ErrKeyNotFound) {
			// Not a refusal: the bucket could not say. Refusing would drop
			// a URL a seed may have just put in scope.
			return fmt.Errorf("scope of %s: %w", u.Hostname(), gerr)
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return err
}

// Domains returns the allowed domains (for logs and summaries).
func (s *Scope) Domains() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.domains))
	for d := range s.domains {
		out = append(out, d)
	}
	return out
}

// SeedDomain is the domain a seed URL puts in scope by default: its
// registered domain.
func SeedDomain(seed string) string {
	u, err := url.Parse(seed)
	if err != nil {
		return ""
	}
	return urlnorm.RegisteredDomain(u.Hostname())
}
