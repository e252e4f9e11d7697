package frontier

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/trawler/trawler"
)

// BenchmarkSeenBucketMemory is what the seen bucket keeps in memory for
// each URL, the embedded JetStream server's share included: the heap in
// use after a collection, before and after b.N URLs are enqueued as a
// crawl does (each new, and its outcome recorded lagOutcome URLs later, as
// a crawler records a failed fetch). With old=true each new URL comes with
// a link to a random earlier one that this process's settled cache does
// not know (another worker's, or one older than the cache): the bucket
// answers it from the message block that holds it. Run it with b.N in the
// hundred thousands (make bench): its memory moves by whole blocks.
func BenchmarkSeenBucketMemory(b *testing.B) {
	for _, old := range []bool{false, true} {
		b.Run(fmt.Sprintf("old=%v", old), func(b *testing.B) {
			_, names, f := open(b)
			ctx := context.Background()
			frontier, err := f.js.Stream(ctx, names.FrontierStream())
			if err != nil {
				b.Fatal(err)
			}
			const lagOutcome = 5000
			url := func(i int) string { return fmt.Sprintf("http://example.com/2024/03/story-%d.html", i) }
			before := heapInUse()
			b.ResetTimer()
			for i := range b.N {
				if _, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: url(i), Referrer: "http://example.com/"}); err != nil {
					b.Fatal(err)
				}
				if i >= lagOutcome {
					if err := f.Failed(ctx, url(i-lagOutcome), "http_404"); err != nil {
						b.Fatal(err)
					}
				}
				if old && i > 0 {
					u := url(rand.IntN(i))
					f.settled.drop(keySum(u))
					if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: u, Referrer: "http://example.com/x"}); err != nil || isNew {
						b.Fatalf("new=%v err=%v, want a duplicate", isNew, err)
					}
				}
				if i%10000 == 9999 {
					// Crawlers take the requests: the frontier stream does
					// not grow with the crawl.
					if err := frontier.Purge(ctx); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(heapInUse()-before)/float64(b.N), "heap-B/url")
		})
	}
}

// heapInUse is the process's live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
