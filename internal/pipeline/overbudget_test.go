package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/wire"
	"github.com/trawler/trawler/internal/worker"
)

// A page over the parse budget (250,000 short paragraphs: minutes of
// go-trafilatura before the budget) is refused whole: counted as
// over_budget, dead-lettered with a reason that says so, nothing of it
// published; the article published after it is written.
func TestOverBudgetPageIsRefused(t *testing.T) {
	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "budget"}
	ctx, cancel := context.WithCancel(context.Background())
	node, err := Start(ctx, nc, Config{
		Names: names, Parse: true, Sinks: []string{"jsonl:" + filepath.Join(t.TempDir(), "a.jsonl")},
		MaxDepth: 3, MaxDeliver: 3, NoRevisit: true, NoLinks: true,
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
	codec, err := wire.NewCodec(10 << 20)
	if err != nil {
		t.Fatal(err)
	}
	defer codec.Close()
	var trap strings.Builder
	trap.WriteString("<html><body><h1>Archive</h1>")
	for i := range 250_000 {
		fmt.Fprintf(&trap, "<p>w%d x</p>", i)
	}
	trap.WriteString("</body></html>")
	story := `<html><head><meta property="og:type" content="article"><meta property="article:published_time" content="2025-03-01"><title>Council approves bike lanes</title></head>` +
		`<body><article><h1>Council approves bike lanes</h1><p>` + strings.Repeat("The council voted on Tuesday to build new lanes across the city. ", 8) + `</p></article></body></html>`
	for _, p := range []struct{ url, body string }{
		{"http://budget.example/archive", trap.String()},
		{"http://budget.example/2025/03/01/bike-lanes", story},
	} {
		m := codec.PageMsg(names.PagesSubject(), trawler.Page{URL: p.url, FinalURL: p.url, Status: 200, ContentType: "text/html",
			FetchedAt: time.Now(), Body: []byte(p.body)})
		if _, err := js.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	waitIdle(t, js, node, names)

	if got := testutil.ToFloat64(node.Metrics.Pages.WithLabelValues(PageOverBudget)); got != 1 {
		t.Errorf("trawler_parse_pages_total{page_type=%q} = %v, want 1", PageOverBudget, got)
	}
	if got := testutil.ToFloat64(node.Metrics.ArticlesPublished); got != 1 {
		t.Errorf("%v articles published, want the story's only", got)
	}
	dead := deadLetters(t, js, names)
	if len(dead) != 1 {
		t.Fatalf("%d dead letters, want 1", len(dead))
	}
	if stage, reason := dead[0].Header.Get(worker.HeaderStage), dead[0].Header.Get(worker.HeaderError); stage != trawler.StageParse || !strings.Contains(reason, "over the parse budget") {
		t.Errorf("dead letter from %q: %q, want the parse stage saying over the parse budget", stage, reason)
	}
}
