package pipeline

import (
	"testing"

	"github.com/trawler/trawler"
)

// The crawler decides a page's kind once (Page.Kind); the parse stage only
// sniffs pages that carry none, from crawlers that predate it.
func TestIsFeedFollowsTheCrawlersKind(t *testing.T) {
	rss := []byte(`<rss version="2.0"><channel><item><link>http://x.example/a</link></item></channel></rss>`)
	for _, tc := range []struct {
		name string
		page trawler.Page
		want bool
	}{
		{"feed", trawler.Page{Kind: trawler.KindFeed, ContentType: "text/xml", Body: rss}, true},
		{"html, however its bytes sniff", trawler.Page{Kind: trawler.KindHTML, ContentType: "application/octet-stream", Body: rss}, false},
		{"no kind: sniffed", trawler.Page{ContentType: "application/octet-stream", Body: rss}, true},
		{"no kind, declared html", trawler.Page{ContentType: "text/html", Body: rss}, false},
	} {
		if got := isFeed(tc.page); got != tc.want {
			t.Errorf("%s: isFeed = %v, want %v", tc.name, got, tc.want)
		}
	}
}
