package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/urlnorm"
	"github.com/trawler/trawler/internal/wire"
	"github.com/trawler/trawler/internal/worker"
)

// Crawl is the crawl stage: it takes requests from the frontier, fetches
// them and publishes the pages.
type Crawl struct {
	JS         jetstream.JetStream
	Names      trawler.Names
	Fetcher    *crawler.Fetcher
	Scope      *frontier.Scope
	Frontier   *frontier.Frontier
	Schedule   *frontier.Schedule // nil: no revisits
	Codec      *wire.Codec
	MaxPayload int // largest message the server takes; bigger pages are refused
	Metrics    *Metrics
	Log        *slog.Logger

	crawlerID string        // this process in the crawler group (see Config.CrawlerID)
	loop      worker.Config // the worker loop of each leased partition
}

// Handle fetches one crawl request. A permanent fetch failure (404, robots,
// not HTML, too large…) is counted, logged and acked: it is an answer, not a
// failed message. A host that asked us to wait (see deferReason) defers the
// request, which costs it none of its deliveries; any other transient
// failure is retried by the loop with backoff.
//
// The outcome is recorded in the URL's seen entry when seeding the URL
// again should know it (see frontier.EnqueueSeed): a seed answered, or any
// request refused for good or dead-lettered (see DeadLettered).
func (c *Crawl) Handle(ctx context.Context, msg jetstream.Msg) error {
	req, err := wire.CrawlRequest(msg.Data())
	if err != nil {
		return worker.Permanent(err)
	}
	return c.handle(ctx, req)
}

// DeadLettered records that the request in msg failed for good, so that
// seeding its URL again retries it. The worker loop calls it
// (worker.Config.OnDeadLetter) before dead-lettering msg, whether or not
// Handle saw the last delivery.
func (c *Crawl) DeadLettered(ctx context.Context, msg jetstream.Msg, cause error) error {
	req, err := wire.CrawlRequest(msg.Data())
	if err != nil {
		return nil // not a request: nothing to record
	}
	return c.answered(ctx, req, crawler.Outcome(cause))
}

// answered records how req ended, as outcome (crawler.Outcome): a seed
// fetched, or any request refused for good. A revisit's outcome belongs to
// the schedule.
func (c *Crawl) answered(ctx context.Context, req trawler.CrawlRequest, outcome string) error {
	switch {
	case req.Revisit != "":
		return nil
	case outcome == "ok", outcome == crawler.Outcome(crawler.ErrRedirectElsewhere), outcome == crawler.Outcome(crawler.ErrAlreadySeen):
		// Answered: a page, or a redirect to a URL crawled on its own.
		if req.Depth > 0 {
			return nil // "queued" reads as done too: spare a link the write
		}
		return c.Frontier.Fetched(ctx, req.URL)
	default:
		return c.Frontier.Failed(ctx, req.URL, outcome)
	}
}

func (c *Crawl) handle(ctx context.Context, req trawler.CrawlRequest) error {
	log := c.Log.With("url", req.URL, "depth", req.Depth)
	u, err := url.Parse(req.URL)
	if err != nil {
		return worker.Permanent(fmt.Errorf("crawl request url: %w", err))
	}
	if err := c.Scope.CheckFresh(ctx, u); err != nil {
		if !errors.Is(err, frontier.ErrOutOfScope) {
			return err // undecided: retried
		}
		// Seeds put their domain in scope before they are enqueued, so this
		// is a request enqueued by hand or under an older scope.
		c.Metrics.Fetches.WithLabelValues("out_of_scope", "none").Inc()
		log.Info("not fetched", "outcome", "out_of_scope")
		return c.answered(ctx, req, "out_of_scope")
	}

	start := time.Now()
	var opts []crawler.FetchOption
	if req.Revisit != "" {
		opts = append(opts, crawler.IfNoneMatch(req.ETag), crawler.IfModifiedSince(req.LastModified))
	}
	res, err := c.Fetcher.Fetch(withRequest(ctx, req.URL), req.URL, opts...)
	outcome := crawler.Outcome(err)
	status := 0
	if res != nil {
		status = res.Status
	}
	var fe *crawler.Error
	if errors.As(err, &fe) && fe.Status != 0 {
		status = fe.Status
	}
	class := statusClass(status)
	c.Metrics.Fetches.WithLabelValues(outcome, class).Inc()
	c.Metrics.FetchSeconds.WithLabelValues(class).Observe(time.Since(start).Seconds())
	if err != nil {
		if crawler.IsTransient(err) {
			if reason := deferReason(err); reason != "" {
				c.Metrics.Deferred.WithLabelValues(reason).Inc()
				return worker.Defer(err, crawler.RetryAfter(err))
			}
			return worker.RetryAfter(err, crawler.RetryAfter(err))
		}
		if errors.Is(err, crawler.ErrRedirectElsewhere) && fe != nil {
			if err := c.handOff(ctx, req, fe.Redirect, log); err != nil {
				return err
			}
			return c.answered(ctx, req, outcome)
		}
		if errors.Is(err, crawler.ErrNotModified) && c.Schedule != nil {
			log.Info("not fetched", "outcome", outcome, "revisit", req.Revisit)
			return c.Schedule.NotModified(ctx, req.URL)
		}
		log.Info("not fetched", "outcome", outcome, "err", err)
		return c.answered(ctx, req, outcome)
	}

	page := trawler.Page{
		URL:         req.URL,
		FinalURL:    res.FinalURL,
		Status:      res.Status,
		ContentType: res.ContentType,
		Kind:        res.Kind,
		FetchedAt:   res.FetchedAt,
		Depth:       req.Depth,
		TemplateRun: req.TemplateRun,
		Body:        res.Body,
		Revisit:     req.Revisit,
		Attempt:     req.Attempt,
	}
	if res.Header != nil {
		page.ETag, page.LastModified = res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	}
	m := c.Codec.PageMsg(c.Names.PagesSubject(), page)
	if size := len(m.Data) + 1024; c.MaxPayload > 0 && size > c.MaxPayload {
		c.Metrics.Fetches.WithLabelValues("too_large_for_nats", class).Inc()
		log.Warn("not published", "outcome", "too_large_for_nats", "bytes", len(m.Data), "max_payload", c.MaxPayload)
		return c.answered(ctx, req, "too_large_for_nats")
	}
	pctx, cancel := context.WithTimeout(ctx, natsutil.OpTimeout)
	defer cancel()
	if _, err := c.JS.PublishMsg(pctx, m); err != nil {
		return fmt.Errorf("publish page %s: %w", req.URL, err)
	}
	c.Metrics.PagesPublished.Inc()
	if req.Depth == 0 && req.Revisit == "" {
		if err := c.enqueueSitemaps(ctx, u, log); err != nil {
			return err
		}
	}
	c.Metrics.FetchedBytes.Add(float64(len(page.Body)))
	c.Metrics.PageBytes.Observe(float64(len(page.Body)))
	log.Debug("fetched", "final_url", res.FinalURL, "status", res.Status, "bytes", len(page.Body))
	return c.answered(ctx, req, "ok")
}

// Reasons for deferring a request, the label values of
// trawler_crawl_deferred_total.
const (
	DeferRobotsUnavailable = "robots_unavailable"
	DeferHostPaused        = "host_paused"
	DeferRateLimited       = "rate_limited"
)

// deferReason says whether a transient fetch error is the host asking us to
// wait rather than a failure of the URL, and why: robots.txt unavailable
// (RFC 9309: fetch nothing until it answers), the host paused by an open
// circuit or a pause longer than the request's deadline, or a 429 or 503
// (with or without Retry-After). Waiting for a host must not dead-letter
// its URLs. A 500 or a timeout on the page itself is a failure: "".
func deferReason(err error) string {
	var fe *crawler.Error
	switch {
	case errors.Is(err, crawler.ErrRobotsUnavailable):
		return DeferRobotsUnavailable
	case errors.Is(err, crawler.ErrCircuitOpen), errors.Is(err, crawler.ErrThrottled):
		return DeferHostPaused
	case errors.Is(err, crawler.ErrRateLimited),
		errors.Is(err, crawler.ErrServer) && errors.As(err, &fe) && fe.Status == http.StatusServiceUnavailable:
		return DeferRateLimited
	}
	return ""
}

// handOff enqueues the target of a redirect to a host whose budget another
// partition holds: it is crawled there, on its own, at the same depth.
func (c *Crawl) handOff(ctx context.Context, req trawler.CrawlRequest, target string, log *slog.Logger) error {
	norm, err := urlnorm.Normalize(target)
	if err != nil {
		log.Info("not fetched", "outcome", "invalid_url", "to", target, "err", err)
		return nil
	}
	isNew, err := c.Frontier.Enqueue(ctx, trawler.CrawlRequest{URL: norm, Depth: req.Depth, Referrer: req.URL, TemplateRun: req.TemplateRun})
	if err != nil {
		return fmt.Errorf("hand off redirect %s: %w", norm, err)
	}
	log.Info("redirect handed off", "outcome", "redirect_handoff", "to", norm, "new", isNew)
	return nil
}

// enqueueSitemaps enqueues the sitemaps robots.txt lists for a seed's host,
// at depth 1: a site root is enough to find its news.
func (c *Crawl) enqueueSitemaps(ctx context.Context, u *url.URL, log *slog.Logger) error {
	for _, sm := range c.Fetcher.Sitemaps(u) {
		norm, err := urlnorm.Normalize(sm)
		if err != nil {
			continue
		}
		su, err := url.Parse(norm)
		if err != nil || c.Scope.Check(su) != nil {
			continue
		}
		isNew, err := c.Frontier.Enqueue(ctx, trawler.CrawlRequest{URL: norm, Depth: 1, Referrer: u.String()})
		if err != nil {
			return err
		}
		if isNew {
			c.Metrics.Discovered.WithLabelValues("robots_sitemap").Inc()
			log.Debug("sitemap from robots.txt", "sitemap", norm)
		}
	}
	return nil
}

type requestKey struct{}

func withRequest(ctx context.Context, url string) context.Context {
	return context.WithValue(ctx, requestKey{}, url)
}

// AllowRedirect is the crawler's check of a redirect target: in scope, and
// not a URL crawled on its own. The target is claimed in the seen bucket, so
// a link to it found later is a duplicate, and a target already seen is not
// fetched a second time through the redirect.
func (c *Crawl) AllowRedirect(ctx context.Context, u *url.URL) error {
	if err := c.Scope.CheckFresh(ctx, u); err != nil {
		if !errors.Is(err, frontier.ErrOutOfScope) {
			return fmt.Errorf("%w: %w", crawler.ErrRedirectUnchecked, err)
		}
		return err
	}
	target, err := urlnorm.Normalize(u.String())
	if err != nil {
		return err
	}
	owner, _ := ctx.Value(requestKey{}).(string)
	if owner == target {
		return nil
	}
	// The redirect may only be followed within the budget this crawler
	// owns: the original request's partition.
	if ou, err := url.Parse(owner); owner != "" && err == nil && !frontier.SamePartition(ou, u) {
		return crawler.ErrRedirectElsewhere
	}
	isNew, err := c.Frontier.Claim(ctx, target, owner)
	if err != nil {
		// Neither follow (the target may be crawled on its own: a second
		// fetch) nor refuse (the page would be lost): retry the request.
		return fmt.Errorf("claim redirect target %s: %w: %w", target, crawler.ErrRedirectUnchecked, err)
	}
	if !isNew {
		return crawler.ErrAlreadySeen
	}
	return nil
}
