package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsSite serves robots.txt (with the given status) and HTML elsewhere,
// counting requests by path.
func robotsSite(t *testing.T, status int, robots string) (string, *hits) {
	t.Helper()
	var h hits
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			if status == http.StatusMovedPermanently {
				http.Redirect(w, r, "/real-robots.txt", status)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(status)
			w.Write([]byte(robots))
		case "/real-robots.txt":
			w.Write([]byte(robots))
		default:
			page("text/html", htmlPage)(w, r)
		}
	}))
	return srv.URL, &h
}

// The trawler group is the most specific match for us; the "*" group,
// which disallows everything, does not apply.
const robotsFile = `User-agent: *
Disallow: /

User-agent: trawler
Disallow: /private
Disallow: /*?session=
Allow: /private/open
`

func TestFetchObeysRobots(t *testing.T) {
	t.Parallel()
	base, h := robotsSite(t, http.StatusOK, robotsFile)
	cfg := testConfig()
	cfg.IgnoreRobots = false
	f := newTestFetcher(t, cfg)

	for path, allowed := range map[string]bool{
		"/":                true,
		"/news/1":          true,
		"/private":         false,
		"/private/x":       false,
		"/private/open/x":  true,
		"/a?session=1":     false,
		"/a?page=2":        true,
		"/private%2Fdummy": false,
	} {
		_, err := fetch(t, f, base+path)
		if allowed && err != nil {
			t.Errorf("%s: %v", path, err)
		}
		if !allowed {
			wantKind(t, err, ErrRobots)
			if IsTransient(err) || Outcome(err) != "robots" {
				t.Errorf("%s: robots refusal transient or mislabelled: %v", path, err)
			}
		}
	}
	if n := h.get("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1 (cached)", n)
	}
	if n := h.get("/private"); n != 0 {
		t.Errorf("disallowed page fetched %d times", n)
	}

	// Another agent falls into the "*" group.
	cfg.UserAgent = "otherbot/2.0 (+https://example.com/bot)"
	other := newTestFetcher(t, cfg)
	_, err := fetch(t, other, base+"/news/1")
	wantKind(t, err, ErrRobots)

	// IgnoreRobots fetches regardless, without asking.
	cfg = testConfig()
	cfg.IgnoreRobots = true
	ign := newTestFetcher(t, cfg)
	before := h.get("/robots.txt")
	if _, err := fetch(t, ign, base+"/private"); err != nil {
		t.Errorf("IgnoreRobots: %v", err)
	}
	if h.get("/robots.txt") != before {
		t.Errorf("IgnoreRobots still fetched robots.txt")
	}
}

func TestRobotsFetchedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	base, h := robotsSite(t, http.StatusOK, robotsFile)
	cfg := testConfig()
	cfg.IgnoreRobots = false
	cfg.HostParallelism = 8
	f := newTestFetcher(t, cfg)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), base+"/news"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := h.get("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times by concurrent fetches, want 1", n)
	}
}

func TestRobotsUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		robots string
		kind   error // nil: the page is fetched
	}{
		{"404 allows all", http.StatusNotFound, "", nil},
		{"403 allows all", http.StatusForbidden, "User-agent: *\nDisallow: /\n", nil},
		{"empty allows all", http.StatusOK, "", nil},
		{"redirect followed", http.StatusMovedPermanently, "User-agent: *\nDisallow: /news\n", ErrRobots},
		{"503 blocks, transiently", http.StatusServiceUnavailable, "", ErrRobotsUnavailable},
		{"429 blocks, transiently", http.StatusTooManyRequests, "", ErrRobotsUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base, h := robotsSite(t, tt.status, tt.robots)
			cfg := testConfig()
			cfg.IgnoreRobots = false
			f := newTestFetcher(t, cfg)
			for range 2 {
				_, err := fetch(t, f, base+"/news")
				if tt.kind == nil {
					if err != nil {
						t.Fatalf("Fetch: %v", err)
					}
					continue
				}
				wantKind(t, err, tt.kind)
			}
			if tt.kind != nil && tt.kind != ErrRobots {
				if r, p := h.get("/robots.txt"), h.get("/news"); r != 1 || p != 0 {
					t.Errorf("robots.txt requested %d times, page %d; want 1 (failure cached) and 0", r, p)
				}
			}
		})
	}
}

// A robots.txt outage pauses the host, fetching nothing from it, for a
// pause that doubles with each consecutive outage up to a cap; once
// robots.txt answers, its rules apply.
func TestRobotsOutagePausesHost(t *testing.T) {
	t.Parallel()
	var h hits
	var mu sync.Mutex
	outages := 3
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		if r.URL.Path != "/robots.txt" {
			page("text/html", htmlPage)(w, r)
			return
		}
		mu.Lock()
		down := outages > 0
		outages--
		mu.Unlock()
		if down {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("User-agent: *\nDisallow: /private\n"))
	}))
	cfg := testConfig()
	cfg.IgnoreRobots = false
	cfg.RobotsRetry = 100 * time.Millisecond
	cfg.RobotsRetryMax = 250 * time.Millisecond
	f := newTestFetcher(t, cfg)

	// Each pause longer than the one before (the backoff), none past the
	// cap; the lower bounds leave room for a slow test machine.
	for i, pause := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 250 * time.Millisecond} {
		above := []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond}[i]
		_, err := fetch(t, f, srv.URL+"/news")
		fe := wantKind(t, err, ErrRobotsUnavailable)
		if !IsTransient(err) || Outcome(err) != "robots_unavailable" || !errors.Is(err, ErrServer) {
			t.Errorf("outage %d: %v: transient %v, outcome %s; want a transient robots_unavailable wrapping the 503",
				i+1, err, IsTransient(err), Outcome(err))
		}
		if fe.RetryAfter <= above || fe.RetryAfter > pause {
			t.Errorf("outage %d: RetryAfter = %v, want in (%v, %v]", i+1, fe.RetryAfter, above, pause)
		}
		// Paused: asking again sends nothing.
		_, err = fetch(t, f, srv.URL+"/other")
		wantKind(t, err, ErrRobotsUnavailable)
		if r, p := h.get("/robots.txt"), h.get("/news")+h.get("/other"); r != i+1 || p != 0 {
			t.Fatalf("outage %d: robots.txt requested %d times, pages %d; want %d and 0", i+1, r, p, i+1)
		}
		time.Sleep(fe.RetryAfter + 5*time.Millisecond)
	}
	if _, err := fetch(t, f, srv.URL+"/news"); err != nil {
		t.Fatalf("after the outage: %v", err)
	}
	_, err := fetch(t, f, srv.URL+"/private/x")
	wantKind(t, err, ErrRobots)
	if r, p := h.get("/robots.txt"), h.get("/private/x"); r != 4 || p != 0 {
		t.Errorf("robots.txt requested %d times, disallowed page %d; want 4 and 0", r, p)
	}
}

// A robots.txt that hangs or asks to wait with Retry-After is an outage
// too, not a failure of the page. One whose server drops the connection is
// down: its pages fail with the connection error (and are not requested).
func TestRobotsOutageKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		robots  http.HandlerFunc
		cause   error
		atLeast time.Duration // RetryAfter
		kind    error         // the fetch error's kind
	}{
		{"hangs", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, ErrTimeout, 0, ErrRobotsUnavailable},
		{"resets", func(w http.ResponseWriter, r *http.Request) {
			c, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				c.Close()
			}
		}, ErrConnection, 0, ErrConnection},
		{"retry-after", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusServiceUnavailable)
		}, ErrServer, 119 * time.Second, ErrRobotsUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var h hits
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.add(r.URL.Path)
				if r.URL.Path == "/robots.txt" {
					tt.robots(w, r)
					return
				}
				page("text/html", htmlPage)(w, r)
			}))
			cfg := testConfig()
			cfg.IgnoreRobots = false
			cfg.RequestTimeout = 400 * time.Millisecond
			cfg.RobotsRetry = time.Second
			f := newTestFetcher(t, cfg)
			_, err := fetch(t, f, srv.URL+"/news")
			fe := wantKind(t, err, tt.kind)
			if !errors.Is(err, tt.cause) {
				t.Errorf("%v does not wrap %v", err, tt.cause)
			}
			if tt.kind == ErrRobotsUnavailable && fe.RetryAfter < max(tt.atLeast, 900*time.Millisecond) {
				t.Errorf("RetryAfter = %v, want at least %v", fe.RetryAfter, max(tt.atLeast, 900*time.Millisecond))
			}
			if n := h.get("/news"); n != 0 {
				t.Errorf("page requested %d times while robots.txt was unavailable", n)
			}
		})
	}
}

func TestRobotsAgent(t *testing.T) {
	t.Parallel()
	for ua, want := range map[string]string{
		"trawler/0.1.0":                  "trawler",
		"Trawler":                        "trawler",
		"NewsBot/1.0 (+https://x.test/)": "newsbot",
		"  spaced agent/2 ":              "spaced",
	} {
		if got := robotsAgent(ua); got != want {
			t.Errorf("robotsAgent(%q) = %q, want %q", ua, got, want)
		}
	}
}

// A hostile robots.txt past the size and rule caps is read only up to
// them: rules past the caps are ignored, and what is kept is bounded in
// rules and estimated bytes, however long the file.
func TestRobotsHostileFileIsCapped(t *testing.T) {
	t.Parallel()
	body := "User-agent: *\nDisallow: /early\n" + string(hostileRobots(2*robotsMaxBytes)) + "Disallow: /late\n"
	base, _ := robotsSite(t, http.StatusOK, body)
	r := newRobotsCache(http.DefaultClient, "trawler", slog.New(slog.DiscardHandler))
	u, _ := url.Parse(base + "/")
	got, err := r.fetch(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	if got.rules > robotsMaxRules || got.cost > robotsMaxBytes+robotsMaxCost {
		t.Errorf("kept %d rules costing %d bytes; want at most %d rules and %d bytes", got.rules, got.cost, robotsMaxRules, robotsMaxBytes+robotsMaxCost)
	}
	if got.data.TestAgent("/early", "trawler") {
		t.Error("/early allowed: the rules before the caps must be kept")
	}
	if !got.data.TestAgent("/late", "trawler") {
		t.Error("/late disallowed: the rules past the caps must be ignored")
	}
}

// capRobots drops the line cut by the byte cap, folds runs of "*" and
// stops keeping rules at the rule cap.
func TestCapRobots(t *testing.T) {
	t.Parallel()
	kept, rules, _, capped := capRobots([]byte("User-agent: *\nDisallow: /a***b\nSitemap: http://x/s.xml\n"))
	if string(kept) != "User-agent: *\ndisallow: /a*b\nSitemap: http://x/s.xml\n" || rules != 1 || capped {
		t.Errorf("capRobots = %q, %d rules, capped %v", kept, rules, capped)
	}
	kept, rules, _, capped = capRobots(bytes.Repeat([]byte("Disallow: /x\n"), 2*robotsMaxRules))
	if !capped || rules != robotsMaxRules || bytes.Count(kept, []byte("\n")) != robotsMaxRules {
		t.Errorf("over the rule cap: %d rules, %d lines, capped %v", rules, bytes.Count(kept, []byte("\n")), capped)
	}
	kept, _, _, capped = capRobots(bytes.Repeat([]byte("#2345678\n"), robotsMaxBytes/9+2))
	if want := robotsMaxBytes / 9 * 9; !capped || len(kept) != want {
		t.Errorf("over the byte cap: kept %d bytes, capped %v; want the %d bytes of whole lines", len(kept), capped, want)
	}
}

// The cache keeps the estimated bytes of its entries within its budget by
// forgetting the least recently used hosts; the fetched files of many
// hostile hosts never add up past it.
func TestRobotsCacheIsBoundedByBytes(t *testing.T) {
	t.Parallel()
	r := newRobotsCache(http.DefaultClient, "trawler", nil)
	kept, n, cost, _ := capRobots(hostileRobots(robotsMaxBytes))
	data, err := robotstxt.FromBytes(kept)
	if err != nil {
		t.Fatal(err)
	}
	hostile := robotsRules{data: data, rules: n, cost: int64(len(kept)) + cost}
	r.maxBytes = 3 * (hostile.cost + robotsEntryCost + 16) // 16: room for the keys
	add := func(k string) {
		t.Helper()
		e, owner := r.entry(k)
		if !owner {
			t.Fatalf("entry(%s) not new", k)
		}
		r.complete(context.Background(), k, e, hostile, nil)
	}
	for _, k := range []string{"a", "b", "c"} {
		add(k)
	}
	if len(r.entries) != 3 {
		t.Fatalf("%d entries within the budget, want 3", len(r.entries))
	}
	r.entry("a") // used: b is now the least recently used
	for i := range 20 {
		add(fmt.Sprintf("hostile%d", i))
		if r.used > r.maxBytes {
			t.Fatalf("after %d hostile hosts the cache accounts %d bytes, over its budget of %d", i+1, r.used, r.maxBytes)
		}
	}
	if _, ok := r.entries["hostile19"]; !ok {
		t.Error("the newest entry was evicted")
	}
	if len(r.entries) > 3 || r.evicted < 18 {
		t.Errorf("%d entries, %d evicted: want at most 3 and 18 evictions", len(r.entries), r.evicted)
	}
	var sum int64
	for _, e := range r.entries {
		sum += e.cost
	}
	if sum != r.used {
		t.Errorf("accounted %d bytes, entries cost %d", r.used, sum)
	}
	// Least recently used first: a was used after b was filled.
	r2 := newRobotsCache(http.DefaultClient, "trawler", nil)
	r2.maxBytes = r.maxBytes
	r = r2
	for _, k := range []string{"a", "b", "c"} {
		add(k)
	}
	r.entry("a")
	add("d")
	if _, ok := r.entries["a"]; !ok {
		t.Error("the recently used entry was evicted")
	}
	if _, ok := r.entries["b"]; ok {
		t.Error("the least recently used entry survived")
	}
	// A budget smaller than one file keeps the file fetched last, rather
	// than fetching it again for every URL.
	r = newRobotsCache(http.DefaultClient, "trawler", nil)
	r.maxBytes = 1
	add("a")
	add("b")
	if _, ok := r.entries["b"]; !ok || len(r.entries) != 1 {
		t.Errorf("budget under one file: entries %v, want b alone", slices.Collect(maps.Keys(r.entries)))
	}
}
