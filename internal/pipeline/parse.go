package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/discover"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/wire"
	"github.com/trawler/trawler/internal/worker"
	"github.com/trawler/trawler/parser"
)

// Parse is the parse stage: it turns pages into articles and feeds their
// links back to the frontier.
type Parse struct {
	JS       jetstream.JetStream
	Names    trawler.Names
	Frontier *frontier.Frontier
	Schedule *frontier.Schedule // nil: no revisits
	Scope    *frontier.Scope
	Rules    frontier.Rules // include/exclude patterns and traps
	Codec    *wire.Codec
	MaxDepth int
	Metrics  *Metrics
	Log      *slog.Logger
	// SiteGroups labels the articles' field counts (zero value: every
	// site is "other").
	SiteGroups SiteGroups
}

// Handle parses one page. The article is published before the links are
// enqueued and both before the ack, so a crash at any point only repeats
// work that JetStream's duplicate window and the seen bucket absorb.
func (p *Parse) Handle(ctx context.Context, msg jetstream.Msg) error {
	page, err := p.Codec.Page(msg.Headers(), msg.Data())
	if err != nil {
		return worker.Permanent(err)
	}
	if isFeed(page) {
		return p.handleFeed(ctx, page)
	}
	start := time.Now()
	art, links, err := parser.Parse(page)
	p.Metrics.ParseSeconds.Observe(time.Since(start).Seconds())
	if err != nil {
		p.Metrics.Pages.WithLabelValues("error").Inc()
		// Parsing is deterministic: the same bytes fail the same way.
		return worker.Permanent(fmt.Errorf("parse %s: %w", page.URL, err))
	}
	p.Metrics.Pages.WithLabelValues(art.PageType).Inc()

	if art.PageType == trawler.PageArticle {
		m, err := wire.ArticleMsg(p.Names.ArticlesSubject(), &art)
		if err != nil {
			return worker.Permanent(err)
		}
		pctx, cancel := context.WithTimeout(ctx, natsutil.OpTimeout)
		defer cancel()
		if _, err := p.JS.PublishMsg(pctx, m); err != nil {
			return fmt.Errorf("publish article %s: %w", art.URL, err)
		}
		p.Metrics.ArticlesPublished.Inc()
		p.Metrics.ArticleFields(p.SiteGroups.Group(hostname(art.URL)), &art)
	}
	if page.Depth == 0 {
		// A seed may be a site root: follow the feeds its head announces.
		for _, f := range discover.FeedLinks(page.FinalURL, page.Body) {
			links = append(links, trawler.Link{URL: f})
			p.Metrics.Discovered.WithLabelValues("feed_link").Inc()
		}
	}
	fresh, err := p.enqueue(ctx, page, links)
	if err != nil {
		return err
	}
	if art.PageType == trawler.PageHub && page.Depth <= revisitHubDepth {
		return p.visited(ctx, page, fresh)
	}
	return nil
}

// revisitHubDepth is the deepest HTML hub page revisited: the front page
// and the section pages it links to. Feeds and sitemaps are revisited at
// any depth.
const revisitHubDepth = 1

// visited schedules the next visit of a feed or hub.
func (p *Parse) visited(ctx context.Context, page trawler.Page, fresh int) error {
	if p.Schedule == nil {
		return nil
	}
	if err := p.Schedule.Visited(ctx, page, fresh); err != nil {
		return err
	}
	if page.Revisit != "" {
		p.Log.Info("revisited", "url", page.URL, "new_links", fresh)
	}
	return nil
}

// enqueueParallelism bounds the link lookups in flight for one page: each is
// one or two KV round trips, and a hub has hundreds of links.
const enqueueParallelism = 8

// enqueue sends the page's links to the frontier and returns how many were
// new.
func (p *Parse) enqueue(ctx context.Context, page trawler.Page, links []trawler.Link) (int, error) {
	depth := page.Depth + 1
	var fresh atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(enqueueParallelism)
	for _, l := range links {
		p.Metrics.Links.WithLabelValues(LinkDiscovered).Inc()
		g.Go(func() error {
			fate, err := p.enqueueOne(gctx, l.URL, depth, page.FinalURL)
			if err != nil {
				return err
			}
			if fate == LinkEnqueued {
				fresh.Add(1)
			}
			p.Metrics.Links.WithLabelValues(fate).Inc()
			return nil
		})
	}
	err := g.Wait()
	return int(fresh.Load()), err
}

func (p *Parse) enqueueOne(ctx context.Context, link string, depth int, referrer string) (string, error) {
	if depth > p.MaxDepth {
		// Not recorded as seen: a shorter path may still reach it.
		return LinkTooDeep, nil
	}
	u, err := url.Parse(link)
	if err != nil {
		return LinkInvalid, nil
	}
	if p.Scope.Check(u) != nil {
		return LinkOutOfScope, nil
	}
	if reason := p.Rules.Check(link, u); reason != "" {
		return reason, nil
	}
	isNew, err := p.Frontier.Enqueue(ctx, trawler.CrawlRequest{URL: link, Depth: depth, Referrer: referrer})
	if errors.Is(err, frontier.ErrOverBudget) {
		return LinkHostBudget, nil
	}
	if err != nil {
		return "", err
	}
	if !isNew {
		return LinkDuplicate, nil
	}
	return LinkEnqueued, nil
}

// hostname is the host of rawURL without its port, "" when it has none.
func hostname(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
