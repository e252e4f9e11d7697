package pipeline

import "runtime"

// Defaults of Config: Start gives a field left at zero its default, and the
// trawler command's flags show the same values.
const (
	// DefaultCrawlConcurrency is Config.CrawlConcurrency when unset: the
	// fetches in flight per crawler process.
	DefaultCrawlConcurrency = 16
	// DefaultSinkBatch is Config.SinkBatch when unset: the articles per
	// sink write.
	DefaultSinkBatch = 100
	// DefaultMaxPagesBacklog is Config.MaxPagesBacklog when unset: fetched
	// pages waiting for the parsers before crawling is held back. Pages
	// average about 100 KB, so about 100 MB of stream: enough to keep
	// every parser busy through a pause of the crawlers.
	DefaultMaxPagesBacklog = 1000
	// DefaultHostPageBudget is the URLs enqueued per host that the trawler
	// command allows unless told otherwise (--max-pages-per-host): more than
	// any news site's articles in a crawl, few enough that a trap's unique
	// links stop there. Config's zero is no budget.
	DefaultHostPageBudget = 100_000
	// DefaultMaxQueued is the frontier's cap of queued requests that the
	// trawler command sets unless told otherwise (--max-queued); Config's
	// zero is no cap.
	DefaultMaxQueued = 10_000_000
)

// DefaultParseConcurrency is Config.ParseConcurrency when unset: one page
// parsed at once per CPU this process may use (GOMAXPROCS).
func DefaultParseConcurrency() int { return runtime.GOMAXPROCS(0) }
