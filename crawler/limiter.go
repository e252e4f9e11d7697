package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// hostLimiter is per-host politeness: request starts to one host are spaced
// by delay, and at most parallel requests to it are in flight. colly's
// LimitRule cannot do this: a rule with glob "*" is one budget shared by all
// hosts, and its slots are held through the delay.
//
// Waiters are served in arrival order and give up when their context ends.
// Memory follows the active hosts only: an entry is dropped by a periodic
// sweep once its host is idle and its delay has passed.
type hostLimiter struct {
	delay    time.Duration
	parallel int

	mu        sync.Mutex
	hosts     map[string]*hostQueue
	lastSweep time.Time
}

type hostQueue struct {
	inflight int
	next     time.Time // earliest start of the next request
	waiters  []*int    // FIFO of waiter tokens; the head may go next
	changed  chan struct{}
}

func newHostLimiter(delay time.Duration, parallel int) *hostLimiter {
	return &hostLimiter{delay: delay, parallel: parallel, hosts: make(map[string]*hostQueue)}
}

// notify wakes the waiters of q so they re-check their turn.
func (q *hostQueue) notify() {
	close(q.changed)
	q.changed = make(chan struct{})
}

// acquire waits for host's turn and returns the function that ends the
// request. A deadline that passes while waiting is reported as ErrThrottled.
func (l *hostLimiter) acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	now := time.Now()
	l.sweepLocked(now)
	q := l.hosts[host]
	if q == nil {
		q = &hostQueue{changed: make(chan struct{})}
		l.hosts[host] = q
	}
	me := new(int)
	q.waiters = append(q.waiters, me)
	for {
		var timer *time.Timer
		var fire <-chan time.Time
		if q.waiters[0] == me && q.inflight < l.parallel {
			wait := q.next.Sub(now)
			if wait <= 0 {
				q.waiters[0] = nil
				q.waiters = q.waiters[1:]
				q.inflight++
				q.next = now.Add(l.delay)
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
			l.mu.Unlock()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, fmt.Errorf("%w: waiting for %s: %w", ErrThrottled, host, ctx.Err())
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

// sweepLocked drops idle hosts whose delay has passed, at most once per
// delay, so the map holds roughly the hosts active during the last two delays.
func (l *hostLimiter) sweepLocked(now time.Time) {
	if now.Sub(l.lastSweep) < l.delay {
		return
	}
	l.lastSweep = now
	for h, q := range l.hosts {
		if q.inflight == 0 && len(q.waiters) == 0 && !now.Before(q.next) {
			delete(l.hosts, h)
		}
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
// body is closed, so a request counts as in flight until fully read.
type politeTransport struct {
	next    http.RoundTripper
	limiter *hostLimiter
}

// RoundTrip implements http.RoundTripper.
func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	release, err := t.limiter.acquire(req.Context(), hostKey(req.URL))
	if err != nil {
		if req.Body != nil {
			req.Body.Close() // RoundTrip must close the body, even on error
		}
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
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
