package realsite

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/temoto/robotstxt"
)

func TestBuildIsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the site three times")
	}
	devSite(t) // skips without the dev set
	build := func(seed uint64) *Site {
		s, err := Build(Options{Seed: seed, Articles: minArticles})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := build(0), build(0)
	if !reflect.DeepEqual(a.Articles(), b.Articles()) {
		t.Fatal("two builds with the same seed differ")
	}
	for _, art := range a.Articles() {
		for _, u := range append([]string{art.Path}, aliasPaths(art)...) {
			_, pa, _ := get(a, u)
			_, pb, _ := get(b, u)
			if !bytes.Equal(pa, pb) {
				t.Errorf("%s: two builds serve different bytes", u)
			}
		}
	}
	_, ra, _ := get(a, "/")
	_, rb, _ := get(b, "/")
	if !bytes.Equal(ra, rb) {
		t.Error("two builds serve different front pages")
	}
	if reflect.DeepEqual(a.Articles(), build(7).Articles()) {
		t.Error("another seed builds the same site")
	}
}

func aliasPaths(a Article) []string {
	var out []string
	for _, al := range a.Aliases {
		out = append(out, al.Path)
	}
	return out
}

// A crawler obeying robots.txt reaches every article from "/" through the
// served pages' links, most of them only through related blocks, some at
// depth 3 or more; the pages robots.txt disallows are linked.
func TestEveryArticleReachableFromRoot(t *testing.T) {
	s := devSite(t)
	arts := s.Articles()
	depth, linkedHidden := reach(t, s)
	deep := 0
	for i, a := range arts {
		d, ok := depth[i]
		switch {
		case !ok:
			t.Errorf("%s (%s) is not reachable from /", a.Path, a.ID)
		case d != a.Depth:
			t.Errorf("%s is at depth %d through the served links, the site says %d", a.Path, d, a.Depth)
		}
		if d >= 3 {
			deep++
		}
	}
	if deep < len(arts)/3 {
		t.Errorf("%d of %d articles at depth 3 or more, want a third", deep, len(arts))
	}
	for _, p := range s.Disallowed() {
		if key, _ := routeKey(p); !linkedHidden[key] {
			t.Errorf("disallowed %s is linked from no page", p)
		}
	}

	// "/" links only the first few articles.
	_, root, _ := get(s, "/")
	linked := map[int]bool{}
	for _, a := range anchors(t, root, origin+"/") {
		if rt := s.Route(a.url.RequestURI()); rt.Article >= 0 {
			linked[rt.Article] = true
		}
	}
	if len(linked) != rootEntries {
		t.Errorf("/ links %d articles, want %d", len(linked), rootEntries)
	}
}

// Pagination, print and canonical aliases, tracking variants and added
// parameters serve the article's bytes; the AMP copy is AMP with the
// article as canonical.
func TestAliasesServeTheArticle(t *testing.T) {
	s := devSite(t)
	kinds := map[AliasKind]int{}
	for _, a := range s.Articles() {
		status, main, _ := get(s, a.Path)
		if status != 200 {
			t.Fatalf("%s: status %d", a.Path, status)
		}
		if rt := s.Route(a.Path); rt.Kind != KindArticle {
			t.Errorf("%s routes to %+v", a.Path, rt)
		}
		for _, al := range a.Aliases {
			kinds[al.Kind]++
			status, page, _ := get(s, al.Path)
			if status != 200 {
				t.Errorf("%s: status %d", al.Path, status)
				continue
			}
			if rt := s.Route(al.Path); rt.Kind != KindAlias || s.arts[rt.Article].Path != a.Path || rt.Alias != al.Kind {
				t.Errorf("%s routes to %+v", al.Path, rt)
			}
			if al.Kind != AliasAMP {
				if !bytes.Equal(page, main) {
					t.Errorf("%s (%s) does not serve the bytes of %s", al.Path, al.Kind, a.Path)
				}
				continue
			}
			if !bytes.Contains(page[:min(len(page), 4096)], []byte("<html amp")) && !bytes.Contains(page, []byte("<html amp")) {
				t.Errorf("%s: no <html amp>", al.Path)
			}
			if c := canonicals(t, page); len(c) != 1 || c[0] != origin+a.Path && c[0] != a.Path {
				t.Errorf("%s: canonicals %q, want %s", al.Path, c, a.Path)
			}
			for _, m := range rxScript.FindAllSubmatch(page, -1) {
				if !strings.Contains(string(m[1]), "ld+json") {
					t.Errorf("%s: AMP copy keeps a script %.80s", al.Path, m[0])
					break
				}
			}
		}
		for _, tr := range a.Tracking {
			if _, page, _ := get(s, tr); !bytes.Equal(page, main) {
				t.Errorf("%s does not serve the bytes of %s", tr, a.Path)
			}
			if rt := s.Route(tr); !rt.Tracking || rt.Article < 0 || s.arts[rt.Article].Path != a.Path {
				t.Errorf("%s routes to %+v", tr, rt)
			}
		}
		extra := withQuery(a.Path, "ref=home")
		if _, page, _ := get(s, extra); !bytes.Equal(page, main) {
			t.Errorf("%s does not serve the bytes of %s", extra, a.Path)
		}
		if rt := s.Route(extra); rt.Kind != KindAlias || rt.Alias != AliasExtra {
			t.Errorf("%s routes to %+v", extra, rt)
		}
	}
	for _, k := range []AliasKind{AliasPage, AliasPrint, AliasCanonical, AliasAMP} {
		if kinds[k] == 0 {
			t.Errorf("no alias of kind %s", k)
		}
	}
}

// Each article names its main URL as canonical, but the two syndicated
// copies, which name one URL on another site.
func TestCanonicals(t *testing.T) {
	s := devSite(t)
	var foreign []string
	for _, a := range s.Articles() {
		_, page, _ := get(s, a.Path)
		c := canonicals(t, page)
		if len(c) != 1 {
			t.Errorf("%s: %d canonical links", a.Path, len(c))
			continue
		}
		if a.ForeignCanonical != "" {
			foreign = append(foreign, c[0])
			if c[0] != a.ForeignCanonical || strings.Contains(c[0], "replay.test") {
				t.Errorf("%s: canonical %q, want %q", a.Path, c[0], a.ForeignCanonical)
			}
			continue
		}
		if c[0] != origin+a.Path && c[0] != a.Path {
			t.Errorf("%s: canonical %q", a.Path, c[0])
		}
	}
	if len(foreign) != 2 || foreign[0] != foreign[1] {
		t.Errorf("foreign canonicals %q, want two alike", foreign)
	}
	for _, p := range s.Disallowed() {
		if _, page, _ := get(s, p); !slices.Equal(canonicals(t, page), []string{origin + p}) {
			t.Errorf("%s: canonicals %q", p, canonicals(t, page))
		}
	}
}

func TestRobotsTxt(t *testing.T) {
	s := devSite(t)
	status, body, ct := get(s, "/robots.txt")
	if status != 200 || !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("robots.txt: %d %s", status, ct)
	}
	r, err := robotstxt.FromBytes(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Disallowed() {
		if r.TestAgent(p, "trawler") {
			t.Errorf("robots.txt allows %s", p)
		}
		if !IsDisallowed(p) || !IsDisallowed(lowerPercent(p)) {
			t.Errorf("IsDisallowed(%s) is false", p)
		}
		if rt := s.Route(p); rt.Kind != KindHidden {
			t.Errorf("%s routes to %+v", p, rt)
		}
	}
	for _, a := range s.Articles() {
		if !r.TestAgent(a.Path, "trawler") || IsDisallowed(a.Path) {
			t.Errorf("robots.txt disallows article %s", a.Path)
		}
	}
}

// The related blocks use every mined markup, English and Arabic headings,
// short titles and headlines, every href spelling and tracking kind; the
// articles use every URL scheme.
func TestBlocksAndLinks(t *testing.T) {
	s := devSite(t)
	used := map[string]bool{}
	var arabic, english int
	for _, e := range s.arts {
		for _, b := range e.blocks {
			used[b.shape.name] = true
			if b.heading.rtl {
				arabic++
			} else {
				english++
			}
			if h := strings.TrimSuffix(b.heading.text, ":"); h != "" && !bytes.Contains(e.served, []byte(esc(h))) {
				t.Errorf("%s: heading %q not in the page", e.Path, b.heading.text)
			}
		}
	}
	for _, sh := range append(slices.Clone(blockShapes), inlineShapes...) {
		if !used[sh.name] {
			t.Errorf("markup %s (from %s) unused", sh.name, sh.from)
		}
	}
	if arabic == 0 || english == 0 {
		t.Errorf("%d Arabic and %d English headings, want both", arabic, english)
	}

	arts := s.Articles()
	var short, full, abs, rootRel, docRel, rawArabic int
	for _, a := range arts {
		_, page, _ := get(s, a.Path)
		for _, an := range anchors(t, page, origin+a.Path) {
			rt := s.Route(an.url.RequestURI())
			if an.url.Host != "replay.test" || rt.Article < 0 {
				continue
			}
			switch n := len(strings.Fields(an.title)); {
			case an.title == arts[rt.Article].Headline:
				full++
			case n >= 1 && n <= 3:
				short++
			}
			switch {
			case strings.HasPrefix(an.href, "http://"):
				abs++
			case strings.HasPrefix(an.href, "/"):
				rootRel++
			default:
				docRel++
			}
			if strings.ContainsAny(an.href, "ابتثجحخدذرزسشصضطظعغفقكلمنهوي") {
				rawArabic++
			}
		}
	}
	for name, n := range map[string]int{"1-3 word titles": short, "headline titles": full, "absolute hrefs": abs,
		"root-relative hrefs": rootRel, "document-relative hrefs": docRel, "raw Arabic hrefs": rawArabic} {
		if n == 0 {
			t.Errorf("no link with %s", name)
		}
	}

	schemes := map[string]bool{}
	tracking := map[string]bool{}
	for _, a := range arts {
		schemes[a.Scheme] = true
		for _, tr := range a.Tracking {
			for _, k := range []string{"utm_source=", "fbclid=", "gclid=", "PHPSESSID=", ";jsessionid=", "sid="} {
				if strings.Contains(tr, k) {
					tracking[k] = true
				}
			}
		}
	}
	for _, sc := range Schemes {
		if !schemes[sc] {
			t.Errorf("no article URL of scheme %s", sc)
		}
	}
	if len(tracking) != 6 {
		t.Errorf("tracking kinds used: %v, want all six", tracking)
	}
}

// The real pages keep their own links: every <a href> of the captured page
// is still in the served one.
func TestRealLinksLeftInPlace(t *testing.T) {
	s := devSite(t)
	for _, e := range s.arts {
		served := map[string]int{}
		for _, a := range anchors(t, e.served, "http://"+hostMarker+e.Path) {
			served[a.href]++
		}
		for _, a := range anchors(t, e.page.raw, "http://"+hostMarker+e.Path) {
			if served[a.href] == 0 {
				t.Errorf("%s (%s): link %q gone", e.Path, e.ID, a.href)
				break
			}
			served[a.href]--
		}
	}
}

func TestRouteAndHits(t *testing.T) {
	s := devSite(t)
	a := s.Articles()[0]
	for uri, want := range map[string]Kind{"/": KindRoot, "/robots.txt": KindRobots, "/no/such/page": KindNotFound,
		"/?s=query": KindNotFound, a.Path: KindArticle, s.Disallowed()[0]: KindHidden} {
		if got := s.Route(uri).Kind; got != want {
			t.Errorf("Route(%s) = %s, want %s", uri, got, want)
		}
	}
	if status, _, _ := get(s, "/no/such/page"); status != 404 {
		t.Errorf("/no/such/page: status %d", status)
	}
	// The request log is shared with the other tests: count what this one adds.
	tracked := func() (n int) {
		for _, r := range s.Requests() {
			if r.Route.Tracking {
				n += r.Count
			}
		}
		return n
	}
	hits, tr := s.Hits(a.Path), tracked()
	get(s, withQuery(a.Path, "utm_source=x"))
	get(s, a.Path)
	if n := s.Hits(a.Path) - hits; n != 2 {
		t.Errorf("Hits(%s) grew by %d, want 2 (one with tracking)", a.Path, n)
	}
	if n := tracked() - tr; n != 1 {
		t.Errorf("%d requests with tracking recorded, want 1", n)
	}
}
