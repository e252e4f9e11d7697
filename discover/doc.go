// Package discover finds article URLs the way news sites publish them: in
// RSS and Atom feeds, in sitemaps and sitemap indexes (Google News sitemaps
// included), in robots.txt Sitemap lines and in the feed links of a page's
// head. It is pure: bytes in, URLs out, no I/O.
package discover
