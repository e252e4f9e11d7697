package pipeline

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/sink"
)

// countingSite serves articles and redirects, counting requests by path.
type countingSite struct {
	mu    sync.Mutex
	hits  map[string]int
	links map[string][]string // page path: its links
	moves map[string]string   // path: Location
	*httptest.Server
}

func newCountingSite(t *testing.T, addr string, links map[string][]string, moves map[string]string) *countingSite {
	s := &countingSite{hits: map[string]int{}, links: links, moves: moves}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		to, ok := s.moves[r.URL.Path]
		s.mu.Unlock()
		if ok {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if links := s.links[r.URL.Path]; len(links) > 0 {
			writeSection(w, links)
			return
		}
		writeStory(w, strings.Trim(r.URL.Path, "/"), "2026-11-02T10:00:00Z")
	}))
	if addr != "" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Skipf("cannot listen on %s: %v", addr, err)
		}
		s.Listener.Close()
		s.Listener = l
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *countingSite) move(from, to string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.moves[from] = to
}

func (s *countingSite) get(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// The crawl stage decides on every redirect: a target crawled on its own is
// not fetched through the redirect, a new target in the same budget is
// claimed and followed, a target in another site's budget is handed to its
// partition, and an out-of-scope target is never requested. Every page is
// fetched once and written once.
func TestCrawlRedirects(t *testing.T) {
	other := newCountingSite(t, "", nil, nil)
	// The other site is reached by name, so that it is another site
	// (another partition key) on the same loopback address.
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	site := newCountingSite(t, "",
		map[string][]string{"/": {"/linked", "/to-linked", "/to-new", "/to-other", "/to-away"}},
		map[string]string{
			"/to-linked": "/linked",
			"/to-new":    "/new",
			"/to-other":  otherURL + "/landing",
		})
	// Scope is by domain, ports aside: the site out of scope needs another
	// address (all of 127/8 is loopback on Linux), and the site's port, a
	// seed's, so that the scope refuses it rather than the port allowlist.
	away := newCountingSite(t, "127.0.0.2:"+site.URL[strings.LastIndex(site.URL, ":")+1:], nil, nil)
	site.move("/to-away", away.URL+"/landing")

	js, node, names, out, _ := startNode(t, 3)
	ctx := context.Background()
	if _, err := Seed(ctx, js, names, []string{site.URL + "/", otherURL + "/"}, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, js, node, names)

	for path, want := range map[string]int{"/": 1, "/linked": 1, "/to-linked": 1, "/new": 1, "/to-new": 1, "/to-other": 1} {
		if n := site.get(path); n != want {
			t.Errorf("%s requested %d times, want %d", path, n, want)
		}
	}
	if n := other.get("/landing"); n != 1 {
		t.Errorf("handed-off target requested %d times, want 1", n)
	}
	if n := away.get("/landing"); n != 0 {
		t.Errorf("out-of-scope target requested %d times", n)
	}
	for outcome, want := range map[string]float64{outcomeRedirectSeen: 1, outcomeRedirectHandoff: 1, outcomeOutOfScope: 1} {
		if got := testutil.ToFloat64(node.Metrics.Fetches.WithLabelValues(outcome, "3xx")); got != want {
			t.Errorf("%s fetches = %v, want %v", outcome, got, want)
		}
	}

	arts, err := sink.ReadJSONL(out)
	if err != nil {
		t.Fatal(err)
	}
	written := map[string]int{}
	for _, a := range arts {
		written[strings.TrimPrefix(strings.TrimPrefix(a.URL, site.URL), otherURL)]++
	}
	for _, p := range []string{"/linked", "/new", "/landing"} {
		if written[p] != 1 {
			t.Errorf("%s written %d times, want once (written: %v)", p, written[p], written)
		}
	}
}
