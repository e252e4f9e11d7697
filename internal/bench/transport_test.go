package bench

import (
	"context"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/eval"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/realsite"
	"github.com/trawler/trawler/internal/wire"
)

// transportPages is how many real pages one round of BenchmarkPageTransport
// sends through the pages stream.
const transportPages = 200

// BenchmarkPageTransport measures what carrying a page through JetStream
// costs in one process, as in `trawler run`: encode, publish to the pages
// work queue on an embedded server (file storage), pull, decode and ack.
// "zstd" is the wire format as it is, "raw" the same messages left
// uncompressed; the process's CPU (client and server alike) is reported
// per page, so the two compare within one run.
func BenchmarkPageTransport(b *testing.B) {
	pages := loadPages(b, transportPages)
	for _, mode := range []string{"zstd", "raw"} {
		b.Run(mode, func(b *testing.B) {
			srv := natstest.Start(b)
			_, js := srv.Connect(b)
			ctx := context.Background()
			names := trawler.Names{NS: "bench"}
			if err := natsutil.Setup(ctx, js, names, natsutil.Topology{}); err != nil {
				b.Fatal(err)
			}
			codec, err := wire.NewCodec(10 << 20)
			if err != nil {
				b.Fatal(err)
			}
			defer codec.Close()
			cons, err := js.Consumer(ctx, names.PagesStream(), natsutil.ParseConsumer) // the parsers' own
			if err != nil {
				b.Fatal(err)
			}
			var stored int
			b.ResetTimer()
			start := cpuNow()
			for i := 0; i < b.N; i++ {
				stored = 0
				for _, p := range pages {
					// A new URL each round: the stream's duplicate window
					// would drop a page sent again.
					p.URL += "?round=" + strconv.Itoa(i)
					m := codec.PageMsg(names.PagesSubject(), p)
					if mode == "raw" {
						m.Header.Del(wire.HeaderEncoding)
						m.Data = p.Body
					}
					stored += len(m.Data)
					if _, err := js.PublishMsgAsync(m); err != nil {
						b.Fatal(err)
					}
				}
				select {
				case <-js.PublishAsyncComplete():
				case <-time.After(time.Minute):
					b.Fatal("publishes not acknowledged in a minute")
				}
				for got := 0; got < len(pages); {
					batch, err := cons.Fetch(50, jetstream.FetchMaxWait(5*time.Second))
					if err != nil {
						b.Fatal(err)
					}
					for msg := range batch.Messages() {
						if _, err := codec.Page(msg.Headers(), msg.Data()); err != nil {
							b.Fatal(err)
						}
						if err := msg.Ack(); err != nil {
							b.Fatal(err)
						}
						got++
					}
				}
			}
			cpu := cpuNow() - start
			b.ReportMetric(ms(cpu)/float64(b.N*len(pages)), "cpu-ms/page")
			b.ReportMetric(float64(stored)/float64(len(pages))/1024, "stored-KiB/page")
		})
	}
}

// cpuNow is this process's CPU time so far, user and system.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadPages reads the first n pages of the real-page set as fetched pages.
func loadPages(b *testing.B, n int) []trawler.Page {
	dir := realsite.DefaultDir()
	ds, err := eval.Load(dir)
	if err != nil {
		b.Skipf("the real pages are not beside the repository (%s): %v", dir, err)
	}
	if len(ds.Cases) < n {
		b.Fatalf("%s holds %d pages, want %d", dir, len(ds.Cases), n)
	}
	pages := make([]trawler.Page, 0, n)
	for _, c := range ds.Cases[:n] {
		body, err := ds.HTML(c)
		if err != nil {
			b.Fatal(err)
		}
		u := "https://example.com/" + c.ID
		pages = append(pages, trawler.Page{
			URL: u, FinalURL: u, Status: 200, ContentType: "text/html; charset=utf-8", FetchedAt: time.Now(), Body: body,
		})
	}
	return pages
}
