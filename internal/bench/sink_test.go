package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/sink"
	"github.com/trawler/trawler/sink/sinktest"
)

// BenchmarkPostgresWrite upserts the same articles into PostgreSQL batched
// (100 per statement, as the sink stage writes them) and one per
// transaction, in the same run, and reports both rates and their ratio.
func BenchmarkPostgresWrite(b *testing.B) {
	const n, batch = 2000, 100
	arts := make([]trawler.Article, n)
	for i := range arts {
		a := sinktest.Article(i, 0)
		a.Body = strings.Repeat(a.Body+"\n\n", 30) // about 3 KB, a short news story
		a.ContentHash = ""
		a.ContentHash = sink.ContentHash(&a)
		arts[i] = a
	}
	ctx := context.Background()
	var batched, single []float64
	for b.Loop() {
		for _, size := range []int{batch, 1} {
			s, err := sink.OpenPostgres(ctx, sinktest.PostgresSchema(b), nil)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			for i := 0; i < n; i += size {
				if err := s.Write(ctx, arts[i:min(i+size, n)]); err != nil {
					b.Fatal(err)
				}
			}
			rate := n / time.Since(start).Seconds()
			s.Close()
			if size == 1 {
				single = append(single, rate)
			} else {
				batched = append(batched, rate)
			}
		}
	}
	b.ReportMetric(median(batched), "batched-articles/s")
	b.ReportMetric(median(single), "single-articles/s")
	b.ReportMetric(median(batched)/median(single), "ratio")
}
