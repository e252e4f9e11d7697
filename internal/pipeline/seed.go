package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/urlnorm"
)

// SeedOption modifies Seed.
type SeedOption func(*seedOptions)

type seedOptions struct{ force bool }

// Force enqueues every seed again, even one fetched before (unless it is
// being enqueued right now); one still queued is then fetched twice.
func Force() SeedOption { return func(o *seedOptions) { o.force = true } }

// Seed puts the seeds' registered domains (or the extra allowed domains)
// and the ports the seeds name in scope, then enqueues the seeds at depth 0. A seed seen before is enqueued
// again only if its last attempt failed (or with Force): one queued or
// fetched is not (see frontier.EnqueueSeed). It returns how many seeds were
// enqueued.
func Seed(ctx context.Context, js jetstream.JetStream, names trawler.Names, seeds, allowDomains []string, log *slog.Logger, opts ...SeedOption) (int, error) {
	var o seedOptions
	for _, opt := range opts {
		opt(&o)
	}
	norm := make([]string, 0, len(seeds))
	domains := append([]string(nil), allowDomains...)
	for _, s := range seeds {
		n, err := urlnorm.Normalize(s)
		if err != nil {
			return 0, fmt.Errorf("seed: %w", err)
		}
		norm = append(norm, n)
		if len(allowDomains) == 0 {
			domains = append(domains, frontier.SeedDomain(n))
		}
	}
	// The seeds' ports are fetched beside crawler.Config.AllowPorts, by
	// every crawler: they read them from the scope (Scope.Port).
	domains = append(domains, frontier.SeedPorts(norm...)...)
	if err := frontier.AddToScope(ctx, js, names, domains...); err != nil {
		return 0, err
	}
	fr, err := frontier.New(ctx, js, names)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, s := range norm {
		res, err := fr.EnqueueSeed(ctx, trawler.CrawlRequest{URL: s}, o.force)
		if err != nil {
			return added, err
		}
		if res.Enqueued {
			added++
		}
		attrs := []any{"url", s, "new", res.Enqueued && !res.Retry, "retry", res.Retry}
		if res.Last != "" {
			attrs = append(attrs, "last", res.Last)
		}
		log.Info("seed", attrs...)
	}
	return added, nil
}

// Forget resets what the pipeline named by names remembers of each URL:
// whether it was seen (queued, fetched or failed) and its revisit
// schedule, so that a link to it, or seeding it, enqueues it again. A
// request already queued is not withdrawn. It returns the normalized URLs.
func Forget(ctx context.Context, js jetstream.JetStream, names trawler.Names, urls []string) ([]string, error) {
	norm := make([]string, 0, len(urls))
	for _, u := range urls {
		n, err := urlnorm.Normalize(u)
		if err != nil {
			return nil, fmt.Errorf("forget: %w", err)
		}
		norm = append(norm, n)
	}
	fr, err := frontier.New(ctx, js, names)
	if err != nil {
		return nil, err
	}
	sched, err := frontier.OpenSchedule(ctx, js, names, frontier.RevisitConfig{})
	if err != nil {
		return nil, err
	}
	for _, u := range norm {
		if err := errors.Join(fr.Forget(ctx, u), sched.Forget(ctx, u)); err != nil {
			return nil, err
		}
	}
	return norm, nil
}
