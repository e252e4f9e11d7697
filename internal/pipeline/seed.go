package pipeline

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/urlnorm"
)

// Seed puts the seeds' registered domains and the extra allowed domains in
// scope, then enqueues the seeds at depth 0. A seed seen before is not
// enqueued again. It returns how many seeds were new.
func Seed(ctx context.Context, js jetstream.JetStream, names trawler.Names, seeds, allowDomains []string, log *slog.Logger) (int, error) {
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
	if err := frontier.AddToScope(ctx, js, names, domains...); err != nil {
		return 0, err
	}
	fr, err := frontier.New(ctx, js, names)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, s := range norm {
		isNew, err := fr.Enqueue(ctx, trawler.CrawlRequest{URL: s})
		if err != nil {
			return added, err
		}
		if isNew {
			added++
		}
		log.Info("seed", "url", s, "new", isNew)
	}
	return added, nil
}
