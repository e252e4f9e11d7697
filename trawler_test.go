package trawler

import (
	"encoding/json"
	"testing"
	"time"
)

// TestArticleJSON pins the public field names of the Article schema: sinks
// and users depend on them.
func TestArticleJSON(t *testing.T) {
	a := Article{
		URL: "https://example.com/a", CanonicalURL: "https://example.com/c", Title: "بوتين يجتمع مع الأسد في موسكو",
		Published: "2024-07-25T00:00:00Z", Modified: "2024-07-26T00:00:00Z", Authors: []string{"A"},
		SiteName: "S", Source: "الحرة", Language: "ar", Description: "d", Body: "p1\n\np2", Image: "https://example.com/i.jpg",
		Tags: []string{"t"}, Related: []Link{{URL: "https://example.com/r", Title: "r"}},
		Aliases: []string{"https://example.com/a?p=2"}, PageType: PageArticle,
		FetchedAt: time.Date(2025, 2, 16, 21, 10, 59, 0, time.UTC), Depth: 2, ContentHash: "abc",
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"url":"https://example.com/a","canonical_url":"https://example.com/c","title":"بوتين يجتمع مع الأسد في موسكو",` +
		`"published":"2024-07-25T00:00:00Z","modified":"2024-07-26T00:00:00Z","authors":["A"],"site_name":"S","source":"الحرة",` +
		`"language":"ar","description":"d","body":"p1\n\np2","image":"https://example.com/i.jpg","tags":["t"],` +
		`"related":[{"url":"https://example.com/r","title":"r"}],"aliases":["https://example.com/a?p=2"],"page_type":"article","fetched_at":"2025-02-16T21:10:59Z",` +
		`"depth":2,"content_hash":"abc"}`
	if string(b) != want {
		t.Errorf("Article JSON changed:\n got %s\nwant %s", b, want)
	}
	var back Article
	if err := json.Unmarshal(b, &back); err != nil || back.Related[0].Title != "r" || !back.FetchedAt.Equal(a.FetchedAt) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	if back.Key() != "https://example.com/c" {
		t.Errorf("Key = %q, want the canonical URL", back.Key())
	}
	back.CanonicalURL = ""
	if back.Key() != a.URL {
		t.Errorf("Key without canonical = %q", back.Key())
	}
}

func TestNames(t *testing.T) {
	n := Names{NS: "trawler"}
	if n.FrontierStream() != "TRAWLER_FRONTIER" || n.PagesSubject() != "trawler.pages" ||
		n.DeadLetterSubject("crawl") != "trawler.dlq.crawl" || n.SeenBucket() != "TRAWLER_SEEN" {
		t.Errorf("names changed: %s %s %s %s", n.FrontierStream(), n.PagesSubject(), n.DeadLetterSubject("crawl"), n.SeenBucket())
	}
	if got := (Names{NS: "a.b"}).ArticlesStream(); got != "A_B_ARTICLES" {
		t.Errorf("stream names must not contain dots: %q", got)
	}
}

func TestNamesValidate(t *testing.T) {
	for _, ok := range []string{"trawler", "team-a.crawl_1"} {
		if err := (Names{NS: ok}).Validate(); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a b", "a.>", "a..b", "*", "a/b"} {
		if err := (Names{NS: bad}).Validate(); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
