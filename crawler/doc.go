// Package crawler fetches pages for the crawl stage: politely (robots.txt,
// a per-host delay and parallelism limit), safely (no private addresses, no
// unbounded bodies) and with errors the worker can act on (permanent or
// transient, with Retry-After).
//
// The fetching is built on one colly collector; collector.go lists how colly
// is used and which of its behaviours are switched off or worked around.
package crawler
