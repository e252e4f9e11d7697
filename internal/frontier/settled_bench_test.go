package frontier

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

// BenchmarkEnqueueDuplicate is the cost of a link to a URL already queued,
// answered by the seen bucket (a failed Create, then a Get) or by the
// settled cache, with the bucket holding 20,000 URLs. cpu-µs/op is the
// whole process's CPU, the embedded server's included: what a page pays
// for each link it repeats (a menu, a related list).
func BenchmarkEnqueueDuplicate(b *testing.B) {
	_, _, f := open(b)
	ctx := context.Background()
	const stored, links = 20000, 100
	urls := make([]string, stored)
	for i := range urls {
		urls[i] = fmt.Sprintf("http://example.com/story/%d", i)
		if _, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: urls[i], Referrer: "http://example.com/"}); err != nil {
			b.Fatal(err)
		}
	}
	for _, cached := range []bool{false, true} {
		b.Run(fmt.Sprintf("cached=%v", cached), func(b *testing.B) {
			cpu := processCPU()
			for i := 0; i < b.N; i++ {
				u := urls[(i*7919)%links*(stored/links)] // spread over the bucket's blocks
				if !cached {
					f.settled.drop(keySum(u))
				}
				isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: u, Referrer: "http://example.com/page"})
				if err != nil || isNew {
					b.Fatalf("new=%v err=%v, want a duplicate", isNew, err)
				}
			}
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
