package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/frontier"
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
	Scope    *frontier.Scope
	Codec    *wire.Codec
	MaxDepth int
	Metrics  *Metrics
	Log      *slog.Logger
}

// Handle parses one page. The article is published before the links are
// enqueued and both before the ack, so a crash at any point only repeats
// work that JetStream's duplicate window and the seen bucket absorb.
func (p *Parse) Handle(ctx context.Context, msg jetstream.Msg) error {
	page, err := p.Codec.Page(msg.Headers(), msg.Data())
	if err != nil {
		return worker.Permanent(err)
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
		if _, err := p.JS.PublishMsg(ctx, m); err != nil {
			return fmt.Errorf("publish article %s: %w", art.URL, err)
		}
		p.Metrics.ArticlesPublished.Inc()
	}
	return p.enqueue(ctx, page, links)
}

// enqueueParallelism bounds the link lookups in flight for one page: each is
// one or two KV round trips, and a hub has hundreds of links.
const enqueueParallelism = 8

func (p *Parse) enqueue(ctx context.Context, page trawler.Page, links []trawler.Link) error {
	depth := page.Depth + 1
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(enqueueParallelism)
	for _, l := range links {
		p.Metrics.Links.WithLabelValues(LinkDiscovered).Inc()
		g.Go(func() error {
			fate, err := p.enqueueOne(gctx, l.URL, depth, page.FinalURL)
			if err != nil {
				return err
			}
			p.Metrics.Links.WithLabelValues(fate).Inc()
			return nil
		})
	}
	return g.Wait()
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
	isNew, err := p.Frontier.Enqueue(ctx, trawler.CrawlRequest{URL: link, Depth: depth, Referrer: referrer})
	if err != nil {
		return "", err
	}
	if !isNew {
		return LinkDuplicate, nil
	}
	return LinkEnqueued, nil
}
