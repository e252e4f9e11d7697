package parser

import (
	"net/url"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/urlnorm"
	"golang.org/x/net/html"
)

// relatedLinks lists the links of the page's related blocks ("Related",
// "Read also", "مقالات مشابهة", class="related-posts"…) in page order,
// without duplicates: every link on the page's own site that is not
// navigation, and off-site links only when their URL is clearly an
// article's.
func relatedLinks(blocks []block, anchors []anchor, page *url.URL, skip ...string) []trawler.Link {
	byNode := make(map[*html.Node]*anchor, len(anchors))
	for i := range anchors {
		byNode[anchors[i].node] = &anchors[i]
	}
	domain := ""
	if page != nil {
		domain = urlnorm.RegisteredDomain(page.Hostname())
	}
	// A heading does not make a related list of an element whose class
	// already names it otherwise: a short box classed "related-topics"
	// whose whole text, "Related topics: Amazon, PCs", reads as a heading.
	named := map[*html.Node]bool{}
	for _, b := range blocks {
		switch b.kind {
		case kindPopular, kindTicker, kindAd, kindTags:
			if b.label == nil {
				named[b.node] = true
			}
		}
	}
	var related []block // outermost related blocks
	var roots []*html.Node
	for _, b := range blocks {
		if b.kind == kindRelated && !insideAny(b.node, roots) && !(b.label != nil && named[b.node]) {
			related = append(related, b)
			roots = append(roots, b.node)
			roots = append(roots, b.siblings...)
		}
	}
	var found []*anchor
	listings := map[string]bool{} // URLs a block links as "More in Business" or "See all"
	for _, b := range related {
		for _, root := range append([]*html.Node{b.node}, b.siblings...) {
			walk(root, func(n *html.Node) bool {
				a, ok := byNode[n]
				if ok {
					found = append(found, a)
					if isNavText(a.title) {
						listings[a.url] = true
					}
				}
				return !ok
			})
		}
	}
	menus := menuURLs(blocks, byNode, roots)
	set := newLinkSet(skip...)
	for _, a := range found {
		if !listings[a.url] && isRelatedLink(a, domain, menus) {
			set.add(a.url, a.title)
		}
	}
	return set.links
}

// isRelatedLink keeps the links of a related block that lead to a story:
// on the page's own site any link that is not navigation, however short
// its title or opaque its URL (/p/123, /news/004-story.html); elsewhere
// only links that are clearly articles.
func isRelatedLink(a *anchor, domain string, menus map[string]bool) bool {
	if domain != "" && urlnorm.InDomain(a.u.Hostname(), domain) {
		switch {
		case isNavigationLink(a), inByline(a.node):
			return false
		case menus[a.url]:
			return articleShape(a.u, pathSegments(a.u)) // a mega menu's featured story
		}
		return true
	}
	if a.u.Path == "/" && a.u.RawQuery == "" {
		return false
	}
	return clearlyArticle(a.u) && a.title != ""
}

// menuURLs collects the links of the page's menus, breadcrumbs and tag
// lists outside its related blocks: a related block that repeats one of
// them offers a section ("More from Business"), unless the URL has a
// story's shape (a mega menu's featured stories).
func menuURLs(blocks []block, byNode map[*html.Node]*anchor, related []*html.Node) map[string]bool {
	menus := map[string]bool{}
	kinds := classKinds{}
	for _, b := range blocks {
		if (b.kind != kindNav && b.kind != kindTags) || insideAny(b.node, related) {
			continue
		}
		if k := kinds.namedKind(b.node); k != kindNone && k != b.kind {
			continue // <nav class="ticker">: headlines, not sections
		}
		walk(b.node, func(n *html.Node) bool {
			a, ok := byNode[n]
			if ok && !insideAny(n, related) {
				menus[a.url] = true
			}
			return !ok
		})
	}
	return menus
}

func insideAny(n *html.Node, roots []*html.Node) bool {
	for _, r := range roots {
		if contains(r, n) {
			return true
		}
	}
	return false
}

// pageLinks returns the links an article page offers to follow: its related
// links first, then, in page order, links that look like articles (tickers,
// "read also", other stories) and links inside the article text.
func pageLinks(related []trawler.Link, anchors []anchor, inBody func(*anchor) bool, skip ...string) []trawler.Link {
	set := newLinkSet(skip...)
	for _, l := range related {
		set.add(l.URL, l.Title)
	}
	for i := range anchors {
		a := &anchors[i]
		if looksLikeArticle(a.u, a.title) || inBody(a) {
			set.add(a.url, a.title)
		}
	}
	return set.links
}

// hubLinks returns every page link of a listing page, in page order.
func hubLinks(anchors []anchor, skip ...string) []trawler.Link {
	set := newLinkSet(skip...)
	for _, a := range anchors {
		set.add(a.url, a.title)
	}
	return set.links
}
