package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/discover"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/urlnorm"
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
	// MaxPageBytes is the largest page parsed (parser.WithMaxPageBytes);
	// zero is parser.DefaultMaxPageBytes. Give it the crawler's body limit.
	MaxPageBytes int64
	Metrics      *Metrics
	Log          *slog.Logger
	// SiteGroups labels the articles' field counts (zero value: every
	// site is "other").
	SiteGroups SiteGroups
	// Window bounds the publication times of the articles written.
	Window Window
	// NoLinks: the links found are not enqueued.
	NoLinks bool

	capped capLog // says when the frontier's caps are reached

	cons jetstream.Consumer // the pages stream's parse consumer
	loop worker.Config
}

// Run parses pages from the pages stream until ctx ends.
func (p *Parse) Run(ctx context.Context) error {
	return worker.Run(ctx, p.cons, p.loop, p.Handle)
}

// Handle parses one page. The article is published before the links are
// enqueued and both before the ack, so a crash at any point only repeats
// work that JetStream's duplicate window and the seen bucket absorb.
func (p *Parse) Handle(ctx context.Context, msg jetstream.Msg) error {
	page, err := p.Codec.Page(msg.Headers(), msg.Data())
	if err != nil {
		if errors.Is(err, wire.ErrTooLarge) {
			p.Metrics.Pages.WithLabelValues(PageTooLarge).Inc()
		}
		return worker.Permanent(err)
	}
	if isFeed(page) {
		if p.NoLinks { // a feed is its links
			return nil
		}
		return p.handleFeed(ctx, page)
	}
	opts := []parser.Option{parser.WithMaxPageBytes(p.MaxPageBytes)}
	if d, ok := ctx.Deadline(); ok {
		opts = append(opts, parser.WithDeadline(d))
	}
	start := time.Now()
	art, links, err := parser.Parse(page, opts...)
	p.Metrics.ParseSeconds.Observe(time.Since(start).Seconds())
	art.ExtractedAt = time.Now().UTC()
	if err != nil {
		outcome := PageError
		switch {
		case errors.Is(err, parser.ErrTooLarge):
			outcome = PageTooLarge
		case errors.Is(err, parser.ErrOverBudget):
			outcome = PageOverBudget
		}
		p.Metrics.Pages.WithLabelValues(outcome).Inc()
		// Parsing is deterministic: the same bytes fail the same way, so
		// the page is dead-lettered, to be replayed once the limit is
		// raised if it was too large. A deadline passed is dead-lettered
		// too: a page that took the whole handler's time would take it
		// again on every redelivery.
		return worker.Permanent(fmt.Errorf("parse %s: %w", page.URL, err))
	}
	if art.PageType == trawler.PageArticle && !p.Window.Contains(art.Published) {
		p.Metrics.Pages.WithLabelValues(PageOutOfWindow).Inc()
		p.Log.Debug("not written: published outside the window", "url", page.URL, "published", art.Published)
	} else {
		p.Metrics.Pages.WithLabelValues(art.PageType).Inc()
	}

	if art.PageType == trawler.PageArticle && p.Window.Contains(art.Published) {
		if err := p.publishArticle(ctx, page, &art); err != nil {
			return err
		}
	}
	if p.NoLinks {
		return nil
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

// publishArticle publishes art, or, when it is another address of an
// article already written (see frontier.Identify), an alias record of it,
// so that each article is written once whatever URL it came by.
func (p *Parse) publishArticle(ctx context.Context, page trawler.Page, art *trawler.Article) error {
	v, err := p.Frontier.Identify(ctx, art)
	if err != nil {
		return err
	}
	rec := art
	if v.Of != "" {
		p.Metrics.Aliases.WithLabelValues(v.Reason).Inc()
		rec = aliasRecord(page, art, v.Of)
		if rec == nil { // the article's own address, fetched again
			return nil
		}
	} else {
		art.Aliases = addresses(page, art, art.Key())
	}
	m, err := wire.ArticleMsg(p.Names.ArticlesSubject(), rec)
	if err != nil {
		return worker.Permanent(err)
	}
	pctx, cancel := context.WithTimeout(ctx, natsutil.OpTimeout)
	defer cancel()
	if _, err := p.JS.PublishMsg(pctx, m); err != nil {
		return fmt.Errorf("publish article %s: %w", rec.URL, err)
	}
	if v.Of == "" {
		p.Metrics.ArticlesPublished.Inc()
		p.Metrics.ArticleFields(p.SiteGroups.Group(hostname(art.URL)), art)
	}
	return nil
}

// addresses are the URLs the page was reached by, other than key: the URL
// requested (before redirects) and the one fetched.
func addresses(page trawler.Page, art *trawler.Article, key string) []string {
	out := []string{}
	for _, u := range []string{art.URL, page.URL} {
		if n, err := urlnorm.Normalize(u); err == nil && n != key && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// aliasRecord is the record telling sinks that the page's addresses belong
// to the article of key; nil when there is nothing new to tell.
func aliasRecord(page trawler.Page, art *trawler.Article, key string) *trawler.Article {
	urls := addresses(page, art, key)
	if len(urls) == 0 {
		return nil
	}
	sum := sha256.Sum256([]byte("alias\n" + strings.Join(urls, "\n")))
	return &trawler.Article{
		URL:          urls[0],
		CanonicalURL: key,
		Authors:      []string{},
		Tags:         []string{},
		Related:      []trawler.Link{},
		Aliases:      urls,
		PageType:     trawler.PageAlias,
		FetchedAt:    art.FetchedAt,
		Depth:        art.Depth,
		ContentHash:  hex.EncodeToString(sum[:]),
	}
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
	from := origin{url: page.FinalURL, run: page.TemplateRun}
	from.u, _ = url.Parse(page.FinalURL)
	var fresh atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(enqueueParallelism)
	for _, l := range links {
		p.Metrics.Links.WithLabelValues(LinkDiscovered).Inc()
		g.Go(func() error {
			fate, err := p.enqueueOne(gctx, l.URL, depth, from)
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

// origin is the page links are found on.
type origin struct {
	url string   // its final URL, the links' referrer
	u   *url.URL // the same, parsed (nil if it does not parse)
	run int      // the template run that reached it (frontier.Rules.Chain)
}

func (p *Parse) enqueueOne(ctx context.Context, link string, depth int, from origin) (string, error) {
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
	run, reason := p.Rules.Chain(from.u, from.run, u)
	if reason != "" {
		// Not recorded as seen: a hub may still link it.
		return reason, nil
	}
	isNew, err := p.Frontier.Enqueue(ctx, trawler.CrawlRequest{URL: link, Depth: depth, Referrer: from.url, TemplateRun: run})
	if errors.Is(err, frontier.ErrOverBudget) {
		p.capped.hostBudget(p.Log, u.Host, err)
		return LinkHostBudget, nil
	}
	if errors.Is(err, frontier.ErrFrontierFull) {
		p.capped.frontierFull(p.Log, err)
		return LinkFrontierFull, nil
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
