package frontier

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/wire"
)

func setup(t testing.TB) (*natstest.Server, trawler.Names) {
	t.Helper()
	srv := natstest.Start(t)
	_, js := srv.Connect(t)
	names := trawler.Names{NS: "t"}
	if err := natsutil.Setup(context.Background(), js, names, natsutil.Topology{}); err != nil {
		t.Fatal(err)
	}
	return srv, names
}

// open starts a server with the pipeline's streams and opens a frontier on
// it.
func open(t testing.TB) (*natstest.Server, trawler.Names, *Frontier) {
	t.Helper()
	srv, names := setup(t)
	_, js := srv.Connect(t)
	f, err := New(context.Background(), js, names)
	if err != nil {
		t.Fatal(err)
	}
	return srv, names, f
}

func queued(t *testing.T, srv *natstest.Server, names trawler.Names) []trawler.CrawlRequest {
	t.Helper()
	_, js := srv.Connect(t)
	var out []trawler.CrawlRequest
	for _, m := range natstest.Messages(t, js, names.FrontierStream()) {
		r, err := wire.CrawlRequest(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestEnqueueOncePerURL(t *testing.T) {
	srv, names := setup(t)
	ctx := context.Background()
	// Eight parsers on their own connections find the same links at once.
	const workers = 8
	links := []string{"http://example.com/a", "http://example.com/b", "http://example.com/c"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	news := map[string]int{}
	for w := 0; w < workers; w++ {
		_, js := srv.Connect(t)
		f, err := New(ctx, js, names)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		referrer := fmt.Sprintf("http://example.com/page%d", w)
		go func() {
			defer wg.Done()
			for _, l := range links {
				isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: l, Depth: 1, Referrer: referrer})
				if err != nil {
					t.Error(err)
					return
				}
				if isNew {
					mu.Lock()
					news[l]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	got := queued(t, srv, names)
	if len(got) != len(links) {
		t.Fatalf("frontier holds %d requests, want %d: %v", len(got), len(links), got)
	}
	for _, l := range links {
		if news[l] != 1 {
			t.Errorf("%s reported new %d times, want 1", l, news[l])
		}
	}
}

func TestEnqueueSurvivesRestart(t *testing.T) {
	srv, names, f := open(t)
	ctx := context.Background()
	if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: "http://example.com/a"}); err != nil || !isNew {
		t.Fatalf("first enqueue: new=%v err=%v", isNew, err)
	}
	// A new process (new connection, new Frontier) must remember.
	_, js2 := srv.Connect(t)
	f2, err := New(ctx, js2, names)
	if err != nil {
		t.Fatal(err)
	}
	if isNew, err := f2.Enqueue(ctx, trawler.CrawlRequest{URL: "http://example.com/a"}); err != nil || isNew {
		t.Fatalf("second enqueue: new=%v err=%v, want a duplicate", isNew, err)
	}
	if err := f2.Forget(ctx, "http://example.com/a"); err != nil {
		t.Fatal(err)
	}
	if isNew, err := f2.Enqueue(ctx, trawler.CrawlRequest{URL: "http://example.com/a"}); err != nil || !isNew {
		t.Fatalf("enqueue after Forget: new=%v err=%v", isNew, err)
	}
	// The request after Forget reached the stream: the duplicate window
	// did not take it for the first one.
	if n := natstest.StreamState(t, js2, names.FrontierStream()).Msgs; n != 2 {
		t.Errorf("frontier holds %d requests, want 2", n)
	}
	if isNew, err := f2.Enqueue(ctx, trawler.CrawlRequest{URL: "http://example.com/a"}); err != nil || isNew {
		t.Errorf("enqueue after the re-enqueue: new=%v err=%v, want a duplicate", isNew, err)
	}
}

func TestEnqueueRecoversFromCrashBeforePublish(t *testing.T) {
	srv, names := setup(t)
	ctx := context.Background()
	_, js := srv.Connect(t)
	kv, err := js.KeyValue(ctx, names.SeenBucket())
	if err != nil {
		t.Fatal(err)
	}
	// A parser recorded first sight of a link on page p and died before
	// publishing it.
	const page, link = "http://example.com/p", "http://example.com/lost"
	if _, err := kv.Create(ctx, Key(link), []byte(statePending+Key(page))); err != nil {
		t.Fatal(err)
	}
	f, err := New(ctx, js, names)
	if err != nil {
		t.Fatal(err)
	}
	// Another page links it while the owner may still be at work: a duplicate.
	if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: link, Depth: 2, Referrer: "http://example.com/other"}); err != nil || isNew {
		t.Fatalf("enqueue from another page: new=%v err=%v, want a duplicate", isNew, err)
	}
	// Page p is redelivered to another parser: it must publish the link.
	if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: link, Depth: 2, Referrer: page}); err != nil || !isNew {
		t.Fatalf("enqueue by the owner: new=%v err=%v, want it published", isNew, err)
	}
	if isNew, _ := f.Enqueue(ctx, trawler.CrawlRequest{URL: link, Referrer: page}); isNew {
		t.Error("a queued URL was enqueued again")
	}
	got := queued(t, srv, names)
	if len(got) != 1 || got[0].URL != link || got[0].Depth != 2 {
		t.Errorf("frontier = %v", got)
	}
}

func TestScope(t *testing.T) {
	srv, names := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, js := srv.Connect(t)
	writer, err := OpenScope(ctx, js, names, natstest.Discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := writer.Add(ctx, "example.com", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	// Another worker opening the scope later sees what was added, and
	// sees later additions through its watch.
	_, js2 := srv.Connect(t)
	reader, err := OpenScope(ctx, js2, names, natstest.Discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := writer.Add(ctx, "news.org"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for reader.Check(mustURL(t, "http://news.org/")) != nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://example.com/a", true},
		{"https://www.example.com/a", true},
		{"http://a.b.example.com:8080/", true},
		{"http://badexample.com/", false},
		{"http://example.com.evil.net/", false},
		{"http://127.0.0.1:9999/x", true},
		{"http://localhost:9999/x", false},
		{"http://news.org/x", true},
		{"http://other.net/", false},
	}
	for _, tt := range tests {
		if got := reader.Check(mustURL(t, tt.url)) == nil; got != tt.ok {
			t.Errorf("Check(%s) allowed=%v, want %v", tt.url, got, tt.ok)
		}
		if err := reader.CheckFresh(ctx, mustURL(t, tt.url)); (err == nil) != tt.ok || err != nil && !errors.Is(err, ErrOutOfScope) {
			t.Errorf("CheckFresh(%s) = %v, want allowed=%v", tt.url, err, tt.ok)
		}
	}
}

// A scope bucket that cannot be read is no refusal: the URL may have been
// put in scope a moment ago, and the crawler must retry it, not drop it.
func TestScopeCheckFreshUnreadable(t *testing.T) {
	srv, names := setup(t)
	ctx := context.Background()
	nc, js := srv.Connect(t)
	s, err := OpenScope(ctx, js, names, natstest.Discard())
	if err != nil {
		t.Fatal(err)
	}
	nc.Close()
	err = s.CheckFresh(ctx, mustURL(t, "http://not-yet-seen.example/"))
	if err == nil || errors.Is(err, ErrOutOfScope) {
		t.Errorf("CheckFresh with the bucket unreachable = %v, want an error that is not ErrOutOfScope", err)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestClaimRedirectTarget(t *testing.T) {
	_, _, f := open(t)
	ctx := context.Background()
	const old, target = "http://example.com/old", "http://example.com/new"
	if ok, err := f.Claim(ctx, target, old); err != nil || !ok {
		t.Fatalf("first claim: %v, %v", ok, err)
	}
	// The same request retried may follow its redirect again.
	if ok, err := f.Claim(ctx, target, old); err != nil || !ok {
		t.Fatalf("claim by the same owner: %v, %v", ok, err)
	}
	if ok, _ := f.Claim(ctx, target, "http://example.com/other-old"); ok {
		t.Error("a second redirect to a claimed target was allowed")
	}
	// A link to the target found later is a duplicate.
	if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: target, Referrer: "http://example.com/"}); err != nil || isNew {
		t.Errorf("enqueue of a claimed target: new=%v err=%v", isNew, err)
	}
	// And a target queued before cannot be claimed through a redirect.
	if _, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: "http://example.com/queued"}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := f.Claim(ctx, "http://example.com/queued", old); ok {
		t.Error("a queued URL was claimed through a redirect")
	}
}

// A host page budget holds across enqueuers: past it, URLs of the host are
// refused with ErrOverBudget and stay refused; other hosts are unaffected.
func TestHostBudget(t *testing.T) {
	srv, names := setup(t)
	ctx := context.Background()
	var frs []*Frontier
	for range 3 {
		_, js := srv.Connect(t)
		fr, err := New(ctx, js, names, WithHostBudget(2))
		if err != nil {
			t.Fatal(err)
		}
		frs = append(frs, fr)
	}
	var mu sync.Mutex
	enqueued, over := 0, 0
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			ok, err := frs[i%3].Enqueue(ctx, trawler.CrawlRequest{URL: fmt.Sprintf("http://a.example/%d", i)})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrOverBudget):
				over++
			case err != nil:
				t.Error(err)
			case ok:
				enqueued++
			}
		})
	}
	wg.Wait()
	if enqueued != 2 || over != 4 {
		t.Errorf("enqueued %d, over budget %d; want 2 and 4", enqueued, over)
	}
	if ok, err := frs[0].Enqueue(ctx, trawler.CrawlRequest{URL: "http://a.example/5"}); ok || err != nil {
		t.Errorf("over-budget URL again: %v, %v; want a plain duplicate", ok, err)
	}
	if ok, err := frs[0].Enqueue(ctx, trawler.CrawlRequest{URL: "http://b.example/1"}); !ok || err != nil {
		t.Errorf("other host: %v, %v", ok, err)
	}
}

// The frontier refuses new URLs while it holds its cap of requests, without
// recording them as seen, and takes them again once it has drained.
func TestMaxQueued(t *testing.T) {
	srv, names := setup(t)
	ctx := context.Background()
	_, js := srv.Connect(t)
	f, err := New(ctx, js, names, WithMaxQueued(3))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		u := fmt.Sprintf("http://example.com/%d", i)
		isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: u})
		if full := i >= 3; errors.Is(err, ErrFrontierFull) != full || !full && (err != nil || !isNew) {
			t.Errorf("enqueue %d: new=%v err=%v, want full=%v", i, isNew, err, full)
		}
	}
	if n := natstest.StreamState(t, js, names.FrontierStream()).Msgs; n != 3 {
		t.Fatalf("frontier holds %d, want the cap 3", n)
	}
	// Drained (a crawler took two), a refused URL is taken: it was not
	// recorded as seen.
	purgeOne := func() {
		st, err := js.Stream(ctx, names.FrontierStream())
		if err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteMsg(ctx, st.CachedInfo().State.FirstSeq); err != nil {
			t.Fatal(err)
		}
	}
	purgeOne()
	purgeOne()
	f.mu.Lock()
	f.queuedAt = time.Time{} // read the stream again now, not in a second
	f.mu.Unlock()
	if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: "http://example.com/4"}); err != nil || !isNew {
		t.Errorf("after draining: new=%v err=%v", isNew, err)
	}
}
