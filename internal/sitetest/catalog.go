package sitetest

import "strings"

// kind is the role an article page plays in the link graph (see doc.go).
type kind int

const (
	regular     kind = iota // listed on a section hub (and maybe home); in tickers, read-also and similar lists
	anchor                  // listed only on a special-reports hub; its similar list leads to related-only pages
	relatedOnly             // linked only from anchors' similar lists: depth 3
	deep                    // linked only from a related-only page's similar list: depth 4, never fetched
	private                 // under the robots-disallowed prefix, never fetched
	offsite                 // linked only under the off-site host name, never fetched
)

// article is one article page of the catalog.
type article struct {
	path      string
	lang      string // BCP 47: "en" or "ar"
	kind      kind
	slow      bool // served after Site.SlowDelay
	jsonLD    bool // carries a JSON-LD NewsArticle
	title     string
	summary   string // meta description and hub teaser
	author    string
	source    string   // original publisher credited at the end of the body
	published string   // RFC 3339, as in article:published_time
	paras     []string // the body
	readAlso  string   // path of the story teased in the "read also" block
	similar   []string // paths of the "similar articles" list
}

// expected reports whether a depth-3 crawl of "/" must turn the page into an
// article.
func (a *article) expected() bool {
	return a.kind == regular || a.kind == anchor || a.kind == relatedOnly
}

// catalog is the immutable content of the site: articles, hubs and the link
// graph between them.
type catalog struct {
	articles []*article
	byPath   map[string]*article
	hubs     []*hub
	hubPath  map[string]*hub
}

func newCatalog() *catalog {
	c := &catalog{byPath: map[string]*article{}, hubPath: map[string]*hub{}}
	for _, list := range [][]article{englishArticles(), arabicArticles()} {
		for i := range list {
			a := &list[i]
			c.articles = append(c.articles, a)
			c.byPath[a.path] = a
		}
	}
	for _, h := range hubs() {
		c.hubs = append(c.hubs, h)
		c.hubPath[h.path] = h
	}
	return c
}

// ticker returns the headline ticker shown on a page in lang: every regular
// article in that language except the page itself, in catalog order.
func (c *catalog) ticker(lang, self string) []*article {
	var out []*article
	for _, a := range c.articles {
		if a.kind == regular && a.lang == lang && a.path != self {
			out = append(out, a)
		}
	}
	return out
}

// outlinks returns the paths of this server that the page at path links to,
// as a crawler would resolve them: tracking parameters and fragments dropped,
// the off-site host excluded, the redirect replaced by its target.
func (c *catalog) outlinks(path string) []string {
	var out []string
	add := func(p string) {
		if p == RedirectPath {
			p = RedirectTarget
		}
		out = append(out, p)
	}
	if h, ok := c.hubPath[path]; ok {
		for _, l := range navLinks(h.lang) {
			add(l.path)
		}
		for _, b := range h.blocks {
			for _, l := range b.links {
				if !strings.HasPrefix(l.href, offsiteMarker) {
					add(l.path)
				}
			}
		}
		return out
	}
	a, ok := c.byPath[path]
	if !ok {
		return nil
	}
	add("/")
	add(a.readAlso)
	for _, t := range c.ticker(a.lang, a.path) {
		add(t.path)
	}
	for _, p := range a.similar {
		add(p)
	}
	return out
}

// minDepths returns the breadth-first depth of every path reachable from "/"
// without fetching robots-disallowed pages.
func (c *catalog) minDepths() map[string]int {
	depth := map[string]int{"/": 0}
	queue := []string{"/"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if strings.HasPrefix(p, disallowedPrefix) {
			continue
		}
		for _, q := range c.outlinks(p) {
			if _, seen := depth[q]; !seen {
				depth[q] = depth[p] + 1
				queue = append(queue, q)
			}
		}
	}
	return depth
}
