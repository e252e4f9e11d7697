package parser

import (
	"reflect"
	"testing"

	"github.com/trawler/trawler"
)

func TestCollectAnchors(t *testing.T) {
	page := `<base href="https://news.example.com/section/">
	<a href="story-one-about-the-council-vote">Relative to base</a>
	<a href="/2024/07/25/abs-path">Absolute path</a>
	<a href="HTTPS://News.Example.com:443/a/../b?utm_source=x&id=7#frag">Normalized</a>
	<a href="//cdn.example.net/page">Scheme-relative</a>
	<a href="javascript:void(0)">JS</a>
	<a href="mailto:desk@example.com">Mail</a>
	<a href="tel:+962">Phone</a>
	<a href="#top">Fragment</a>
	<a href="/photo.JPG">Image</a>
	<a href="/report.pdf">PDF</a>
	<a href="/files/archive.zip">Zip</a>
	<a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a>
	<a href="https://twitter.com/intent/tweet?url=x">Tweet</a>
	<a href="https://api.whatsapp.com/send?text=x">WhatsApp</a>
	<a href="/print/123">Print</a>
	<a href="/login">Log in</a>
	<a href="/feed/">Feed</a>
	<a href="/story?share=facebook">Share query</a>
	<a href="/x"><img src="/i.png" alt="Image alt title"></a>
	<a href="/y" title="Title attribute"></a>`
	doc := parseHTML(t, page)
	got := collectAnchors(doc, baseURL(mustURL(t, "https://news.example.com/page"), collectMeta(doc).base))
	var urls, titles []string
	for _, a := range got {
		urls = append(urls, a.url)
		titles = append(titles, a.title)
	}
	wantURLs := []string{
		"https://news.example.com/section/story-one-about-the-council-vote",
		"https://news.example.com/2024/07/25/abs-path",
		"https://news.example.com/b?id=7",
		"https://cdn.example.net/page",
		"https://news.example.com/x",
		"https://news.example.com/y",
	}
	if !reflect.DeepEqual(urls, wantURLs) {
		t.Errorf("urls = %q\nwant %q", urls, wantURLs)
	}
	if titles[4] != "Image alt title" || titles[5] != "Title attribute" {
		t.Errorf("titles = %q", titles)
	}
}

func TestLooksLikeArticle(t *testing.T) {
	tests := []struct {
		url, title string
		want       bool
	}{
		{"https://www.saraynews.com/article/812345", "", true},
		{"https://example.com/news/2024/07/25/story/", "", true},
		{"https://example.com/city-council-approves-protected-bike-lanes", "", true},
		{"https://example.com/index.php?id=4411", "", true},
		{"https://example.com/posts/sourdough", "Sourdough at altitude: what changes above 2,000 metres", true},
		{"https://example.com/", "Home", false},
		{"https://example.com/section/politics", "أخبار سياسية", false},
		{"https://example.com/tag/transportation/", "transportation", false},
		{"https://example.com/author/dana-whitfield/", "Dana Whitfield", false},
		{"https://example.com/about", "About us", false},

		// Opaque story addresses, whatever the title.
		{"https://www.bbc.com/news/articles/c4g0lyx1ez8o", "Budget", true},
		{"https://example.com/a/8f3k2", "", true},
		{"https://example.com/p/123", "Markets", true},
		{"https://example.com/p/12/", "", true},
		{"https://example.com/news/004-story.html", "Story 4", true},
		{"https://example.com/news/story-04.php", "", true},
		{"https://example.com/%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9-%D8%AA%D8%B9%D9%84%D9%86-%D8%AE%D8%B7%D8%A9", "", true},            // الحكومة-تعلن-خطة
		{"https://example.com/news/%D0%BD%D0%BE%D0%B2%D1%8B%D0%B9-%D0%BF%D0%BB%D0%B0%D0%BD-%D0%B3%D0%BE%D1%80%D0%BE%D0%B4%D0%B0", "", true}, // новый-план-города
		{"https://example.com/%E6%97%A5%E6%9C%AC%E3%81%AE%E6%96%B0%E3%81%97%E3%81%84%E7%B5%8C%E6%B8%88%E6%94%BF%E7%AD%96", "", true},        // 日本の新しい経済政策

		// Hubs and utility paths stay listings.
		{"https://example.com/en/", "English", false},
		{"https://example.com/ar/", "العربية", false},
		{"https://example.com/page/2", "2", false},
		{"https://example.com/2024/", "2024", false},
		{"https://example.com/ar/2024", "2024", false},
		{"https://example.com/v2/", "API", false},
		{"https://example.com/v2/api", "API", false},
		{"https://example.com/login", "Log in", false},
		{"https://example.com/covid19", "Covid", false},
		{"https://example.com/c/9to5mac", "Channel", false},
		{"https://example.com/news/topics/c256n7nw2g4t/music", "Music", false},
		{"https://example.com/tag/a1b2c3d4", "Tag", false},
		{"https://www.youtube.com/channel/UCzcJolZXhDi6VU77VI2cNDg", "", false},
		{"https://www.amazon.com/dp/B07N8RPRF7", "Echo", false},
		{"https://example.com/%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF", "اقتصاد", false},
		{"https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1-%D9%85%D8%AD%D9%84%D9%8A%D8%A9", "أخبار محلية", false},
		{"https://example.com/%E5%9B%BD%E9%99%85", "国际", false},
	}
	for _, tt := range tests {
		if got := looksLikeArticle(mustURL(t, tt.url), tt.title); got != tt.want {
			t.Errorf("looksLikeArticle(%s, %q) = %v, want %v", tt.url, tt.title, got, tt.want)
		}
	}
}

func TestLinkSetDedup(t *testing.T) {
	s := newLinkSet("https://example.com/self")
	s.add("https://example.com/a", "")
	s.add("https://example.com/self", "me")
	s.add("https://example.com/a", "A title")
	s.add("https://example.com/b", "B")
	s.add("https://example.com/a", "Other title")
	// A "Read more" button before the headline gives way to it.
	s.add("https://example.com/c", "Read more »")
	s.add("https://example.com/c", "C headline")
	s.add("https://example.com/c", "More")
	want := []trawler.Link{{URL: "https://example.com/a", Title: "A title"}, {URL: "https://example.com/b", Title: "B"}, {URL: "https://example.com/c", Title: "C headline"}}
	if !reflect.DeepEqual(s.links, want) {
		t.Errorf("links = %v, want %v", s.links, want)
	}
}

// TestArticleLinks checks what an article offers to follow: related links
// first, then article-like and in-text links; never itself, menus or files.
func TestArticleLinks(t *testing.T) {
	art, links, err := Parse(loadPage(t, "en-jsonld-graph.html"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for i, l := range links {
		got[l.URL] = true
		if i < len(art.Related) && l != art.Related[i] {
			t.Errorf("links[%d] = %v, want related %v", i, l, art.Related[i])
		}
	}
	for _, want := range []string{
		"https://www.harborview.gov/transportation/harbor-avenue-plan",                            // in the text
		"https://www.harborview-times.com/business/2024/07/24/shipyard-to-add-300-jobs/",          // most-read widget
		"https://www.harborview-times.com/local/2024/06/30/ferry-terminal-crash-report-released/", // "Read more:" inline
	} {
		if !got[want] {
			t.Errorf("links lack %s", want)
		}
	}
	for _, unwanted := range []string{
		art.URL, "https://www.harborview-times.com/local/", "https://www.harborview-times.com/login/",
		"https://www.harborview-times.com/feed/", "https://www.harborview-times.com/tag/transportation/",
	} {
		if got[unwanted] {
			t.Errorf("links hold %s", unwanted)
		}
	}
}
