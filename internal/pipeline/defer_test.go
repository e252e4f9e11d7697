package pipeline

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/sink"
)

// waitingSite answers each path's first requests with a status (an outage,
// a rate limit), then normally. It counts requests by path.
type waitingSite struct {
	robots string            // robots.txt once it answers
	fail   map[string]int    // path → requests answered with status
	status map[string]int    // path → that status
	header map[string]string // path → Retry-After

	mu   sync.Mutex
	hits map[string]int
}

func (s *waitingSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	failing := s.hits[r.URL.Path] <= s.fail[r.URL.Path]
	s.mu.Unlock()
	if failing {
		if ra := s.header[r.URL.Path]; ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		w.WriteHeader(s.status[r.URL.Path])
		return
	}
	if r.URL.Path == "/robots.txt" {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(s.robots))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(articleHTML("Story " + r.URL.Path)))
}

func (s *waitingSite) hit(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// startWaitingNode runs every stage with a fetcher configured for sites
// that ask to wait, with pauses short enough for a test.
func startWaitingNode(t *testing.T, fetcher crawler.Config) (jetstream.JetStream, *Node, trawler.Names, string) {
	t.Helper()
	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "wait"}
	out := filepath.Join(t.TempDir(), "articles.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	fetcher.AllowPrivate = true
	fetcher.HostDelay = time.Millisecond
	fetcher.RequestTimeout = 2 * time.Second
	node, err := Start(ctx, nc, Config{
		Names: names, Crawl: true, Parse: true, Sinks: []string{"jsonl:" + out},
		MaxDepth: 1, MaxDeliver: 2, NoRevisit: true,
		Fetcher:  fetcher,
		Registry: prometheus.NewRegistry(), Log: natstest.Discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := node.Wait(); err != nil {
			t.Errorf("node: %v", err)
		}
	})
	return js, node, names, out
}

// A host whose robots.txt answers 503 many more times than a message may
// fail is paused, not failed: once robots.txt answers, its allowed pages
// are fetched once each, its disallowed page never, and nothing is
// dead-lettered.
func TestRobotsOutageDefersHost(t *testing.T) {
	const outages = 6 // three times MaxDeliver
	site := &waitingSite{
		robots: "User-agent: *\nDisallow: /private\n",
		fail:   map[string]int{"/robots.txt": outages},
		status: map[string]int{"/robots.txt": http.StatusServiceUnavailable},
		hits:   map[string]int{},
	}
	srv := httptestServer(t, site)
	js, node, names, out := startWaitingNode(t, crawler.Config{
		RobotsRetry: 20 * time.Millisecond, RobotsRetryMax: 100 * time.Millisecond,
		CircuitOpen: 50 * time.Millisecond,
	})
	seeds := []string{srv.URL + "/a", srv.URL + "/b", srv.URL + "/private/c"}
	if _, err := Seed(context.Background(), js, names, seeds, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, js, node, names)

	if dls := deadLetters(t, js, names); len(dls) != 0 {
		t.Errorf("%d dead letters, want none: the host asked to wait (first: %s)", len(dls), dls[0].Header.Get("Trawler-Error"))
	}
	if n := site.hit("/robots.txt"); n != outages+1 {
		t.Errorf("robots.txt requested %d times, want %d (each outage, then once)", n, outages+1)
	}
	for path, want := range map[string]int{"/a": 1, "/b": 1, "/private/c": 0} {
		if n := site.hit(path); n != want {
			t.Errorf("%s requested %d times, want %d", path, n, want)
		}
	}
	if got := testutil.ToFloat64(node.Metrics.Deferred.WithLabelValues(DeferRobotsUnavailable)); got < outages {
		t.Errorf("robots_unavailable deferrals = %v, want at least one per outage (%d)", got, outages)
	}
	if got := testutil.ToFloat64(node.Metrics.Fetches.WithLabelValues("robots", "none")); got != 1 {
		t.Errorf("robots refusals = %v, want 1 (/private/c)", got)
	}
	arts, err := sink.ReadJSONL(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 {
		t.Errorf("%d articles written, want 2", len(arts))
	}
}

// A page answering 429 with Retry-After, or 503 without, more times than a
// message may fail is fetched once it answers, not dead-lettered.
func TestRateLimitedPagesAreDeferred(t *testing.T) {
	site := &waitingSite{
		fail:   map[string]int{"/busy": 3, "/unavailable": 2},
		status: map[string]int{"/busy": http.StatusTooManyRequests, "/unavailable": http.StatusServiceUnavailable},
		header: map[string]string{"/busy": "1"},
		hits:   map[string]int{},
	}
	busy, unavailable := httptestServer(t, site), httptestServer(t, site) // one host each: one's pause is not the other's
	js, node, names, out := startWaitingNode(t, crawler.Config{})
	seeds := []string{busy.URL + "/busy", unavailable.URL + "/unavailable"}
	if _, err := Seed(context.Background(), js, names, seeds, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, js, node, names)

	if dls := deadLetters(t, js, names); len(dls) != 0 {
		t.Errorf("%d dead letters, want none: the host asked to wait (first: %s)", len(dls), dls[0].Header.Get("Trawler-Error"))
	}
	for path, want := range map[string]int{"/busy": 4, "/unavailable": 3} {
		if n := site.hit(path); n != want {
			t.Errorf("%s requested %d times, want %d (every refusal, then the page)", path, n, want)
		}
	}
	if got := testutil.ToFloat64(node.Metrics.Deferred.WithLabelValues(DeferRateLimited)); got != 5 {
		t.Errorf("rate_limited deferrals = %v, want 5", got)
	}
	arts, err := sink.ReadJSONL(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 {
		t.Errorf("%d articles written, want 2", len(arts))
	}
}

// Only a host asking to wait defers a request; a failure of the page
// itself counts towards its deliveries.
func TestDeferReason(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&crawler.Error{Kind: crawler.ErrRobotsUnavailable, Err: &crawler.Error{Kind: crawler.ErrServer, Status: 503}}, DeferRobotsUnavailable},
		{&crawler.Error{Kind: crawler.ErrRobotsUnavailable, Err: &crawler.Error{Kind: crawler.ErrTimeout}}, DeferRobotsUnavailable},
		{&crawler.Error{Kind: crawler.ErrCircuitOpen, RetryAfter: time.Minute}, DeferHostPaused},
		{&crawler.Error{Kind: crawler.ErrThrottled, RetryAfter: time.Minute}, DeferHostPaused},
		{&crawler.Error{Kind: crawler.ErrRateLimited, Status: 429}, DeferRateLimited},
		{&crawler.Error{Kind: crawler.ErrServer, Status: 503, RetryAfter: time.Minute}, DeferRateLimited},
		{&crawler.Error{Kind: crawler.ErrServer, Status: 503}, DeferRateLimited},
		{&crawler.Error{Kind: crawler.ErrServer, Status: 500}, ""},
		{&crawler.Error{Kind: crawler.ErrServer, Status: 502}, ""},
		{&crawler.Error{Kind: crawler.ErrTimeout}, ""},
		{&crawler.Error{Kind: crawler.ErrConnection}, ""},
		{errors.New("unknown"), ""},
	}
	for _, tt := range tests {
		if got := deferReason(tt.err); got != tt.want {
			t.Errorf("deferReason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
