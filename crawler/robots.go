package crawler

import (
	"bytes"
	"container/list"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robots.txt handling (RFC 9309), done here rather than by colly: colly's
// check fetches robots.txt without the request's context (so it ignores
// cancellation), reads the file without a size limit, and caches every host
// forever in a map that only grows. Here a file is read up to 500 KiB and
// its rules up to robotsMaxRules and robotsMaxCost, and the cache is bounded
// by the estimated bytes of what it holds, least recently used out first: a
// hostile host's file of wildcard rules (each compiled into a regexp by the
// robots.txt library) costs a few MiB at most, and many of them no more
// than the budget.
const (
	robotsTTL      = 24 * time.Hour   // how long a fetched robots.txt is trusted (RFC 9309 §2.4)
	robotsRetry    = time.Minute      // default pause of a host whose robots.txt is unavailable
	robotsRetryMax = 10 * time.Minute // default cap of that pause as consecutive outages double it
	robotsMaxBytes = 500 << 10        // RFC 9309 §2.5: parse at least 500 KiB; the rest is ignored
	robotsMaxHops  = 5                // RFC 9309 §2.3.1.2
	robotsAccept   = "text/plain, */*;q=0.1"

	// robotsMaxRules caps the Allow and Disallow lines kept of one
	// robots.txt, and robotsMaxCost their estimated compiled size
	// (ruleCost); the rules past either cap are ignored, as the bytes past
	// robotsMaxBytes are. Real files have tens to hundreds of rules.
	robotsMaxRules   = 4096
	robotsMaxCost    = 4 << 20
	robotsCacheBytes = 64 << 20 // default budget of the cache (Config.RobotsCacheBytes)
	// robotsEntryCost is what a cache entry costs before its rules (key,
	// entry, group, map and list overhead), so that the budget bounds the
	// number of hosts too.
	robotsEntryCost = 512
)

// robotsCache answers whether a URL may be fetched, fetching each host's
// robots.txt at most once per TTL however many fetches ask at the same time.
type robotsCache struct {
	client    *http.Client
	agent     string // product token matched against User-agent lines
	userAgent string // sent with the request
	log       *slog.Logger
	ports     ports         // the fetcher's; checked on each redirect
	maxBytes  int64         // budget of the cached entries' cost
	retry     time.Duration // pause after a robots.txt outage, doubled per consecutive outage
	retryMax  time.Duration // cap of the pause

	mu      sync.Mutex
	entries map[string]*robotsEntry // by scheme://host:port
	lru     list.List               // of keys (string), most recently used first
	used    int64                   // cost of the entries, accounted
	evicted int64                   // entries evicted for the budget
}

type robotsEntry struct {
	ready     chan struct{} // closed once the fields below are set
	data      *robotstxt.RobotsData
	err       error // robots.txt unavailable; cached for the host's pause
	expires   time.Time
	abandoned bool // the fetching caller gave up; waiters retry
	outages   int  // consecutive outages, this one included once err is set

	// Owned by the cache's lock.
	elem *list.Element // in lru
	cost int64         // accounted in used
}

// robotsRules is a robots.txt parsed and what it is estimated to cost.
type robotsRules struct {
	data  *robotstxt.RobotsData
	rules int   // Allow and Disallow lines kept
	cost  int64 // estimated memory (ruleCost, summed)
}

func newRobotsCache(client *http.Client, userAgent string, log *slog.Logger) *robotsCache {
	return &robotsCache{
		client:    client,
		agent:     robotsAgent(userAgent),
		userAgent: userAgent,
		log:       log,
		maxBytes:  DefaultRobotsCacheBytes,
		retry:     robotsRetry,
		retryMax:  robotsRetryMax,
		entries:   make(map[string]*robotsEntry),
	}
}

// robotsAgent returns the product token of a User-Agent: "trawler" for
// "trawler/0.1.0".
func robotsAgent(ua string) string {
	token, _, _ := strings.Cut(strings.TrimSpace(ua), "/")
	token, _, _ = strings.Cut(token, " ")
	return strings.ToLower(token)
}

// check returns nil if robots.txt allows u, ErrRobots if it disallows it,
// ErrRobotsUnavailable while the host is paused because robots.txt could
// not be read (RFC 9309 §2.3.1.4: assume complete disallow, retry later),
// or the error that kept this caller from reading it (its own deadline, the
// host's turn or circuit).
func (r *robotsCache) check(ctx context.Context, u *url.URL) error {
	key := strings.ToLower(u.Scheme + "://" + u.Host)
	for {
		e, owner := r.entry(key)
		if owner {
			// Half the caller's time at most: a robots.txt that hangs is an
			// outage of the host, to be told from the caller's own deadline.
			fctx, cancel := ctx, context.CancelFunc(func() {})
			if dl, ok := ctx.Deadline(); ok {
				fctx, cancel = context.WithTimeout(ctx, time.Until(dl)/2)
			}
			rules, err := r.fetch(fctx, u)
			cancel()
			r.complete(ctx, key, e, rules, err)
			if e.abandoned {
				return err
			}
		} else {
			select {
			case <-e.ready:
			case <-ctx.Done():
				return ctx.Err()
			}
			if e.abandoned {
				continue
			}
		}
		// A server that answers with an error or not in time is paused
		// and waited for (deferred). One that refuses connections is down
		// like any page of it would be: its URLs fail and use up their
		// deliveries, so a dead host does not hold a crawl for a day.
		if e.err != nil && IsTransient(e.err) && !errors.Is(e.err, ErrConnection) {
			return &Error{URL: u.String(), Kind: ErrRobotsUnavailable, RetryAfter: max(time.Until(e.expires), 0), Err: e.err}
		}
		if e.err != nil {
			return e.err // the host's own fate (blocked, no such host, TLS): no waiting helps
		}
		if e.data == nil {
			return nil // no usable robots.txt: everything is allowed
		}
		path := u.EscapedPath()
		if path == "" {
			path = "/"
		}
		if u.RawQuery != "" {
			path += "?" + u.RawQuery
		}
		if !e.data.TestAgent(path, r.agent) {
			return &Error{URL: u.String(), Kind: ErrRobots}
		}
		return nil
	}
}

// sitemaps returns the Sitemap lines of u's host's cached robots.txt.
func (r *robotsCache) sitemaps(u *url.URL) []string {
	e := r.ready(u)
	if e == nil || e.data == nil {
		return nil
	}
	return e.data.Sitemaps
}

// ready returns the completed cache entry of u's host, or nil.
func (r *robotsCache) ready(u *url.URL) *robotsEntry {
	key := strings.ToLower(u.Scheme + "://" + u.Host)
	r.mu.Lock()
	e := r.entries[key]
	r.mu.Unlock()
	if e == nil {
		return nil
	}
	select {
	case <-e.ready:
		return e
	default:
		return nil
	}
}

// crawlDelay returns the Crawl-delay robots.txt gives our agent on u's host,
// capped at MaxCrawlDelay, if the file is cached; 0 otherwise. It never
// fetches.
func (r *robotsCache) crawlDelay(u *url.URL) time.Duration {
	if u.Path == "/robots.txt" {
		return 0
	}
	e := r.ready(u)
	if e == nil || e.data == nil {
		return 0
	}
	g := e.data.FindGroup(r.agent)
	if g == nil {
		return 0
	}
	return min(g.CrawlDelay, MaxCrawlDelay)
}

// entry returns the live entry for key, or a new one that the caller must
// fill (owner).
func (r *robotsCache) entry(key string) (e *robotsEntry, owner bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if e := r.entries[key]; e != nil && (e.expires.IsZero() || now.Before(e.expires)) {
		r.lru.MoveToFront(e.elem)
		return e, false // in flight (zero expiry) or fresh
	}
	var outages int
	if old := r.entries[key]; old != nil {
		outages = old.outages // the backoff outlives the pause it set
	}
	e = &robotsEntry{ready: make(chan struct{}), outages: outages}
	r.putLocked(key, e)
	return e, true
}

// putLocked caches e under key in place of any entry there, as the most
// recently used, and evicts what the budget no longer holds.
func (r *robotsCache) putLocked(key string, e *robotsEntry) {
	r.removeLocked(key)
	e.elem = r.lru.PushFront(key)
	e.cost = robotsEntryCost + int64(len(key))
	r.used += e.cost
	r.entries[key] = e
	r.evictLocked()
}

// removeLocked drops key's entry, if any, from the cache.
func (r *robotsCache) removeLocked(key string) {
	e := r.entries[key]
	if e == nil {
		return
	}
	r.lru.Remove(e.elem)
	r.used -= e.cost
	delete(r.entries, key)
}

// evictLocked drops the least recently used entries until the cache is
// within its budget. Entries being fetched stay: their cost is not known
// yet, and their waiters hold them. So does the most recently used, so that
// a budget smaller than one file does not refetch it for every URL.
func (r *robotsCache) evictLocked() {
	for el := r.lru.Back(); el != nil && el != r.lru.Front() && r.used > r.maxBytes; {
		prev := el.Prev()
		key := el.Value.(string)
		if !r.entries[key].expires.IsZero() {
			r.removeLocked(key)
			r.evicted++
		}
		el = prev
	}
}

func (r *robotsCache) complete(ctx context.Context, key string, e *robotsEntry, rules robotsRules, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	switch {
	case err != nil && (ctx.Err() != nil || errors.Is(err, ErrThrottled)):
		// The caller's deadline or cancellation, or the host's turn too far
		// off for it: not the host's failure. Cache nothing and let waiters
		// try with their own contexts, keeping the count of outages.
		e.abandoned = true
		if r.entries[key] == e {
			r.removeLocked(key)
			if e.outages > 0 {
				r.putLocked(key, &robotsEntry{ready: closedReady, expires: now, outages: e.outages})
			}
		}
	case err != nil:
		e.outages++
		pause := r.pause(e.outages, RetryAfter(err))
		e.err, e.expires = err, now.Add(pause)
		if IsTransient(err) { // a permanent failure is logged with each URL it refuses
			r.log.InfoContext(ctx, "robots.txt unavailable, host paused", "host", key, "pause", pause, "outages", e.outages, "err", err)
		}
	default:
		e.data, e.expires, e.outages = rules.data, now.Add(robotsTTL), 0
		if r.entries[key] == e {
			e.cost += rules.cost
			r.used += rules.cost
		}
	}
	close(e.ready)
	if r.entries[key] == e {
		r.evictLocked()
	}
}

// closedReady is a ready channel for entries that are done from the start.
var closedReady = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// pause is how long a host is left alone after its n-th consecutive
// robots.txt outage: retry doubled per outage, at least what the server
// asked for (Retry-After, or an open circuit's remaining time), at most
// retryMax.
func (r *robotsCache) pause(n int, asked time.Duration) time.Duration {
	d := r.retry
	for i := 1; i < n && d < r.retryMax; i++ {
		d *= 2
	}
	return min(max(d, asked), r.retryMax)
}

// fetch gets and parses robots.txt for u's host. A result with nil data and
// a nil error means "allow everything" (RFC 9309: 4xx, too many redirects,
// or an unparsable file).
func (r *robotsCache) fetch(ctx context.Context, u *url.URL) (robotsRules, error) {
	target := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	// Every hop goes through the guarded dialer, so redirects of robots.txt
	// to private addresses are refused like any other request.
	for range robotsMaxHops + 1 {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
		if err != nil {
			return robotsRules{}, &Error{URL: target.String(), Kind: ErrInvalidURL, Err: err}
		}
		req.Header.Set("User-Agent", r.userAgent)
		req.Header.Set("Accept", robotsAccept)
		resp, err := r.client.Do(req)
		if err != nil {
			return robotsRules{}, classify(target.String(), err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, robotsMaxBytes+1))
		resp.Body.Close()
		if err != nil {
			return robotsRules{}, classify(target.String(), err)
		}
		code := resp.StatusCode
		r.log.DebugContext(ctx, "robots.txt fetched", "url", target.String(), "status", code, "bytes", len(body))
		switch {
		case code >= 200 && code < 300:
			kept, rules, cost, capped := capRobots(body)
			if capped {
				r.log.InfoContext(ctx, "robots.txt over its caps, the rest ignored", "url", target.String(),
					"bytes", len(body), "rules", rules, "cost", cost)
			}
			data, err := robotstxt.FromBytes(kept)
			if err != nil {
				// Parsers must be lenient (RFC 9309 §2.2); an unreadable
				// file restricts nothing.
				r.log.DebugContext(ctx, "robots.txt unparsable", "url", target.String(), "err", err)
				return robotsRules{}, nil
			}
			return robotsRules{data: data, rules: rules, cost: int64(len(kept)) + cost}, nil
		case isRedirect(code) && resp.Header.Get("Location") != "":
			next, err := target.Parse(resp.Header.Get("Location"))
			if err != nil || (next.Scheme != "http" && next.Scheme != "https") {
				return robotsRules{}, nil // an unusable redirect: robots.txt unavailable
			}
			if err := r.ports.check(ctx, urlPort(next)); err != nil {
				if errors.Is(err, ErrBlockedPort) {
					return robotsRules{}, nil // unusable too
				}
				return robotsRules{}, classify(next.String(), err)
			}
			target = next
		case code == http.StatusTooManyRequests || code >= 500:
			return robotsRules{}, statusError(target.String(), code, resp.Header)
		default:
			return robotsRules{}, nil // 4xx and the rest: unavailable, so unrestricted
		}
	}
	return robotsRules{}, nil
}

// capRobots returns the part of a robots.txt body that is parsed: the first
// robotsMaxBytes (the last line cut there is dropped whole), of which only
// the first robotsMaxRules Allow and Disallow lines, within robotsMaxCost,
// are kept, with runs of "*" in their paths folded into one (the same
// match, a smaller regexp). It says how many rules were kept, their
// estimated cost, and whether anything was dropped.
func capRobots(body []byte) (kept []byte, rules int, cost int64, capped bool) {
	if len(body) > robotsMaxBytes {
		body, capped = body[:robotsMaxBytes], true
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 {
			body = body[:i+1]
		} else {
			body = nil
		}
	}
	kept = make([]byte, 0, len(body))
	for len(body) > 0 {
		line, rest, _ := bytes.Cut(body, []byte("\n"))
		body = rest
		key, value, ok := bytes.Cut(line, []byte(":"))
		key = bytes.ToLower(bytes.TrimSpace(key))
		if ok && (bytes.Equal(key, []byte("allow")) || bytes.Equal(key, []byte("disallow"))) {
			value = foldStars(value)
			c := ruleCost(value)
			if rules >= robotsMaxRules || cost+c > robotsMaxCost {
				capped = true
				continue
			}
			rules++
			cost += c
			kept = append(kept, key...)
			kept = append(kept, ':')
			kept = append(kept, value...)
		} else {
			kept = append(kept, line...)
		}
		kept = append(kept, '\n')
	}
	return kept, rules, cost, capped
}

// foldStars replaces runs of "*" in a rule's path by one.
func foldStars(v []byte) []byte {
	if !bytes.Contains(v, []byte("**")) {
		return v
	}
	out := make([]byte, 0, len(v))
	for i, c := range v {
		if c == '*' && i > 0 && v[i-1] == '*' {
			continue
		}
		out = append(out, c)
	}
	return out
}

// ruleCost estimates the memory of one parsed rule with the given path: the
// rule and its path and, for a pattern with "*" or "$", the regexp the
// robots.txt library compiles it into (measured about 1.5 KiB plus 300
// bytes per "*"; see BenchmarkRobotsHostile). An overestimate.
func ruleCost(path []byte) int64 {
	c := 64 + 2*int64(len(path))
	if stars := bytes.Count(path, []byte("*")); stars > 0 || bytes.Contains(path, []byte("$")) {
		c += 2048 + 384*int64(stars)
	}
	return c
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}
