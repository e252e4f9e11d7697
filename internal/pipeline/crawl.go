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
	"github.com/trawler/trawler/internal/archive"
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

	crawlerID string          // this process in the crawler group (see Config.CrawlerID)
	gate      *crawlGate      // back-pressure and limits; nil: neither
	archive   *archive.Writer // nil: pages are not archived
	loop      worker.Config   // the worker loop of each leased partition
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
	class := "none"
	var fe *crawler.Error
	if errors.As(cause, &fe) && fe.Status != 0 {
		class = statusClass(fe.Status)
	}
	return c.answered(ctx, req, crawler.Outcome(cause), class)
}

// answered records how req ended, as outcome (crawler.Outcome) and the
// status class of its last response: a seed fetched, or any request refused
// for good. It counts the request once in trawler_crawl_requests_total,
// however many attempts it took. A revisit's outcome belongs to the
// schedule.
func (c *Crawl) answered(ctx context.Context, req trawler.CrawlRequest, outcome, class string) error {
	if req.Revisit != "" {
		return nil
	}
	c.Metrics.Requests.WithLabelValues(outcome, class).Inc()
	switch {
	case outcome == "ok", outcome == outcomeRedirectHandoff, outcome == outcomeRedirectSeen:
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
		return c.answered(ctx, req, "out_of_scope", "none")
	}

	start := time.Now()
	var opts []crawler.FetchOption
	if req.Revisit != "" {
		opts = append(opts, crawler.IfNoneMatch(req.ETag), crawler.IfModifiedSince(req.LastModified))
	}
	fctx := ctx
	if c.gate != nil {
		// A limit reached calls off the fetch, while it waits for its
		// host's turn; what follows a fetch (publishing, recording) is not.
		var cancel context.CancelFunc
		fctx, cancel = context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(c.gate.done, cancel)()
	}
	res, err := c.fetch(fctx, req.URL, opts...)
	outcome := crawler.Outcome(err)
	var refused *redirectRefused
	if errors.As(err, &refused) {
		outcome = refused.outcome
	}
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
		if refused != nil {
			switch outcome {
			case outcomeRedirectUnchecked:
				return worker.RetryAfter(err, 0)
			case outcomeRedirectHandoff:
				if err := c.handOff(ctx, req, refused.to, log); err != nil {
					return err
				}
				return c.answered(ctx, req, outcome, class)
			}
			log.Info("not fetched", "outcome", outcome, "err", err)
			return c.answered(ctx, req, outcome, class)
		}
		if crawler.IsTransient(err) {
			if reason := deferReason(err); reason != "" {
				c.Metrics.Deferred.WithLabelValues(reason).Inc()
				return worker.Defer(err, crawler.RetryAfter(err))
			}
			return worker.RetryAfter(err, crawler.RetryAfter(err))
		}
		if errors.Is(err, crawler.ErrNotModified) && c.Schedule != nil {
			log.Info("not fetched", "outcome", outcome, "revisit", req.Revisit)
			return c.Schedule.NotModified(ctx, req.URL)
		}
		log.Info("not fetched", "outcome", outcome, "err", err)
		return c.answered(ctx, req, outcome, class)
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
	if c.archive != nil {
		// Archived before it is published: a page parsed is a page kept.
		// A publish that fails after this archives the page twice, which
		// reparsing takes as two fetches of one page.
		if err := c.archive.Write(page, res.Header); err != nil {
			return err
		}
	}
	m := c.Codec.PageMsg(c.Names.PagesSubject(), page)
	if size := len(m.Data) + 1024; c.MaxPayload > 0 && size > c.MaxPayload {
		c.Metrics.Fetches.WithLabelValues("too_large_for_nats", class).Inc()
		log.Warn("not published", "outcome", "too_large_for_nats", "bytes", len(m.Data), "max_payload", c.MaxPayload)
		return c.answered(ctx, req, "too_large_for_nats", class)
	}
	pctx, cancel := context.WithTimeout(ctx, natsutil.OpTimeout)
	defer cancel()
	if _, err := c.JS.PublishMsg(pctx, m); err != nil {
		return fmt.Errorf("publish page %s: %w", req.URL, err)
	}
	c.Metrics.PagesPublished.Inc()
	if c.gate != nil {
		c.gate.published()
	}
	if req.Depth == 0 && req.Revisit == "" {
		if err := c.enqueueSitemaps(ctx, u, log); err != nil {
			return err
		}
	}
	c.Metrics.FetchedBytes.Add(float64(len(page.Body)))
	c.Metrics.PageBytes.Observe(float64(len(page.Body)))
	log.Debug("fetched", "final_url", res.FinalURL, "status", res.Status, "bytes", len(page.Body))
	return c.answered(ctx, req, "ok", class)
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
	if errors.Is(err, frontier.ErrOverBudget) || errors.Is(err, frontier.ErrFrontierFull) {
		log.Info("redirect target dropped", "to", norm, "err", err) // a cap, not a failure
		return nil
	}
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
		if errors.Is(err, frontier.ErrOverBudget) || errors.Is(err, frontier.ErrFrontierFull) {
			continue // a cap, not a failure
		}
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

// Outcomes of a redirect the crawl stage does not follow, beside the
// crawler's (crawler.Outcome): labels of trawler_crawl_fetches_total.
const (
	outcomeOutOfScope        = "out_of_scope"
	outcomeRedirectSeen      = "redirect_seen"      // the target is crawled on its own
	outcomeRedirectHandoff   = "redirect_handoff"   // the target's budget is another partition's: enqueued there
	outcomeRedirectUnchecked = "redirect_unchecked" // the seen record was unreachable: retried
)

// redirectRefused ends a request at a redirect the stage does not follow.
type redirectRefused struct {
	outcome  string
	from, to string
	err      error // the cause, if any
}

func (e *redirectRefused) Error() string {
	msg := fmt.Sprintf("redirect from %s to %s: %s", e.from, e.to, e.outcome)
	if e.err != nil {
		msg += ": " + e.err.Error()
	}
	return msg
}

func (e *redirectRefused) Unwrap() error { return e.err }

// fetch fetches rawURL, deciding on each redirect itself (see
// checkRedirect): the crawler fetches, the stage owns the crawl's state.
func (c *Crawl) fetch(ctx context.Context, rawURL string, opts ...crawler.FetchOption) (*crawler.Result, error) {
	res, err := c.Fetcher.Fetch(ctx, rawURL, append(opts, crawler.ReturnRedirects())...)
	for err == nil && res.Redirect != nil {
		if err := c.checkRedirect(ctx, rawURL, res.Redirect); err != nil {
			return res, err
		}
		res, err = c.Fetcher.Follow(ctx, res.Redirect)
	}
	return res, err
}

// checkRedirect decides whether a redirect of the request for owner is
// followed: its target must be in scope, within the politeness budget this
// crawler owns (owner's partition), and not a URL crawled on its own. The
// target is claimed in the seen bucket before it is fetched, so a link to it
// found later is a duplicate, and a target already seen is not fetched a
// second time through the redirect.
func (c *Crawl) checkRedirect(ctx context.Context, owner string, r *crawler.Redirect) error {
	refuse := func(outcome string, err error) error {
		return &redirectRefused{outcome: outcome, from: r.From, to: r.To.String(), err: err}
	}
	if err := c.Scope.CheckFresh(ctx, r.To); err != nil {
		if !errors.Is(err, frontier.ErrOutOfScope) {
			return refuse(outcomeRedirectUnchecked, err)
		}
		return refuse(outcomeOutOfScope, err)
	}
	target, err := urlnorm.Normalize(r.To.String())
	if err != nil {
		return refuse(crawler.Outcome(crawler.ErrInvalidURL), err)
	}
	if target == owner {
		return nil
	}
	if ou, err := url.Parse(owner); err != nil || !frontier.SamePartition(ou, r.To) {
		return refuse(outcomeRedirectHandoff, nil)
	}
	isNew, err := c.Frontier.Claim(ctx, target, owner)
	if err != nil {
		// Neither follow (the target may be crawled on its own: a second
		// fetch) nor refuse (the page would be lost): retry the request.
		return refuse(outcomeRedirectUnchecked, err)
	}
	if !isNew {
		return refuse(outcomeRedirectSeen, nil)
	}
	return nil
}
