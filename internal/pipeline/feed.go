package pipeline

import (
	"context"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/discover"
	"github.com/trawler/trawler/internal/worker"
)

// isFeed reports whether a page is a feed or sitemap rather than HTML, as
// the crawler decided when it fetched it (Page.Kind). A page published by a
// crawler that predates Kind, during a rolling upgrade, is sniffed as it
// was then: its type is not HTML and its bytes are RSS, Atom, a sitemap or a
// sitemap index.
func isFeed(page trawler.Page) bool {
	if page.Kind != "" {
		return page.Kind == trawler.KindFeed
	}
	mt, _, err := mime.ParseMediaType(page.ContentType)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(page.ContentType), ";")
	}
	if mt == "text/html" || mt == "application/xhtml+xml" {
		return false
	}
	return discover.Sniff(page.Body)
}

// handleFeed enqueues the entries of a feed or sitemap (the child sitemaps
// of an index) and schedules its next visit. It publishes no article.
func (p *Parse) handleFeed(ctx context.Context, page trawler.Page) error {
	start := time.Now()
	doc, err := discover.Parse(page.FinalURL, page.Body)
	p.Metrics.ParseSeconds.Observe(time.Since(start).Seconds())
	if err != nil {
		p.Metrics.Pages.WithLabelValues(PageError).Inc()
		return worker.Permanent(fmt.Errorf("parse feed %s: %w", page.URL, err))
	}
	p.Metrics.Pages.WithLabelValues(string(doc.Kind)).Inc()
	links := make([]trawler.Link, len(doc.Entries))
	for i, e := range doc.Entries {
		links[i] = trawler.Link{URL: e.URL, Title: e.Title}
	}
	p.Metrics.Discovered.WithLabelValues(string(doc.Kind)).Add(float64(len(links)))
	fresh, err := p.enqueue(ctx, page, links)
	if err != nil {
		return err
	}
	p.Log.Debug("feed", "url", page.URL, "kind", doc.Kind, "entries", len(links), "new_links", fresh)
	return p.visited(ctx, page, fresh)
}
