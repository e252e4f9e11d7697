package crawler

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseHostRule(t *testing.T) {
	def := HostRule{Delay: time.Second, Parallelism: 2}
	for _, tc := range []struct {
		in   string
		host string
		rule HostRule
		bad  bool
	}{
		{in: "example.com=delay:2s,parallelism:1", host: "example.com", rule: HostRule{Delay: 2 * time.Second, Parallelism: 1}},
		{in: "News.Example.com=delay:500ms", host: "news.example.com", rule: HostRule{Delay: 500 * time.Millisecond, Parallelism: 2}},
		{in: "example.com:8080=parallelism:4", host: "example.com:8080", rule: HostRule{Delay: time.Second, Parallelism: 4}},
		{in: "example.com=delay:0", host: "example.com", rule: HostRule{Delay: 0, Parallelism: 2}},
		{in: "example.com=delay:-1s", bad: true},
		{in: "example.com", bad: true},
		{in: "=delay:1s", bad: true},
		{in: "example.com=delay:fast", bad: true},
		{in: "example.com=parallelism:0", bad: true},
		{in: "example.com=speed:3", bad: true},
		{in: "http://example.com/=delay:1s", bad: true},
	} {
		host, rule, err := ParseHostRule(tc.in, def)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseHostRule(%q) = %q, %+v; want an error", tc.in, host, rule)
			}
			continue
		}
		if err != nil || host != tc.host || rule != tc.rule {
			t.Errorf("ParseHostRule(%q) = %q, %+v, %v; want %q, %+v", tc.in, host, rule, err, tc.host, tc.rule)
		}
	}
}

func TestBudgetsOf(t *testing.T) {
	b := budgets{def: budget{delay: time.Second, parallel: 2}, rules: map[string]HostRule{
		"example.com":      {Delay: 3 * time.Second},
		"api.example.com":  {Parallelism: 1}, // and no delay
		"example.com:8080": {Delay: 5 * time.Second, Parallelism: 4},
	}}
	for host, want := range map[string]budget{
		"example.com:443":       {3 * time.Second, 2},
		"www.example.com:443":   {3 * time.Second, 2},
		"api.example.com:443":   {0, 1}, // the most specific rule wins, whole
		"example.com:8080":      {5 * time.Second, 4},
		"notexample.com:443":    {time.Second, 2},
		"other.org:80":          {time.Second, 2},
		"v2.api.example.com:80": {0, 1},
	} {
		if got := b.of(host); got != want {
			t.Errorf("budget of %s = %+v, want %+v", host, got, want)
		}
	}
	if got := b.max(); got != 5*time.Second {
		t.Errorf("max delay = %v, want 5s", got)
	}
}

// A host rule overrides the default budget for its host only.
func TestFetchHostRule(t *testing.T) {
	t.Parallel()
	const slow = 150 * time.Millisecond
	rec := &recorder{}
	srv := newServer(t, rec)
	var wire wireLog
	cfg := wire.watch(testConfig())
	cfg.HostRules = map[string]HostRule{"127.0.0.1": {Delay: slow, Parallelism: 1}}
	f := newTestFetcher(t, cfg)
	for range 3 {
		if _, err := fetch(t, f, srv.URL+"/"); err != nil {
			t.Fatal(err)
		}
	}
	checkSpacing(t, wire.startsOf(srv.URL+"/"), 3, slow)
}

// checkSpacing checks that n requests left the fetcher (see wireLog) at
// least delay apart.
func checkSpacing(t *testing.T, starts []time.Time, n int, delay time.Duration) {
	t.Helper()
	// The scheduling between the limiter's grant and the record.
	const jitter = 25 * time.Millisecond
	if len(starts) != n {
		t.Fatalf("%d requests, want %d", len(starts), n)
	}
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < delay-jitter {
			t.Errorf("requests %d and %d started %v apart, want at least %v", i-1, i, gap, delay)
		}
	}
}

// robots.txt's Crawl-delay raises the host's delay.
func TestFetchCrawlDelay(t *testing.T) {
	t.Parallel()
	const crawlDelay = 300 * time.Millisecond
	rec := &recorder{}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", page("text/plain", "User-agent: *\nCrawl-delay: 0.3\nDisallow: /private/\n"))
	mux.Handle("/", rec)
	srv := newServer(t, mux)
	var wire wireLog
	cfg := wire.watch(testConfig())
	cfg.IgnoreRobots = false
	f := newTestFetcher(t, cfg)
	for range 3 {
		if _, err := fetch(t, f, srv.URL+"/"); err != nil {
			t.Fatal(err)
		}
	}
	checkSpacing(t, wire.startsOf(srv.URL+"/"), 3, crawlDelay)
	if n := len(rec.sortedStarts()); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
}

// A 429 with Retry-After holds the host's next request back that long.
func TestFetchRetryAfterSlowsHost(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	rec := &recorder{}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		rec.ServeHTTP(w, r)
	}))
	f := newTestFetcher(t, testConfig())
	start := time.Now()
	_, err := fetch(t, f, srv.URL+"/")
	if fe := wantKind(t, err, ErrRateLimited); fe.RetryAfter != time.Second {
		t.Errorf("RetryAfter = %v, want 1s", fe.RetryAfter)
	}
	if _, err := fetch(t, f, srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	if s := rec.sortedStarts(); len(s) != 1 || s[0].Sub(start) < time.Second-25*time.Millisecond {
		t.Errorf("second request %v after the 429, want at least 1s", s[0].Sub(start))
	}
}

// Consecutive failures open the host's circuit: requests fail at once,
// without reaching the host, until it has rested; then one more failure
// opens it again, and a success closes it.
func TestFetchCircuitBreaker(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	var healthy atomic.Bool
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if !healthy.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		page("text/html", htmlPage)(w, r)
	}))
	cfg := testConfig()
	cfg.CircuitFailures = 3
	cfg.CircuitOpen = 200 * time.Millisecond
	f := newTestFetcher(t, cfg)
	for range 3 {
		_, err := fetch(t, f, srv.URL+"/")
		wantKind(t, err, ErrServer)
	}
	_, err := fetch(t, f, srv.URL+"/")
	fe := wantKind(t, err, ErrCircuitOpen)
	if fe.RetryAfter <= 0 || fe.RetryAfter > cfg.CircuitOpen {
		t.Errorf("RetryAfter = %v, want within (0, %v]", fe.RetryAfter, cfg.CircuitOpen)
	}
	if !IsTransient(err) || Outcome(err) != "circuit_open" {
		t.Errorf("open circuit: transient %v, outcome %q", IsTransient(err), Outcome(err))
	}
	if got := hits.Load(); got != 3 {
		t.Errorf("host hit %d times, want 3 (the open circuit sends nothing)", got)
	}
	time.Sleep(cfg.CircuitOpen)
	_, err = fetch(t, f, srv.URL+"/")
	wantKind(t, err, ErrServer)
	_, err = fetch(t, f, srv.URL+"/")
	wantKind(t, err, ErrCircuitOpen) // one strike after a rest
	time.Sleep(cfg.CircuitOpen)
	healthy.Store(true)
	for range 4 {
		if _, err := f.Fetch(context.Background(), srv.URL+"/"); err != nil {
			t.Fatalf("healthy again: %v", err)
		}
	}
}
