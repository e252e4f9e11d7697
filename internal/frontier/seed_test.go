package frontier

import (
	"context"
	"testing"

	"github.com/trawler/trawler"
)

// A seed is enqueued again when its last attempt failed or when forced,
// each time as a new message the duplicate window does not drop; never
// while it is queued or once it was fetched. Links to a failed URL stay
// duplicates.
func TestEnqueueSeed(t *testing.T) {
	srv, names, f := open(t)
	ctx := context.Background()
	const u = "http://example.com/"
	seed := trawler.CrawlRequest{URL: u}
	attempts := map[string]bool{}
	steps := []struct {
		name   string
		before func() error // the crawl stage's record, if any
		force  bool
		want   SeedResult
	}{
		{name: "first sight", want: SeedResult{Enqueued: true}},
		{name: "still queued", want: SeedResult{Last: "queued"}},
		{name: "still queued, forced", force: true, want: SeedResult{Enqueued: true, Retry: true, Last: "queued"}},
		{name: "failed", before: func() error { return f.Failed(ctx, u, "not_found") },
			want: SeedResult{Enqueued: true, Retry: true, Last: "failed not_found"}},
		{name: "failed again", before: func() error { return f.Failed(ctx, u, "blocked") },
			want: SeedResult{Enqueued: true, Retry: true, Last: "failed blocked"}},
		{name: "fetched", before: func() error { return f.Fetched(ctx, u) }, want: SeedResult{Last: "fetched"}},
		{name: "fetched, forced", before: func() error { return f.Fetched(ctx, u) }, force: true, want: SeedResult{Enqueued: true, Retry: true, Last: "fetched"}},
		{name: "over budget", before: func() error { return f.record(ctx, u, stateOverBudget) },
			want: SeedResult{Enqueued: true, Retry: true, Last: stateOverBudget}},
	}
	published := 0
	for _, s := range steps {
		if s.before != nil {
			if err := s.before(); err != nil {
				t.Fatal(err)
			}
		}
		got, err := f.EnqueueSeed(ctx, seed, s.force)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want {
			t.Errorf("%s: EnqueueSeed = %+v, want %+v", s.name, got, s.want)
		}
		if got.Enqueued {
			published++
		}
		reqs := queued(t, srv, names)
		if len(reqs) != published {
			t.Fatalf("%s: frontier holds %d requests, want %d: a retry must not be dropped as a duplicate", s.name, len(reqs), published)
		}
		if last := reqs[len(reqs)-1]; got.Retry {
			if last.Attempt == "" || attempts[last.Attempt] {
				t.Errorf("%s: attempt %q, want a new one", s.name, last.Attempt)
			}
			attempts[last.Attempt] = true
		}

		// A link is never a retry.
		if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: u, Depth: 1, Referrer: "http://example.com/a"}); err != nil || isNew {
			t.Errorf("%s: link enqueued: new=%v err=%v", s.name, isNew, err)
		}
		if err := f.Failed(ctx, u, "not_found"); err != nil {
			t.Fatal(err)
		}
		if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: u, Depth: 1, Referrer: "http://example.com/a"}); err != nil || isNew {
			t.Errorf("%s: link to a failed url enqueued: new=%v err=%v", s.name, isNew, err)
		}
		if err := f.record(ctx, u, stateQueued); err != nil {
			t.Fatal(err)
		}
	}
}

// A retry whose enqueuer crashed before marking it queued is published
// again under the same attempt, and the duplicate window drops the copy.
func TestEnqueueSeedResumesItsAttempt(t *testing.T) {
	srv, names, f := open(t)
	ctx := context.Background()
	const u = "http://example.com/"
	if _, err := f.EnqueueSeed(ctx, trawler.CrawlRequest{URL: u}, false); err != nil {
		t.Fatal(err)
	}
	if err := f.Failed(ctx, u, "timeout"); err != nil {
		t.Fatal(err)
	}
	if res, err := f.EnqueueSeed(ctx, trawler.CrawlRequest{URL: u}, false); err != nil || !res.Retry {
		t.Fatalf("retry: %+v, %v", res, err)
	}
	reqs := queued(t, srv, names)
	if len(reqs) != 2 {
		t.Fatalf("frontier holds %d requests, want 2", len(reqs))
	}
	attempt := reqs[1].Attempt
	// The crash: the entry still says pending, as between publish and mark.
	if err := f.record(ctx, u, statePending+Key("")+" "+attempt); err != nil {
		t.Fatal(err)
	}
	res, err := f.EnqueueSeed(ctx, trawler.CrawlRequest{URL: u}, false)
	if err != nil || !res.Enqueued || !res.Retry || res.Last != "pending" {
		t.Fatalf("resumed: %+v, %v", res, err)
	}
	if reqs := queued(t, srv, names); len(reqs) != 2 {
		t.Errorf("frontier holds %d requests, want 2: the same attempt published twice is one message", len(reqs))
	}
}

// A request fetched before its enqueuer marked it queued keeps the outcome
// the crawler recorded.
func TestPublishKeepsTheCrawlersRecord(t *testing.T) {
	srv, names, f := open(t)
	ctx := context.Background()
	const u = "http://example.com/"
	_, js := srv.Connect(t)
	kv, err := js.KeyValue(ctx, names.SeenBucket())
	if err != nil {
		t.Fatal(err)
	}
	rev, err := kv.Create(ctx, Key(u), []byte(statePending+Key("")))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Failed(ctx, u, "not_found"); err != nil { // the crawler, faster than the mark
		t.Fatal(err)
	}
	if err := f.publish(ctx, Key(u), rev, trawler.CrawlRequest{URL: u}); err != nil {
		t.Fatal(err)
	}
	e, err := kv.Get(ctx, Key(u))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(e.Value()); got != stateFailed+"not_found" {
		t.Errorf("entry = %q, want the crawler's record", got)
	}
	if res, err := f.EnqueueSeed(ctx, trawler.CrawlRequest{URL: u}, false); err != nil || !res.Retry {
		t.Errorf("seed after a failure: %+v, %v", res, err)
	}
}
