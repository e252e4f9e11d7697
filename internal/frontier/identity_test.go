package frontier

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"testing"

	"github.com/trawler/trawler"
)

func article(url, canonical, title, body string) *trawler.Article {
	sum := sha256.Sum256([]byte(body))
	return &trawler.Article{URL: url, CanonicalURL: canonical, Title: title, Body: body,
		PageType: trawler.PageArticle, ContentHash: hex.EncodeToString(sum[:])}
}

func TestIdentify(t *testing.T) {
	_, _, f := open(t)
	ctx := context.Background()
	long := strings.Repeat("The harbour master said the breakwater works were finished on time. ", 30)
	short := strings.Repeat("A paywall teaser shown on every page of the site. ", 5)
	steps := []struct {
		name string
		art  *trawler.Article
		want Verdict
	}{
		{"first sight", article("http://a.test/news/1", "", "Story one", long), Verdict{}},
		{"same page again", article("http://a.test/news/1", "", "Story one", long), Verdict{}},
		{"pagination copy: same body", article("http://a.test/news/1?p=2", "", "Story one", long),
			Verdict{Of: "http://a.test/news/1", Reason: AliasContent}},
		{"print copy", article("http://a.test/news/1?print=1", "", "Story one", long),
			Verdict{Of: "http://a.test/news/1", Reason: AliasContent}},
		// The same body under another title is the extractor's boilerplate,
		// not the same article.
		{"same body, other title", article("http://a.test/news/5", "", "Story five", long), Verdict{}},
		{"same body on another site is its own article", article("http://b.test/copy/1", "", "Story one", long), Verdict{}},
		{"canonical copy with another body", article("http://a.test/amp/1", "http://a.test/news/1", "Story one", long+" AMP"),
			Verdict{Of: "http://a.test/news/1", Reason: AliasCanonical}},
		{"teaser on one article", article("http://a.test/news/2", "", "Story two", short), Verdict{}},
		// A short body shared by pages of other titles is a template, not an identity.
		{"same teaser, other article", article("http://a.test/news/3", "", "Story three", short), Verdict{}},
		{"first fetched by a non-canonical URL", article("http://a.test/news/4?ref=home", "http://a.test/news/4", "Four", long+" 4"), Verdict{}},
		{"its canonical fetched later", article("http://a.test/news/4", "http://a.test/news/4", "Four", long+" 4"),
			Verdict{Of: "http://a.test/news/4", Reason: AliasCanonical}},
	}
	for _, st := range steps {
		got, err := f.Identify(ctx, st.art)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got != st.want {
			t.Errorf("%s: Identify = %+v, want %+v", st.name, got, st.want)
		}
	}
	// The canonical learned from the first fetch is seen: a link to it is
	// not enqueued.
	isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: "http://a.test/news/4"})
	if err != nil || isNew {
		t.Errorf("Enqueue(learned canonical) = %t, %v; want a duplicate", isNew, err)
	}
}

// Pages racing for one identity: exactly one is the article.
func TestIdentifyRace(t *testing.T) {
	srv, names := setup(t)
	ctx := context.Background()
	body := strings.Repeat("Every variant of this story carries the same long body. ", 40)
	const workers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	articles := 0
	for w := range workers {
		_, js := srv.Connect(t)
		f, err := New(ctx, js, names)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			url := "http://a.test/story?page=" + string(rune('1'+w))
			v, err := f.Identify(ctx, article(url, "", "Story", body))
			if err != nil {
				t.Error(err)
				return
			}
			if v.Of == "" {
				mu.Lock()
				articles++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if articles != 1 {
		t.Errorf("%d of %d variants were taken for the article, want 1", articles, workers)
	}
}
