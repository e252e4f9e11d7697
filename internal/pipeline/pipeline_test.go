package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/worker"
	"github.com/trawler/trawler/sink"
)

// startNode runs every stage against a fresh server and returns what the
// test needs to drive and observe it.
func startNode(t *testing.T, maxDeliver uint64) (jetstream.JetStream, *Node, trawler.Names, string, context.CancelFunc) {
	t.Helper()
	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "p"}
	out := filepath.Join(t.TempDir(), "articles.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	node, err := Start(ctx, nc, Config{
		Names: names, Crawl: true, Parse: true, Sinks: []string{"jsonl:" + out},
		MaxDepth: 3, MaxDeliver: maxDeliver,
		Fetcher:  crawler.Config{AllowPrivate: true, HostDelay: time.Millisecond, RequestTimeout: 2 * time.Second},
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
	return js, node, names, out, cancel
}

func deadLetters(t *testing.T, js jetstream.JetStream, names trawler.Names) []*jetstream.RawStreamMsg {
	t.Helper()
	return natstest.Messages(t, js, names.DeadLetterStream())
}

func waitIdle(t *testing.T, js jetstream.JetStream, node *Node, names trawler.Names) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := WaitIdle(ctx, js, names, node.SinkConsumers, 20*time.Millisecond); err != nil {
		t.Fatalf("not idle: %v", err)
	}
}

// A poison message in each stream ends in the dead-letter stream with its
// stage and reason, and the pipeline goes on with the good messages.
func TestPoisonMessagesAreDeadLettered(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<html lang="en"><head><title>Good | Site</title><meta property="og:type" content="article"></head><body><article><h1>Good</h1>` +
			`<p>This is a perfectly good article with enough words in it to count as one, about the harbour and its ferries and the people who use them every day.</p>` +
			`<p>A second paragraph makes the story longer, with more detail about timetables, fares and the repairs to the old breakwater that took the whole spring.</p>` +
			`<p>A third paragraph quotes the harbour master, who said the work was finished on time and under budget, which nobody in the town had expected.</p></article></body></html>`))
	}))
	defer site.Close()
	js, node, names, out, _ := startNode(t, 3)
	ctx := context.Background()

	for subject, data := range map[string][]byte{
		names.FrontierPartitionSubject(0): []byte("\x00\x01 not json"),
		names.ArticlesSubject():           []byte(`{"title":"no url"}`),
	} {
		if _, err := js.Publish(ctx, subject, data); err != nil {
			t.Fatal(err)
		}
	}
	bad := nats.NewMsg(names.PagesSubject())
	bad.Header.Set("Trawler-Url", "http://x/")
	bad.Data = []byte("page without the other headers")
	if _, err := js.PublishMsg(ctx, bad); err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, js, names, []string{site.URL + "/good"}, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, js, node, names)

	stages := map[string]string{}
	for _, m := range deadLetters(t, js, names) {
		stages[m.Header.Get(worker.HeaderStage)] = m.Header.Get(worker.HeaderError)
	}
	for _, stage := range []string{trawler.StageCrawl, trawler.StageParse, trawler.StageSink} {
		if stages[stage] == "" {
			t.Errorf("no dead letter from the %s stage (got %v)", stage, stages)
		}
	}
	arts, err := sink.ReadJSONL(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].Title != "Good" {
		t.Errorf("articles = %+v, want the good one only", arts)
	}
}

// A host that keeps failing is retried with backoff, then dead-lettered;
// a 404 is an answer: acked, counted, not retried.
func TestFetchFailures(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/down": // a 503 or 429 would be the host asking to wait: deferred, not failed
			w.WriteHeader(http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	js, node, names, _, _ := startNode(t, 2)
	ctx := context.Background()
	if _, err := Seed(ctx, js, names, []string{site.URL + "/down", site.URL + "/gone"}, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, js, node, names)
	mu.Lock()
	defer mu.Unlock()
	if hits["/down"] != 2 || hits["/gone"] != 1 {
		t.Errorf("hits = %v, want /down twice (max deliver 2) and /gone once", hits)
	}
	dls := deadLetters(t, js, names)
	if len(dls) != 1 || dls[0].Header.Get(worker.HeaderStage) != trawler.StageCrawl || dls[0].Header.Get(worker.HeaderDelivered) != "2" {
		t.Fatalf("dead letters = %d, want the /down request after 2 deliveries", len(dls))
	}
	if got := testutil.ToFloat64(node.Metrics.Fetches.WithLabelValues("not_found", "4xx")); got != 1 {
		t.Errorf("not_found fetches = %v, want 1", got)
	}
	if got := testutil.ToFloat64(node.Metrics.Fetches.WithLabelValues("server_error", "5xx")); got != 2 {
		t.Errorf("server_error fetches = %v, want 2", got)
	}
}
