package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// hostLimiter is per-host politeness: request starts to one host are spaced
// by its delay, and at most its parallelism requests to it are in flight.
// colly's LimitRule cannot do this: a rule with glob "*" is one budget shared
// by all hosts, and its slots are held through the delay.
//
// It also holds each host's backpressure: a 429 or 503 pauses the host (for
// its Retry-After, or a few delays), and consecutive failures open a circuit
// during which requests to the host fail at once with ErrCircuitOpen. After
// that one request is let through; if it fails too, the circuit opens again.
//
// Waiters are served in arrival order and give up when their context ends.
// Memory follows the active hosts only: an entry is dropped by a periodic
// sweep once its host is idle and its delay, pause and circuit have passed.
type hostLimiter struct {
	budgets         budgets
	circuitFailures int
	circuitOpen     time.Duration
	log             *slog.Logger

	mu        sync.Mutex
	hosts     map[string]*hostQueue
	lastSweep time.Time
}

type hostQueue struct {
	budget
	inflight  int
	next      time.Time // earliest start of the next request
	waiters   []*int    // FIFO of waiter tokens; the head may go next
	changed   chan struct{}
	fails     int       // consecutive failures
	lastFail  time.Time // time of the last of them
	openUntil time.Time // circuit open until then
}

// Backpressure defaults.
const (
	// pauseDelays is how many host delays a 429 or 503 without Retry-After
	// pauses the host for.
	pauseDelays = 5
	// maxPause caps the pause a server can ask for with Retry-After.
	maxPause = 10 * time.Minute
	// minSweep is the shortest interval between two sweeps of idle hosts.
	minSweep = 10 * time.Millisecond
)

func newHostLimiter(b budgets, circuitFailures int, circuitOpen time.Duration, log *slog.Logger) *hostLimiter {
	return &hostLimiter{budgets: b, circuitFailures: circuitFailures, circuitOpen: circuitOpen,
		log: log, hosts: make(map[string]*hostQueue)}
}

// notify wakes the waiters of q so they re-check their turn.
func (q *hostQueue) notify() {
	close(q.changed)
	q.changed = make(chan struct{})
}

// circuitError is the error of a request refused while host's circuit is open.
func circuitError(host string, until, now time.Time) error {
	return &Error{URL: host, Kind: ErrCircuitOpen, RetryAfter: until.Sub(now),
		Err: fmt.Errorf("%s failed repeatedly; retry after %s", host, until.Sub(now).Round(time.Millisecond))}
}

// throttledError is the error of a request whose turn at host is, or came,
// too late for its deadline; RetryAfter says when the host is free again.
func throttledError(host string, after time.Duration, cause error) error {
	return &Error{URL: host, Kind: ErrThrottled, RetryAfter: after,
		Err: fmt.Errorf("waiting for %s: %w", host, cause)}
}

// acquire waits for host's turn and returns the function that ends the
// request. floor raises the host's delay (robots.txt Crawl-delay). A
// deadline that passes (or would pass: a paused host is not waited for in
// vain) while waiting is reported as ErrThrottled; an open circuit as
// ErrCircuitOpen.
func (l *hostLimiter) acquire(ctx context.Context, host string, floor time.Duration) (release func(), err error) {
	l.mu.Lock()
	now := time.Now()
	l.sweepLocked(now)
	q := l.hosts[host]
	if q == nil {
		q = &hostQueue{budget: l.budgets.of(host), changed: make(chan struct{})}
		l.hosts[host] = q
	}
	delay := max(q.delay, floor)
	me := new(int)
	q.waiters = append(q.waiters, me)
	for {
		if now.Before(q.openUntil) {
			if i := slices.Index(q.waiters, me); i >= 0 {
				q.waiters = slices.Delete(q.waiters, i, i+1)
			}
			q.notify()
			l.mu.Unlock()
			return nil, circuitError(host, q.openUntil, now)
		}
		if dl, ok := ctx.Deadline(); ok && q.next.After(dl) {
			// Paused past the deadline (Retry-After, Crawl-delay): give the
			// caller its answer now rather than hold it until then.
			if i := slices.Index(q.waiters, me); i >= 0 {
				q.waiters = slices.Delete(q.waiters, i, i+1)
			}
			q.notify()
			l.mu.Unlock()
			return nil, throttledError(host, q.next.Sub(now), context.DeadlineExceeded)
		}
		var timer *time.Timer
		var fire <-chan time.Time
		if q.waiters[0] == me && q.inflight < q.parallel {
			wait := q.next.Sub(now)
			if wait <= 0 {
				q.waiters[0] = nil
				q.waiters = q.waiters[1:]
				q.inflight++
				q.next = now.Add(delay)
				q.notify() // with parallel > 1 the new head may be able to go
				l.mu.Unlock()
				return sync.OnceFunc(func() { l.release(q) }), nil
			}
			timer = time.NewTimer(wait)
			fire = timer.C
		}
		changed := q.changed
		l.mu.Unlock()

		select {
		case <-ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			l.mu.Lock()
			if i := slices.Index(q.waiters, me); i >= 0 {
				q.waiters = slices.Delete(q.waiters, i, i+1)
			}
			q.notify()
			// Busy rather than paused: come back after at least one delay.
			after := max(time.Until(q.next), delay)
			l.mu.Unlock()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, throttledError(host, after, ctx.Err())
			}
			return nil, ctx.Err()
		case <-changed:
		case <-fire:
		}
		if timer != nil {
			timer.Stop()
		}
		l.mu.Lock()
		now = time.Now()
	}
}

func (l *hostLimiter) release(q *hostQueue) {
	l.mu.Lock()
	q.inflight--
	q.notify()
	l.mu.Unlock()
}

// sweepLocked drops idle hosts whose delay, pause and circuit probation have passed,
// at most once per default delay, so the map holds roughly the hosts active
// during the last two delays. A sweep walks every host: minSweep spares a
// short or zero delay one walk per request.
func (l *hostLimiter) sweepLocked(now time.Time) {
	if now.Sub(l.lastSweep) < max(l.budgets.def.delay, minSweep) {
		return
	}
	l.lastSweep = now
	for h, q := range l.hosts {
		// A failing host is remembered for one open period after its
		// last failure or its circuit's closing, whichever is later: its
		// count is not lost to idleness, and a host whose circuit closed
		// is on probation (one failure reopens it).
		probation := q.fails > 0 && (now.Before(q.lastFail.Add(l.circuitOpen)) || now.Before(q.openUntil.Add(l.circuitOpen)))
		if q.inflight == 0 && len(q.waiters) == 0 && !now.Before(q.next) && !probation {
			delete(l.hosts, h)
		}
	}
}

// report records the result of a request to host: a failure (5xx, 429,
// connection error, timeout) counts towards opening the circuit, a success
// closes it. pause, when positive, keeps the host's next request back that
// long (429 and 503).
func (l *hostLimiter) report(host string, failed bool, pause time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.hosts[host]
	if q == nil {
		return
	}
	now := time.Now()
	if pause > 0 {
		pause = min(pause, maxPause)
		if until := now.Add(pause); until.After(q.next) {
			q.next = until
			l.log.Info("host slowed down", "host", host, "pause", pause)
		}
	}
	if !failed {
		q.fails = 0
		return
	}
	q.fails++
	q.lastFail = now
	if l.circuitFailures > 0 && q.fails >= l.circuitFailures && !now.Before(q.openUntil) {
		q.openUntil = now.Add(l.circuitOpen)
		// One more failure after the circuit closes opens it again.
		q.fails = l.circuitFailures - 1
		l.log.Warn("host circuit opened", "host", host, "failures", l.circuitFailures, "for", l.circuitOpen)
		q.notify()
	}
}

// size returns the number of hosts tracked.
func (l *hostLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.hosts)
}

// hostKey names the politeness unit of u: host and port, the default port
// made explicit so "example.com" and "example.com:443" share one budget.
func hostKey(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// politeTransport takes a host slot for every request it carries (pages,
// redirect hops and robots.txt alike) and gives it back when the response
// body is closed, so a request counts as in flight until fully read. It
// reports each outcome to the limiter for backpressure.
type politeTransport struct {
	next    http.RoundTripper
	limiter *hostLimiter
	// floor returns the delay robots.txt asks for the URL's host (0 if
	// none or not yet known).
	floor func(u *url.URL) time.Duration
}

// RoundTrip implements http.RoundTripper.
func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := hostKey(req.URL)
	var floor time.Duration
	if t.floor != nil {
		floor = t.floor(req.URL)
	}
	release, err := t.limiter.acquire(req.Context(), host, floor)
	if err != nil {
		if req.Body != nil {
			req.Body.Close() // RoundTrip must close the body, even on error
		}
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		if req.Context().Err() == nil { // our cancellation is not the host's fault
			t.limiter.report(host, true, 0)
		}
		return nil, err
	}
	code := resp.StatusCode
	var pause time.Duration
	if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
		pause = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		if pause == 0 {
			pause = pauseDelays * max(t.limiter.budgets.of(host).delay, floor)
		}
	}
	t.limiter.report(host, code == http.StatusTooManyRequests || code >= 500, pause)
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

type releaseBody struct {
	io.ReadCloser
	release func()
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
