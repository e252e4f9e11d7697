package realsite

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Kind says what the site answered a request with.
type Kind string

// Kinds of answers.
const (
	KindRoot     Kind = "root"      // the front page listing
	KindRobots   Kind = "robots"    // robots.txt
	KindArticle  Kind = "article"   // an article at its main URL
	KindAlias    Kind = "alias"     // an article at another address
	KindHidden   Kind = "hidden"    // a page robots.txt disallows
	KindNotFound Kind = "not-found" // 404, as for the pages' own relative links
)

// Route is what the site serves at an address.
type Route struct {
	Kind    Kind
	Article int       // index into Articles() for KindArticle and KindAlias, else -1
	Alias   AliasKind // for KindAlias
	// Tracking reports tracking parameters or a session id in the address,
	// which the site ignores.
	Tracking bool
}

// Request is one address the site was asked for.
type Request struct {
	URI   string // escaped path and query, as requested
	Count int
	Route Route
}

// Start serves s on a free port of 127.0.0.1 and closes the server when
// the test ends.
func (s *Site) Start(tb testing.TB) *httptest.Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("realsite: listen: %v", err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: s}}
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv
}

// ServeHTTP serves the site and records the request. Absolute links and
// canonicals name the request's Host.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	uri := r.URL.RequestURI()
	rt := s.Route(uri)
	s.record(uri, rt)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var body []byte
	ct := "text/html; charset=utf-8"
	switch rt.Kind {
	case KindRobots:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, s.robots)
		return
	case KindRoot:
		body = s.root
	case KindHidden:
		body = s.hidden[s.hiddenIndex(uri)].served
	case KindArticle, KindAlias:
		e := s.arts[rt.Article]
		body = e.served
		if rt.Alias == AliasAMP {
			body = e.amp
		}
		if !e.utf8CT {
			ct = "text/html"
		}
	default:
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Page not found</h1><p>The page you asked for is not on this copy of the site. <a href="/">Front page</a></p></body></html>`)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Write(bytes.ReplaceAll(body, []byte(hostMarker), []byte(r.Host)))
}

// Route says what the site serves at uri (escaped path and query). An
// article is served at its main URL, at its aliases, and at its main URL
// with parameters added; tracking parameters and session ids are ignored.
func (s *Site) Route(uri string) Route {
	key, tracking := routeKey(uri)
	rt, ok := s.routes[key]
	if !ok {
		rt = Route{Kind: KindNotFound, Article: -1}
		p, q, _ := strings.Cut(key, "?")
		for _, i := range s.mainByPath[p] {
			if superset(q, s.arts[i].Path) {
				rt = Route{Kind: KindAlias, Article: i, Alias: AliasExtra}
				break
			}
		}
	}
	rt.Tracking = tracking
	return rt
}

// superset reports whether the encoded query q has every parameter of
// main's query.
func superset(q, main string) bool {
	_, mq, _ := strings.Cut(main, "?")
	want, _ := url.ParseQuery(mq)
	got, _ := url.ParseQuery(q)
	for k, vs := range want {
		if !slices.Equal(got[k], vs) {
			return false
		}
	}
	return true
}

// routeKey is the address uri stands for: its decoded path without path
// parameters, and its query without tracking parameters, sorted. tracking
// reports whether anything was dropped.
func routeKey(uri string) (key string, tracking bool) {
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		return uri, false
	}
	segs := strings.Split(u.Path, "/")
	for i, seg := range segs {
		if j := strings.IndexByte(seg, ';'); j >= 0 {
			segs[i] = seg[:j]
			tracking = true
		}
	}
	q := u.Query()
	for k, vs := range q {
		if isTrackingParam(k, vs) {
			q.Del(k)
			tracking = true
		}
	}
	key = strings.Join(segs, "/")
	if enc := q.Encode(); enc != "" {
		key += "?" + enc
	}
	return key, tracking
}

// isTrackingParam reports the tracking parameters and session ids the
// site's links carry, which its pages ignore.
func isTrackingParam(k string, vs []string) bool {
	lk := strings.ToLower(k)
	switch {
	case strings.HasPrefix(lk, "utm_"), lk == "fbclid", lk == "gclid", lk == "phpsessid", lk == "jsessionid":
		return true
	case lk == "sid":
		return len(vs) == 1 && len(vs[0]) >= 16
	}
	return false
}

// buildRoutes indexes every address the site serves.
func (s *Site) buildRoutes() error {
	s.routes = map[string]Route{}
	s.mainByPath = map[string][]int{}
	add := func(p string, rt Route) error {
		key, _ := routeKey(p)
		if old, dup := s.routes[key]; dup {
			return fmt.Errorf("realsite: %s serves both %v and %v", p, old, rt)
		}
		s.routes[key] = rt
		return nil
	}
	if err := add("/", Route{Kind: KindRoot, Article: -1}); err != nil {
		return err
	}
	if err := add("/robots.txt", Route{Kind: KindRobots, Article: -1}); err != nil {
		return err
	}
	for _, h := range s.hidden {
		if err := add(h.path, Route{Kind: KindHidden, Article: -1}); err != nil {
			return err
		}
	}
	for i, e := range s.arts {
		if err := add(e.Path, Route{Kind: KindArticle, Article: i}); err != nil {
			return err
		}
		key, _ := routeKey(e.Path)
		p, _, _ := strings.Cut(key, "?")
		s.mainByPath[p] = append(s.mainByPath[p], i)
		for _, a := range e.Aliases {
			if err := add(a.Path, Route{Kind: KindAlias, Article: i, Alias: a.Kind}); err != nil {
				return err
			}
		}
	}
	return nil
}

// hiddenIndex returns the hidden page at uri.
func (s *Site) hiddenIndex(uri string) int {
	key, _ := routeKey(uri)
	for i, h := range s.hidden {
		if k, _ := routeKey(h.path); k == key {
			return i
		}
	}
	return 0
}

func (s *Site) record(uri string, rt Route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reqs[uri]
	if !ok {
		r = &Request{URI: uri, Route: rt}
		s.reqs[uri] = r
	}
	r.Count++
}

// Requests returns every address requested so far, sorted, with how many
// times and what it was answered with.
func (s *Site) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, 0, len(s.reqs))
	for _, r := range s.reqs {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Request) int { return strings.Compare(a.URI, b.URI) })
	return out
}

// Hits returns how many times the address uri (escaped path and query) was
// requested, whatever its spelling: the same decoded path and parameters.
func (s *Site) Hits(uri string) int {
	key, _ := routeKey(uri)
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for u, r := range s.reqs {
		if k, _ := routeKey(u); k == key {
			n += r.Count
		}
	}
	return n
}
