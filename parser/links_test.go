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
	want := []trawler.Link{{URL: "https://example.com/a", Title: "A title"}, {URL: "https://example.com/b", Title: "B"}}
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
