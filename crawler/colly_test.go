package crawler

import (
	"bytes"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/gocolly/colly/v2"
)

// TestCollyEnvironmentIgnored sets the COLLY_* variables that would change
// what we fetch and how, and checks that none of them does.
func TestCollyEnvironmentIgnored(t *testing.T) {
	cacheDir := t.TempDir()
	env := map[string]string{
		"COLLY_USER_AGENT":                "evilbot/6.6",
		"COLLY_IGNORE_ROBOTSTXT":          "yes",
		"COLLY_MAX_BODY_SIZE":             "10",
		"COLLY_DETECT_CHARSET":            "yes",
		"COLLY_CACHE_DIR":                 cacheDir,
		"COLLY_MAX_REQUESTS":              "1",
		"COLLY_FOLLOW_REDIRECTS":          "no",
		"COLLY_ALLOWED_DOMAINS":           "example.com",
		"COLLY_DISALLOWED_DOMAINS":        "127.0.0.1",
		"COLLY_PARSE_HTTP_ERROR_RESPONSE": "no",
		"COLLY_MAX_DEPTH":                 "1",
		"COLLY_TRACE_HTTP":                "yes",
		"COLLY_DISABLE_COOKIES":           "yes",
		"COLLY_UNKNOWN_SETTING":           "x", // colly logs these to the global logger
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	// The trap is real: colly.NewCollector obeys the environment.
	if c := colly.NewCollector(); c.UserAgent != "evilbot/6.6" || c.MaxBodySize != 10 || !c.IgnoreRobotsTxt {
		t.Fatalf("colly.NewCollector no longer reads COLLY_*; revisit this test")
	}

	var (
		mu  sync.Mutex
		uas = map[string]bool{}
	)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		uas[r.UserAgent()] = true
		mu.Unlock()
		switch r.URL.Path {
		case "/robots.txt":
			w.Write([]byte("User-agent: *\nDisallow: /private\n"))
		case "/old":
			http.Redirect(w, r, "/arabic", http.StatusMovedPermanently)
		case "/gone":
			http.Error(w, "gone", http.StatusGone)
		default:
			page("text/html; charset=windows-1256", windows1256)(w, r)
		}
	})
	srv := newServer(t, mux)

	cfg := testConfig()
	cfg.IgnoreRobots = false
	f := newTestFetcher(t, cfg)
	for range 2 { // twice: COLLY_MAX_REQUESTS=1 would refuse the second
		res, err := fetch(t, f, srv.URL+"/old")
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		if !bytes.Equal(res.Body, []byte(windows1256)) {
			t.Errorf("body changed (truncated or transcoded): %q", res.Body)
		}
		if res.FinalURL != srv.URL+"/arabic" {
			t.Errorf("redirect not followed: %s", res.FinalURL)
		}
	}
	_, err := fetch(t, f, srv.URL+"/private")
	wantKind(t, err, ErrRobots)
	_, err = fetch(t, f, srv.URL+"/gone")
	wantKind(t, err, ErrNotFound)

	mu.Lock()
	defer mu.Unlock()
	if len(uas) != 1 || !uas[DefaultUserAgent] {
		t.Errorf("user agents sent: %v, want only %q", uas, DefaultUserAgent)
	}
	if entries, _ := os.ReadDir(cacheDir); len(entries) != 0 {
		t.Errorf("colly cached responses in COLLY_CACHE_DIR: %d entries", len(entries))
	}
}

// TestCollyKeepsNoVisitedState checks that colly's visited set stays empty:
// nothing accumulates per URL, and a redelivered URL is fetched again.
func TestCollyKeepsNoVisitedState(t *testing.T) {
	t.Parallel()
	var h hits
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		if r.URL.Path == "/r" {
			http.Redirect(w, r, "/p", http.StatusFound)
			return
		}
		page("text/html", htmlPage)(w, r)
	}))
	f := newTestFetcher(t, testConfig())
	for range 3 {
		for _, p := range []string{"/p", "/r"} {
			if _, err := fetch(t, f, srv.URL+p); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := h.get("/p"); n != 6 {
		t.Errorf("/p served %d times, want 6: every fetch must reach the server", n)
	}
	for _, p := range []string{"/p", "/r"} {
		if visited, err := f.base.HasVisited(srv.URL + p); err != nil || visited {
			t.Errorf("colly recorded %s as visited (%v, %v)", p, visited, err)
		}
	}
}
