package sitetest

import (
	"maps"
	"math/rand/v2"
	"mime"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/temoto/robotstxt"

	"github.com/trawler/trawler/internal/urlnorm"
)

// node is one URL seen by the test crawl.
type node struct {
	url        string // normalized
	path       string
	offscope   bool // another host: never fetched
	disallowed bool // robots.txt: never fetched
	status     int
	mediaType  string
	ogType     string
	oversize   bool
	location   string // normalized redirect target
	out        []edge
}

// edge is a link as found on a page.
type edge struct {
	to    string // normalized
	raw   string // href as written
	block string // class of the nearest classed ancestor
}

// siteGraph is everything reachable from "/" on the test server, fetched
// without depth limit but with robots.txt, scope and a body cap honoured.
type siteGraph struct {
	origin string
	nodes  map[string]*node
}

func crawlAll(t *testing.T, origin string) *siteGraph {
	t.Helper()
	client := noRedirect()
	resp, err := client.Get(origin + RobotsPath)
	if err != nil {
		t.Fatal(err)
	}
	robots, err := robotstxt.FromResponse(resp)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	group := robots.FindGroup("trawler/0.1.0")
	base, _ := url.Parse(origin)

	g := &siteGraph{origin: origin, nodes: map[string]*node{}}
	queue := []string{origin + "/"}
	g.nodes[queue[0]] = &node{url: queue[0]}
	for len(queue) > 0 {
		n := g.nodes[queue[0]]
		queue = queue[1:]
		u, _ := url.Parse(n.url)
		n.path = u.Path
		switch {
		case u.Host != base.Host:
			n.offscope = true
			continue
		case !group.Test(u.Path):
			n.disallowed = true
			continue
		}
		f := get(t, client, n.url)
		n.status, n.oversize = f.status, f.oversize
		n.mediaType, _, _ = mime.ParseMediaType(f.header.Get("Content-Type"))
		var found []edge
		if loc := f.header.Get("Location"); loc != "" {
			to, err := urlnorm.Resolve(u, loc)
			if err != nil {
				t.Fatalf("%s: Location %q: %v", n.url, loc, err)
			}
			n.location = to
			found = append(found, edge{to: to})
		}
		if f.doc != nil {
			n.ogType = metaContent(f.doc, "property", "og:type")
			for _, a := range anchors(f.doc) {
				to, err := urlnorm.Resolve(u, a.href)
				if err != nil {
					continue // javascript:, mailto: …
				}
				e := edge{to: to, raw: a.href, block: a.block}
				n.out = append(n.out, e)
				found = append(found, e)
			}
		}
		for _, e := range found {
			if g.nodes[e.to] == nil {
				g.nodes[e.to] = &node{url: e.to}
				queue = append(queue, e.to)
			}
		}
	}
	return g
}

func (g *siteGraph) at(path string) *node { return g.nodes[g.origin+path] }

// final follows redirects.
func (g *siteGraph) final(u string) string {
	for i := 0; i < 10 && g.nodes[u] != nil && g.nodes[u].location != ""; i++ {
		u = g.nodes[u].location
	}
	return u
}

// fetchable reports whether a crawler would request u.
func (g *siteGraph) fetchable(u string) bool {
	n := g.nodes[u]
	return n != nil && !n.offscope && !n.disallowed
}

// links returns the final URLs of the fetchable pages a page leads to.
func (g *siteGraph) links(u string) []string {
	var out []string
	for _, e := range g.nodes[u].out {
		if to := g.final(e.to); g.fetchable(e.to) && g.fetchable(to) {
			out = append(out, to)
		}
	}
	return out
}

// minDepths is the breadth-first depth of every fetchable page.
func (g *siteGraph) minDepths() map[string]int {
	root := g.origin + "/"
	depth := map[string]int{root: 0}
	for queue := []string{root}; len(queue) > 0; queue = queue[1:] {
		for _, to := range g.links(queue[0]) {
			if _, ok := depth[to]; !ok {
				depth[to] = depth[queue[0]] + 1
				queue = append(queue, to)
			}
		}
	}
	return depth
}

// possibleDepths returns, for every page, each depth at which some crawl order
// can discover it with max depth CrawlDepth: links are followed from pages at
// depth < CrawlDepth only.
func (g *siteGraph) possibleDepths() map[string]map[int]bool {
	root := g.origin + "/"
	poss := map[string]map[int]bool{root: {0: true}}
	for changed := true; changed; {
		changed = false
		for _, u := range slices.Sorted(maps.Keys(poss)) {
			for d := range poss[u] {
				if d >= CrawlDepth {
					continue
				}
				for _, to := range g.links(u) {
					if to == root { // seeded, so never discovered again
						continue
					}
					if poss[to] == nil {
						poss[to] = map[int]bool{}
					}
					if !poss[to][d+1] {
						poss[to][d+1] = true
						changed = true
					}
				}
			}
		}
	}
	return poss
}

// guaranteed returns the pages fetched in every crawl order: "/", and any page
// linked from a guaranteed page that is always found at depth < CrawlDepth.
func (g *siteGraph) guaranteed(poss map[string]map[int]bool) map[string]bool {
	root := g.origin + "/"
	sure := map[string]bool{root: true}
	for changed := true; changed; {
		changed = false
		for u := range sure {
			if len(poss[u]) == 0 || slices.Max(slices.Collect(maps.Keys(poss[u]))) >= CrawlDepth {
				continue
			}
			for _, to := range g.links(u) {
				if !sure[to] {
					sure[to], changed = true, true
				}
			}
		}
	}
	return sure
}

func TestLinkGraph(t *testing.T) {
	s, origin := startTest(t)
	g := crawlAll(t, origin)
	minDepth := g.minDepths()
	poss := g.possibleDepths()
	sure := g.guaranteed(poss)

	// Order independence: every page some order fetches, all orders fetch.
	for u := range poss {
		if !sure[u] {
			t.Errorf("%s is fetched at depths %v in some crawl orders only", u, slices.Sorted(maps.Keys(poss[u])))
		}
	}

	isArticle := func(u string) bool {
		n := g.nodes[u]
		return n.status == 200 && !n.oversize && n.ogType == "article"
	}
	var gotArticles, gotHubs []string
	for u := range poss {
		switch {
		case isArticle(u):
			gotArticles = append(gotArticles, g.nodes[u].path)
		case g.nodes[u].ogType == "website":
			gotHubs = append(gotHubs, g.nodes[u].path)
		}
	}
	var wantArticles []string
	for _, e := range s.Articles() {
		wantArticles = append(wantArticles, e.Path)
	}
	slices.Sort(gotArticles)
	slices.Sort(wantArticles)
	if !slices.Equal(gotArticles, wantArticles) {
		t.Errorf("articles of a depth-%d crawl:\n got %q\nwant %q", CrawlDepth, gotArticles, wantArticles)
	}
	slices.Sort(gotHubs)
	if want := slices.Sorted(slices.Values(s.Hubs())); !slices.Equal(gotHubs, want) {
		t.Errorf("hubs: got %q, want %q", gotHubs, want)
	}

	// in maps a final URL to the links leading to it from fetchable pages.
	type inLink struct{ from, block string }
	in := map[string][]inLink{}
	for u, n := range g.nodes {
		if !g.fetchable(u) {
			continue
		}
		for _, e := range n.out {
			to := g.final(e.to)
			in[to] = append(in[to], inLink{from: u, block: e.block})
		}
	}
	for _, e := range s.Articles() {
		u := origin + e.Path
		if e.Depth < 1 || e.Depth > CrawlDepth {
			t.Errorf("%s: Expected.Depth %d outside 1..%d", e.Path, e.Depth, CrawlDepth)
		}
		if minDepth[u] != e.Depth {
			t.Errorf("%s: breadth-first depth %d, Expected.Depth %d", e.Path, minDepth[u], e.Depth)
		}
		fromHub := false
		for _, l := range in[u] {
			if e.RelatedOnly && l.block != "similar-articles" {
				t.Errorf("%s: related-only article linked from %s (%s)", e.Path, l.from, l.block)
			}
			fromHub = fromHub || g.nodes[l.from].ogType == "website"
		}
		if e.RelatedOnly {
			if got := slices.Collect(maps.Keys(poss[u])); !slices.Equal(got, []int{3}) {
				t.Errorf("%s: related-only article found at depths %v, want only 3", e.Path, got)
			}
		} else if !fromHub {
			t.Errorf("%s: not related-only but no hub links to it", e.Path)
		}
	}

	deep := origin + DeepPath
	if minDepth[deep] != CrawlDepth+1 || poss[deep] != nil {
		t.Errorf("DeepPath: min depth %d, possible depths %v; want %d and none", minDepth[deep], poss[deep], CrawlDepth+1)
	}
	for _, l := range in[deep] {
		if l.block != "similar-articles" || !slices.Contains(wantArticles, g.nodes[l.from].path) {
			t.Errorf("DeepPath linked from %s (%s)", l.from, l.block)
		}
	}
	if len(in[deep]) == 0 {
		t.Error("nothing links to DeepPath")
	}
	if n := g.at(DisallowedPath); n == nil || !n.disallowed || len(in[origin+DisallowedPath]) == 0 {
		t.Errorf("DisallowedPath is not linked or not disallowed: %+v", n)
	}
	if n := g.at(RedirectPath); n == nil || n.status != 301 || n.location != origin+RedirectTarget {
		t.Errorf("RedirectPath: %+v", n)
	}
	if n := g.at(NotFoundPath); n == nil || n.status != 404 {
		t.Errorf("NotFoundPath: %+v", n)
	}
	if n := g.at(PDFPath); n == nil || n.mediaType != "application/pdf" {
		t.Errorf("PDFPath: %+v", n)
	}
	if n := g.at(OversizePath); n == nil || !n.oversize || n.mediaType != "text/html" {
		t.Errorf("OversizePath: %+v", n)
	}
	offsite := strings.Replace(origin, "127.0.0.1", OffsiteHost, 1) + OffsitePath
	if n := g.nodes[offsite]; n == nil || !n.offscope {
		t.Errorf("no off-site link to %s", offsite)
	}

	// Hubs link articles several times under tracking parameters and
	// fragments; each spelling normalizes to the article.
	spellings := map[string]map[string]bool{}
	for _, n := range g.nodes {
		if n.ogType != "website" {
			continue
		}
		for _, e := range n.out {
			if spellings[e.to] == nil {
				spellings[e.to] = map[string]bool{}
			}
			spellings[e.to][e.raw] = true
		}
	}
	floods := spellings[origin+enFloods]
	for _, trap := range []string{"utm_source", "fbclid", "#comments"} {
		found := false
		for raw := range floods {
			found = found || strings.Contains(raw, trap)
		}
		if !found {
			t.Errorf("no %s spelling of %s among %v", trap, enFloods, slices.Collect(maps.Keys(floods)))
		}
	}

	// The test crawl requested every page once and never the forbidden ones.
	for _, p := range []string{DisallowedPath, OffsitePath} {
		if h := s.Hits(p); h != 0 {
			t.Errorf("Hits(%s) = %d", p, h)
		}
	}
	if h := s.Hits(RobotsPath); h != 1 {
		t.Errorf("Hits(robots.txt) = %d, want 1", h)
	}
	requested := 1 // robots.txt
	for u := range g.nodes {
		if g.fetchable(u) {
			requested++
		}
	}
	if got := s.TotalHits(); got != requested {
		t.Errorf("TotalHits %d, test crawl made %d requests", got, requested)
	}

	simulateCrawls(t, g, wantArticles, isArticle)
}

// simulateCrawls runs depth-limited crawls of the graph in many random orders
// and checks that each yields exactly the expected articles.
func simulateCrawls(t *testing.T, g *siteGraph, want []string, isArticle func(string) bool) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 1))
		root := g.origin + "/"
		depth := map[string]int{root: 0}
		frontier := []string{root}
		for len(frontier) > 0 {
			i := r.IntN(len(frontier))
			u := frontier[i]
			frontier = slices.Delete(frontier, i, i+1)
			if depth[u] >= CrawlDepth {
				continue
			}
			for _, to := range g.links(u) {
				if _, seen := depth[to]; !seen {
					depth[to] = depth[u] + 1
					frontier = append(frontier, to)
				}
			}
		}
		var got []string
		for u := range depth {
			if isArticle(u) {
				got = append(got, g.nodes[u].path)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("crawl order %d yields %q, want %q", seed, got, want)
		}
	}
}
