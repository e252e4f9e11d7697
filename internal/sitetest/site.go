package sitetest

import (
	"maps"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Defaults of the tunable fields of Site.
const (
	DefaultSlowDelay     = time.Second
	DefaultOversizeBytes = 12 << 20
)

// Site is the fixture news site, an http.Handler. Create it with New; set the
// exported fields before the first request and leave them alone while it is
// serving. The content is fixed; only the hit counters change, and they are
// safe for concurrent use.
type Site struct {
	// SlowDelay is how long SlowPath waits before it responds (default 1s).
	// The wait ends early if the request is cancelled.
	SlowDelay time.Duration
	// OversizeBytes is the exact length of the body of OversizePath (default
	// 12 MiB). It is streamed without a Content-Length.
	OversizeBytes int

	cat *catalog
	tpl *renderer

	mu    sync.Mutex
	hits  map[string]int
	total int
}

// New returns the site with the default SlowDelay and OversizeBytes.
func New() *Site {
	return &Site{
		SlowDelay:     DefaultSlowDelay,
		OversizeBytes: DefaultOversizeBytes,
		cat:           newCatalog(),
		tpl:           newRenderer(),
		hits:          map[string]int{},
	}
}

// ServeHTTP serves the site. Every request is counted under its URL path,
// whatever its method, host or query. Only GET and HEAD are allowed.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch p {
	case RobotsPath:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(robotsTxt))
		return
	case RedirectPath:
		http.Redirect(w, r, RedirectTarget, http.StatusMovedPermanently)
		return
	case PDFPath:
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", strconv.Itoa(len(pdfBytes)))
		_, _ = w.Write([]byte(pdfBytes))
		return
	case OversizePath:
		s.serveOversize(w, r)
		return
	}
	if h, ok := s.cat.hubPath[p]; ok {
		body, err := execute(s.tpl.hub, h.lang, s.cat.hubView(h, hostsOf(r)))
		s.writeHTML(w, h.lang, http.StatusOK, body, err)
		return
	}
	if a, ok := s.cat.byPath[p]; ok {
		if a.slow && !sleep(r, s.SlowDelay) {
			return
		}
		v, err := s.cat.articleView(a, hostsOf(r))
		var body []byte
		if err == nil {
			body, err = execute(s.tpl.article, a.lang, v)
		}
		s.writeHTML(w, a.lang, http.StatusOK, body, err)
		return
	}
	body, err := execute(s.tpl.notFound, "en", labelsFor("en"))
	s.writeHTML(w, "en", http.StatusNotFound, body, err)
}

func (s *Site) writeHTML(w http.ResponseWriter, lang string, status int, body []byte, err error) {
	if err != nil { // a bug in the fixture: the tests catch it
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType(lang))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// sleep waits for d or until the request is cancelled, and reports whether the
// full delay elapsed.
func sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func (s *Site) count(path string) {
	s.mu.Lock()
	s.hits[path]++
	s.total++
	s.mu.Unlock()
}

// Hits returns the number of requests received for path (the URL path only:
// any host, query or method), robots.txt included.
func (s *Site) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// TotalHits returns the number of requests received.
func (s *Site) TotalHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// HitCounts returns a snapshot of the request counts by URL path, for
// reporting what a crawl fetched.
func (s *Site) HitCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.hits)
}
