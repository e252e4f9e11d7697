package parser

import (
	"reflect"
	"testing"

	"github.com/trawler/trawler"
)

func TestRelatedLinks(t *testing.T) {
	const story = `<h1>Headline</h1><div class="body"><p>` + longText + `</p><p>` + longText + `</p></div>`
	tests := []struct {
		name string
		page string
		want []string // URLs, in order
	}{
		{"english heading", story + `<div><h3>Related</h3><ul><li><a href="/2024/07/01/one">One story here</a></li><li><a href="/2024/07/02/two">Two</a></li></ul></div>`,
			[]string{"/2024/07/01/one", "/2024/07/02/two"}},
		{"arabic read also", story + `<div><div>إقرأ أيضاً:</div><h3><a href="/article/55501">عنوان الخبر</a></h3><p>` + longText + `</p></div>`,
			[]string{"/article/55501"}},
		{"arabic similar articles", story + `<section><span>مقالات مشابهة</span><ul><li><a href="/article/100122">أ</a></li><li><a href="/article/100123">ب</a></li></ul></section>`,
			[]string{"/article/100122", "/article/100123"}},
		{"german", story + `<aside><h2>Lesen Sie auch</h2><a href="/politik/artikel-12345.html">Ein Artikel</a></aside>`,
			[]string{"/politik/artikel-12345.html"}},
		{"french", story + `<div><p><strong>À lire aussi :</strong> <a href="/societe/2024/07/03/un-article">Un article</a></p></div>`,
			[]string{"/societe/2024/07/03/un-article"}},
		{"spanish", story + `<div><h4>Leer más</h4><a href="/noticias/2024/07/04/otra-noticia">Otra noticia</a></div>`,
			[]string{"/noticias/2024/07/04/otra-noticia"}},
		{"class name", story + `<ul class="jp-relatedposts"><li><a href="/2024/06/30/x">X</a></li></ul><div class="more-stories"><a href="/article/77731">Y</a></div>`,
			[]string{"/2024/06/30/x", "/article/77731"}},
		{"inline label and bare links", story + `<p>` + longText + `<br><b>أخبار ذات صلة</b><br><a href="/news/2023/02/28/dam">خبر أول</a><br><a href="/news/2023/01/19/plan">خبر ثان</a></p>`,
			[]string{"/news/2023/02/28/dam", "/news/2023/01/19/plan"}},
		{"section link and off-site non-article dropped", story + `<div class="related"><a href="/local/">More local news</a><a href="https://other.org/about">About</a><a href="https://other.org/2024/05/05/their-story">Theirs</a></div>`,
			[]string{"https://other.org/2024/05/05/their-story"}},
		{"nested blocks read once", story + `<div class="related"><div class="related-item"><a href="/article/40001">A</a></div><div class="related-item"><a href="/article/40002">B</a></div></div>`,
			[]string{"/article/40001", "/article/40002"}},
		{"read more teaser link is no heading", story + `<div><a href="/article/9">Read more</a></div>`, nil},
	}
	page := mustURL(t, "https://news.example.com/article/100")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseHTML(t, tt.page)
			lay := newLayout(doc)
			got := relatedLinks(findBlocks(doc, lay), collectAnchors(doc, page), page)
			var urls []string
			for _, l := range got {
				urls = append(urls, l.URL)
			}
			var want []string
			for _, w := range tt.want {
				u, _ := page.Parse(w)
				want = append(want, u.String())
			}
			if !reflect.DeepEqual(urls, want) {
				t.Errorf("related = %q\nwant %q", urls, want)
			}
		})
	}
}

// TestBoilerplatePruned checks that blocks marked by class or by heading
// leave the body, and that a share label at the top of the article does not
// take the article with it.
func TestBoilerplatePruned(t *testing.T) {
	prose := longText + " " + longText + " " + longText
	prose2 := "The second paragraph goes on. " + prose // distinct: a repeated paragraph is a copy of the story
	page := `<html><body><h1>Council approves bike lanes</h1>
	<div class="entry-content"><div class="share"><h4>Share this</h4><a href="https://x.com/intent">X</a></div>
	<p>` + prose + `</p><p>` + prose2 + `</p></div>
	<div class="newsletter-box"><p>Get our newsletter every morning in your inbox, free.</p></div>
	<div><h3>Comments</h3><p>First comment text that must not be in the body at all.</p></div>
	<div class="breaking-news-ticker"><a href="/article/1">Ticker headline that is not the body</a></div>
	<footer><p>Copyright notice of the site that is not the body.</p></footer></body></html>`
	art, _, err := Parse(trawler.Page{URL: "https://news.example.com/article/100", Body: []byte(page)})
	if err != nil {
		t.Fatal(err)
	}
	if want := prose + "\n\n" + prose2; art.Body != want {
		t.Errorf("body = %q\nwant the two paragraphs only", art.Body)
	}
}
