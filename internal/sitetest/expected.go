package sitetest

import "strings"

// CrawlDepth is the maximum depth the expectations are written for: a crawl
// seeded with "/" at depth 0 that fetches pages up to depth 3.
const CrawlDepth = 3

// Paths of the special pages.
const (
	// RobotsPath is the robots.txt; it disallows DisallowedPath's directory.
	RobotsPath = "/robots.txt"
	// DisallowedPath is a real article under a robots-disallowed directory,
	// linked from the World hub. It must never be fetched.
	DisallowedPath = disallowedPrefix + "leaked-memo.html"
	// OffsitePath is a real article linked from the home page only under the
	// host name OffsiteHost ("http://localhost:<port>/offsite/…"), which is
	// out of scope for a crawl of 127.0.0.1. It must never be fetched.
	OffsitePath = "/offsite/harbour-walks.html"
	// DeepPath is a real article whose minimum depth is 4: it is linked only
	// from the similar list of a related-only article. It must never be
	// fetched by a crawl limited to CrawlDepth.
	DeepPath = "/world/2023/11/nordhaven-fleet-history.html"
	// RedirectPath is linked from the home page and answers 301 with
	// Location: RedirectTarget.
	RedirectPath = "/old/2019/shipyard-orders.html"
	// RedirectTarget is a regular article, also linked directly from the
	// Business hub. It must yield exactly one article, keyed by this path.
	RedirectTarget = "/business/2024/08/shipyard-orders.html"
	// NotFoundPath is linked from the home page and answers 404.
	NotFoundPath = "/world/2024/08/harbour-tunnel-contract.html"
	// PDFPath is linked from the home page and serves application/pdf.
	PDFPath = "/files/annual-report-2024.pdf"
	// SlowPath is a regular, expected article served after Site.SlowDelay.
	SlowPath = "/business/2024/07/halden-port-automation.html"
	// OversizePath is linked from the home page and streams
	// Site.OversizeBytes of article-shaped HTML with no Content-Length. It
	// must never become an article.
	OversizePath = "/big/complete-archive.html"
)

// OffsiteHost is the host name (with the server's port) of the off-site link.
const OffsiteHost = "localhost"

const disallowedPrefix = "/private/"

// Expected is what the article of one page must look like after a crawl of
// "/" with max depth CrawlDepth.
type Expected struct {
	// Path is the URL path of the article: its canonical URL (and, for
	// RedirectTarget, its final URL) is the server's origin + Path.
	Path string
	// Title is the clean headline: the <h1> text, without " | " + SiteName.
	Title string
	// Language is a BCP 47 tag: "en" or "ar".
	Language string
	// SiteName is og:site_name: SiteNameEN or SiteNameAR.
	SiteName string
	// Source is the original publisher credited under the body
	// ("Source: …" / "المصدر: …").
	Source string
	// Author is the byline name (also in meta name=author).
	Author string
	// Published is article:published_time verbatim (RFC 3339, some with a
	// +03:00 offset). Compare instants (time.Time.Equal), not strings.
	Published string
	// Description is the meta description.
	Description string
	// Depth is the breadth-first depth from "/". A concurrent crawl may
	// reach a regular article by a longer path, but never deeper than
	// CrawlDepth; special-report and related-only articles always have
	// depth 2 and 3 (see the package documentation).
	Depth int
	// RelatedOnly is set on articles linked only from other articles'
	// similar lists.
	RelatedOnly bool
	// HasJSONLD is set when the page carries a JSON-LD NewsArticle.
	HasJSONLD bool
	// Related are the paths of the "similar articles" list, in page order.
	// It may include DeepPath, which is linked but never fetched.
	Related []string
	// BodyMustContain are strings the body must contain: its first and last
	// paragraphs, verbatim.
	BodyMustContain []string
	// BodyMustNotContain are strings found on the page, outside the body,
	// that the body must not contain: the "read also" story's headline and
	// text, the comment, the ticker, the similar list, the footer and other
	// boilerplate.
	BodyMustNotContain []string
}

// Articles returns the expected article set of a crawl of "/" with max depth
// CrawlDepth: one entry per article page, English first, in a fixed order.
// Hubs and the pages of NeverArticles are not in it.
func (s *Site) Articles() []Expected {
	depth := s.cat.minDepths()
	var out []Expected
	for _, a := range s.cat.articles {
		if !a.expected() {
			continue
		}
		out = append(out, Expected{
			Path:               a.path,
			Title:              a.title,
			Language:           a.lang,
			SiteName:           labelsFor(a.lang).SiteName,
			Source:             a.source,
			Author:             a.author,
			Published:          a.published,
			Description:        a.summary,
			Depth:              depth[a.path],
			RelatedOnly:        a.kind == relatedOnly,
			HasJSONLD:          a.jsonLD,
			Related:            append([]string(nil), a.similar...),
			BodyMustContain:    []string{a.paras[0], a.paras[len(a.paras)-1]},
			BodyMustNotContain: s.cat.boilerplate(a),
		})
	}
	return out
}

// boilerplate returns text that appears on the page of a but not in its body.
func (c *catalog) boilerplate(a *article) []string {
	l := labelsFor(a.lang)
	ra := c.byPath[a.readAlso]
	list := []string{ra.title}
	for _, p := range ra.paras[:readAlsoParas] {
		list = append(list, firstWords(p, 8))
	}
	list = append(list,
		c.ticker(a.lang, a.path)[0].title,
		c.byPath[a.similar[0]].title,
		firstWords(l.CommentText, 8),
		l.Views, l.Follow, l.Copyright,
	)
	if a.lang == "ar" {
		list = append(list, aggregatorStamp)
	}
	seen := map[string]bool{}
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	return strings.Join(w[:min(n, len(w))], " ")
}

// Hubs returns the paths of the hub pages, "/" first. A crawl must fetch each
// of them and turn none into an article (their og:type is "website").
func (s *Site) Hubs() []string {
	out := make([]string, len(s.cat.hubs))
	for i, h := range s.cat.hubs {
		out[i] = h.path
	}
	return out
}

// NeverArticles returns the paths no article may be keyed by: the
// robots-disallowed, off-site and depth-4 articles (NeverFetched), the
// redirecting URL (its article is keyed by RedirectTarget), the 404, the PDF
// and the oversized page.
func (s *Site) NeverArticles() []string {
	return append(s.NeverFetched(), RedirectPath, NotFoundPath, PDFPath, OversizePath)
}

// NeverFetched returns the paths a correct crawl of "/" with max depth
// CrawlDepth never requests: Hits must stay 0 for each.
func (s *Site) NeverFetched() []string {
	return []string{DisallowedPath, OffsitePath, DeepPath}
}

// PageCount returns the number of HTML pages a correct crawl turns into
// parsed pages: the hubs plus the expected articles.
func (s *Site) PageCount() int {
	return len(s.cat.hubs) + len(s.Articles())
}
