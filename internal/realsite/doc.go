// Package realsite serves a news site made of real article pages, for
// end-to-end tests that must not share the heuristics' assumptions: the
// fixture site of internal/sitetest is written by the same people who wrote
// the parser, this one is not.
//
// Build takes a ground-truth folder in the format of
// ../shared/bench/extraction (ground-truth.json and gzipped pages, read with
// internal/eval) and a seed, and lays out a site deterministically:
//
//   - articles: real pages with a non-trivial ground-truth body, taken in
//     turn from each source and at most one per original site, served
//     under a mix of URL schemes (Schemes): short numeric names, opaque ids,
//     query ids, Arabic percent-encoded slugs and date paths;
//   - links: "/" is a small listing of a few articles; every other article
//     is reachable only through related blocks injected into the real pages,
//     some only at depth 3 or more. The blocks reproduce the markups of the
//     dev pages' own related blocks (shapes.go says which page each comes
//     from), with English and Arabic headings, one-to-three-word link titles
//     and full headlines, absolute, root-relative and relative hrefs;
//   - identity: each article page declares its main URL as canonical (the
//     original site's canonical and og:url are rewritten, as a site's own
//     pages do), except a couple of pages that keep a canonical on another
//     site (a syndicated copy: its own article); some articles have aliases
//     (pagination and print variants with the same bytes, a same-site
//     canonical alias, an AMP copy), and links carry tracking parameters and
//     session ids;
//   - the pages' own links are left in place: relative ones 404 here, as on
//     a mirror, and absolute ones lead off site;
//   - robots.txt disallows two paths that related blocks link to.
//
// The site is an http.Handler that records every request; Articles,
// Disallowed, Requests and Route tell a test what a crawl of "/" must
// produce and what it asked for, and LinksTo how a missed article was
// linked.
package realsite
