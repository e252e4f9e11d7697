// Package sitetest is a fixture news site for end-to-end tests and demos:
// about thirty English and Arabic articles shaped like the reference page
// (/work/shared/seed/reference-page.txt), hubs that list them, and the traps
// a crawler and a parser must survive. Everything is generated in Go and
// served from 127.0.0.1; no page links to a real external domain.
//
// Tests start it with Start (or New plus (*Site).Start); the demo can serve
// New() with net/http. Articles, Hubs, NeverArticles and NeverFetched say what
// a crawl of "/" with max depth CrawlDepth (3) must produce; Hits tells what
// was requested.
//
// # Pages
//
// Hubs ("/", "/world/", "/business/", "/science/", "/ar/", "/special/",
// "/ar/special/") are lists of headline links, with teasers on their main
// list, og:type "website". Article pages have <html lang>, "<title>Headline |
// Site Name</title>", og:title, og:site_name, og:type "article",
// article:published_time, a canonical link, an <h1>, a byline and a dateline;
// about half carry a JSON-LD NewsArticle. Around the body sit the source
// credit ("Source: …" / "المصدر: …"), a "read also" block with the headline and
// first paragraphs of another story, a print link (javascript:) and view
// counter, a comment and comment form, a headline ticker, a footer and the
// "similar articles" list ("مقالات مشابهة"). Everything under /ar/ is
// windows-1256 (header and <meta charset>); the rest is UTF-8.
//
// # Link graph
//
// W1–W4 (/world/), B1–B4 (/business/; B2 is SlowPath, B4 is RedirectTarget),
// S1–S3 (/science/) and AR1–AR6 (/ar/) are the regular articles; A1 A2 and
// AA1 AA2 the special-report ("anchor") articles; R1 R2 R3 and AR-R1 AR-R2
// AR-R3 the related-only articles.
//
//	depth 0  /             nav to the four sections; top stories W1 B1 S1 AR1;
//	                       most read: W1 as ?utm_source&utm_medium, ?fbclid and
//	                       #comments, B1 as ?utm_campaign&utm_source; latest
//	                       news: every regular article; /special/, /ar/special/;
//	                       RedirectPath (301 → B4), NotFoundPath, PDFPath,
//	                       OversizePath; OffsitePath on http://localhost:<port>
//	depth 1  /world/ …     section hubs /world/ /business/ /science/ /ar/: nav
//	                       to each other, their regular articles with teasers
//	                       (relative, root-relative and absolute hrefs, tracking
//	                       duplicates); /world/ links DisallowedPath
//	                       (robots.txt: Disallow: /private/)
//	         /special/     special-report hubs, linked from "/" only: A1 A2, and
//	         /ar/special/  AA1 AA2
//	         regular       read-also, ticker and similar list lead to regular
//	                       articles of the same language only; logo link to "/"
//	depth 2  anchors       listed on the special hubs only; ticker and read-also
//	                       as above, similar list mixes regular and related-only
//	                       articles (A1: R1 R2; A2: R3 R2; AA1: AR-R2 AR-R1;
//	                       AA2: AR-R3 AR-R1)
//	depth 3  related-only  linked from the anchors' similar lists and nowhere
//	                       else; R1's similar list has DeepPath
//	depth 4  DeepPath      linked from R1's similar list only: never fetched
//	never                  DisallowedPath (robots), OffsitePath (other host)
//
// # Why the expected set does not depend on crawl order
//
// Depth is assigned when a URL is first discovered, and a concurrent crawl can
// discover a page through a longer path than the shortest one: a section hub
// through a chain of other hubs (up to depth 3), a regular article through a
// hub or a ticker (up to depth 3). The graph is built so that this never
// changes what is fetched:
//
//   - "/" links every regular article and every hub, so all of them are
//     fetched at depth ≤ 3 in any order, and none has a child that only it
//     leads to: their links go to "/", to hubs and to regular articles;
//   - the pages whose depth matters have exactly one possible depth: the
//     special hubs are linked only from "/" (1), the anchors only from the
//     special hubs (2), the related-only articles only from the anchors (3),
//     and DeepPath only from a related-only article (4, beyond the limit).
//
// This assumes that a crawler does not record a URL as seen when it drops it
// for being deeper than the limit. The package tests check the property on
// the served HTML, over every possible crawl order.
package sitetest
