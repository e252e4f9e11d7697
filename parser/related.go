package parser

import (
	"net/url"
	"strings"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/urlnorm"
	"golang.org/x/net/html"
)

// relatedLinks lists the links of the page's related blocks ("Related",
// "Read also", "مقالات مشابهة", class="related-posts"…) in page order,
// without duplicates: links on the page's own site that lead to articles,
// and off-site links only when their URL is clearly an article's.
func relatedLinks(blocks []block, anchors []anchor, page *url.URL, skip ...string) []trawler.Link {
	byNode := make(map[*html.Node]*anchor, len(anchors))
	for i := range anchors {
		byNode[anchors[i].node] = &anchors[i]
	}
	domain := ""
	if page != nil {
		domain = urlnorm.RegisteredDomain(page.Hostname())
	}
	set := newLinkSet(skip...)
	var seen []*html.Node // related blocks already read
	for _, b := range blocks {
		if b.kind != kindRelated || insideAny(b.node, seen) {
			continue
		}
		seen = append(seen, b.node)
		for _, root := range append([]*html.Node{b.node}, b.siblings...) {
			walk(root, func(n *html.Node) bool {
				a, ok := byNode[n]
				if !ok {
					return true
				}
				if isRelatedLink(a, domain) {
					set.add(a.url, a.title)
				}
				return false
			})
		}
	}
	return set.links
}

// isRelatedLink keeps links that read as articles of the same site, or that
// are clearly articles elsewhere.
func isRelatedLink(a *anchor, domain string) bool {
	if a.u.Path == "/" && a.u.RawQuery == "" {
		return false
	}
	if domain != "" && urlnorm.InDomain(a.u.Hostname(), domain) {
		return looksLikeArticle(a.u, a.title) || (wordCount(a.title) >= 4 && !isSectionPath(a.u))
	}
	return clearlyArticle(a.u) && a.title != ""
}

// isSectionPath reports a one-segment path without an id or slug, such as
// "/local/" or "/sports": a section front, not a story.
func isSectionPath(u *url.URL) bool {
	segs := pathSegments(u)
	if len(segs) == 0 {
		return u.RawQuery == ""
	}
	return len(segs) == 1 && !rxDigits.MatchString(segs[0]) && !strings.ContainsAny(segs[0], "-_.")
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
