package pipeline

import (
	"bytes"
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/wire"
	"github.com/trawler/trawler/internal/worker"
)

// A page over the parse stage's size limit (the body limit it shares with
// the crawler) is refused whole: counted as too_large, dead-lettered with
// a reason that says so, and nothing of it is published. A crawler with a
// higher limit sends such pages, compressed or not.
func TestOversizePageIsRefusedWhole(t *testing.T) {
	const limit = 64 << 10
	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "big"}
	ctx, cancel := context.WithCancel(context.Background())
	node, err := Start(ctx, nc, Config{
		Names: names, Parse: true, Sinks: []string{"jsonl:" + filepath.Join(t.TempDir(), "a.jsonl")},
		MaxDepth: 3, MaxDeliver: 3, NoRevisit: true,
		Fetcher:  crawler.Config{MaxBodySize: limit},
		Registry: prometheus.NewRegistry(), Log: natstest.Discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := node.Wait(); err != nil {
			t.Errorf("node: %v", err)
		}
	})

	// The other crawler's codec, with a higher limit.
	codec, err := wire.NewCodec(4 * limit)
	if err != nil {
		t.Fatal(err)
	}
	defer codec.Close()
	article := func(fill []byte) []byte {
		return append(append([]byte(`<html><head><meta property="og:type" content="article"><title>Big</title></head><body><article><p>`),
			fill...), "</p></article></body></html>"...)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 2*limit) // random bytes do not compress: sent raw
	for i := range noise {
		noise[i] = byte(rnd.IntN(256))
	}
	pages := map[string][]byte{
		"http://big.example/compressed": article(bytes.Repeat([]byte("word "), limit/2)),
		"http://big.example/raw":        article(noise),
	}
	for u, body := range pages {
		m := codec.PageMsg(names.PagesSubject(), trawler.Page{URL: u, FinalURL: u, Status: 200, ContentType: "text/html",
			FetchedAt: time.Now(), Body: body})
		if zstd := m.Header.Get(wire.HeaderEncoding) == "zstd"; zstd != strings.HasSuffix(u, "compressed") {
			t.Fatalf("%s: compressed %v", u, zstd)
		}
		if _, err := js.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, js, node, names)

	if got := testutil.ToFloat64(node.Metrics.Pages.WithLabelValues(PageTooLarge)); got != 2 {
		t.Errorf("trawler_parse_pages_total{page_type=%q} = %v, want 2", PageTooLarge, got)
	}
	if got := testutil.ToFloat64(node.Metrics.ArticlesPublished); got != 0 {
		t.Errorf("%v articles published from pages over the limit", got)
	}
	dead := deadLetters(t, js, names)
	if len(dead) != 2 {
		t.Fatalf("%d dead letters, want 2", len(dead))
	}
	for _, m := range dead {
		if stage, reason := m.Header.Get(worker.HeaderStage), m.Header.Get(worker.HeaderError); stage != trawler.StageParse || !strings.Contains(reason, "too large") {
			t.Errorf("dead letter from %q: %q, want the parse stage saying too large", stage, reason)
		}
	}
}
