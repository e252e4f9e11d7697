package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/sink"
)

const goodArticle = `<html lang="en"><head><title>Good | Site</title><meta property="og:type" content="article"></head><body><article><h1>Good</h1>` +
	`<p>This is a perfectly good article with enough words in it to count as one, about the harbour and its ferries and the people who use them every day.</p>` +
	`<p>A second paragraph makes the story longer, with more detail about timetables, fares and the repairs to the old breakwater that took the whole spring.</p>` +
	`<p>A third paragraph quotes the harbour master, who said the work was finished on time and under budget, which nobody in the town had expected.</p></article></body></html>`

// A seed dead-lettered after its last delivery failed is fetched again when
// it is seeded again; once fetched, it is not.
func TestSeedRetriesDeadLetteredSeed(t *testing.T) {
	var mu sync.Mutex
	hits := 0
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/story" {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		hits++
		n := hits
		mu.Unlock()
		if n <= 2 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(goodArticle))
	}))
	defer site.Close()
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return hits
	}
	js, node, names, out, _ := startNode(t, 2)
	ctx := context.Background()
	seeds := []string{site.URL + "/story"}

	if n, err := Seed(ctx, js, names, seeds, nil, natstest.Discard()); err != nil || n != 1 {
		t.Fatalf("Seed = %d, %v", n, err)
	}
	waitIdle(t, js, node, names)
	if got, dls := count(), len(deadLetters(t, js, names)); got != 2 || dls != 1 {
		t.Fatalf("first seed: %d requests, %d dead letters; want 2 and the request", got, dls)
	}

	if n, err := Seed(ctx, js, names, seeds, nil, natstest.Discard()); err != nil || n != 1 {
		t.Fatalf("seeding a dead-lettered seed again: Seed = %d, %v; want it enqueued", n, err)
	}
	waitIdle(t, js, node, names)
	if got := count(); got != 3 {
		t.Errorf("retried seed: %d requests in all, want 3", got)
	}
	if arts, err := sink.ReadJSONL(out); err != nil || len(arts) != 1 {
		t.Errorf("articles = %d, %v; want the retried seed's", len(arts), err)
	}

	if n, err := Seed(ctx, js, names, seeds, nil, natstest.Discard()); err != nil || n != 0 {
		t.Errorf("seeding a fetched seed: Seed = %d, %v; want nothing enqueued", n, err)
	}
}
