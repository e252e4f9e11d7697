package parser

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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

		// Inside a related block a same-site link is a story whatever its
		// URL shape or title length.
		{"aside with short titles", story + `<aside class="related-articles"><h3>Related articles</h3><ul><li><a href="http://news.example.com/news/004-story.html">Story 4</a></li><li><a href="/news/005-story.html">Story 5</a></li><li><a href="/blog/perdido-na-floresta/">Perdido na Floresta</a></li></ul></aside>`,
			[]string{"http://news.example.com/news/004-story.html", "/news/005-story.html", "/blog/perdido-na-floresta/"}},
		{"opaque ids", story + `<div><h2>More on this story</h2><ul><li><a href="/news/articles/c4g0lyx1ez8o">Budget</a></li><li><a href="/a/8f3k2">Vote</a></li><li><a href="/news/world-europe-12">Europe</a></li><li><a href="/a/bkyha">linux video</a></li></ul></div>`,
			[]string{"/news/articles/c4g0lyx1ez8o", "/a/8f3k2", "/news/world-europe-12", "/a/bkyha"}},
		{"short numeric id, heading in strong", story + `<section><strong>You may also like</strong><ul><li><a href="/p/123">Markets</a></li><li><a href="/p/77">Oil</a></li><li><a href="/index.php?id=88">Gas</a></li></ul></section>`,
			[]string{"/p/123", "/p/77", "/index.php?id=88"}},
		{"percent-encoded arabic slug", story + `<div class="related"><a href="/%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9-%D8%AA%D8%B9%D9%84%D9%86">الحكومة تعلن</a></div>`,
			[]string{"/%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9-%D8%AA%D8%B9%D9%84%D9%86"}},
		{"div heading in a list", story + `<ul><li><div>Read also</div></li><li><a href="/news/13">Thirteen</a></li></ul>`,
			[]string{"/news/13"}},
		{"arabic heading in a span", story + `<div><span>أخبار ذات صلة</span><ul><li><a href="/news/12">خبر</a></li><li><a href="/2016/12/">ديسمبر</a></li></ul></div>`,
			[]string{"/news/12"}},
		{"class on the list, nav container", story + `<nav class="related-posts"><a href="/local/bus-fares">Fares</a></nav><div><ul class="similar-stories"><li><a href="/local/tram-fares">Trams</a></li></ul></div>`,
			[]string{"/local/bus-fares", "/local/tram-fares"}},
		{"navigation excluded", story + `<div class="related-stories"><h4>Related</h4><ul>
			<li><a href="/article/100">This page</a></li><li><a href="https://news.example.com/">Home</a></li>
			<li><a href="/en/">English</a></li><li><a href="/sports">Sports</a></li><li><a href="/world/europe">Europe</a></li>
			<li><a href="/tag/transport/">Transport</a></li><li><a href="/author/jane-doe/">Jane Doe</a></li>
			<li><a href="/category/politics/local/">Local politics</a></li><li><a href="/@jane">Jane</a></li>
			<li><a href="/news/topics/c256n7nw2g4t/music">Music</a></li><li><a href="/news?page=2">Older</a></li>
			<li><a href="/news/page/2">Page two</a></li><li><a href="/news/latest-stories-list">More</a></li>
			<li><a href="/news/list-3">3</a></li><li><a href="/news/all-the-stories">See all</a></li>
			<li><a href="/about-us">About us</a></li><li><a href="/health/index.html">Health</a></li>
			<li><a href="/news/004-story.html">Story 4</a></li></ul></div>`,
			[]string{"/news/004-story.html"}},
		{"off-site links only when clearly articles", story + `<div class="related"><a href="https://other.org/p/123">Theirs</a><a href="https://other.org/news">News</a><a href="https://other.org/">Other</a><a href="https://other.org/2024/05/05/their-story">Theirs dated</a><a href="/news/004-story.html">Ours</a></div>`,
			[]string{"https://other.org/2024/05/05/their-story", "/news/004-story.html"}},
		{"bylines and listing links of a card", story + `<ul class="related"><li><a href="/news/004-story.html">Story 4</a><span class="Card-byline"><a href="/jane-doe/">Jane Doe</a></span></li>
			<li><a href="/dubai-airshow/">More in Dubai Airshow</a> <a href="/dubai-airshow/">Read more</a></li></ul>`,
			[]string{"/news/004-story.html"}},
		{"a section the menu links", `<nav><a href="/world/us_and_canada">US &amp; Canada</a><a href="/2024/07/01/menu-story">Featured</a></nav>` + story +
			`<div class="related"><a href="/world/us_and_canada">US &amp; Canada</a><a href="/2024/07/01/menu-story">Featured</a><a href="/news/004-story.html">Story 4</a></div>`,
			[]string{"/2024/07/01/menu-story", "/news/004-story.html"}},
		{"inline label, items past an empty ad slot", story + `<div><p>You may also like...</p><p><a href="/2019/11/one.html">One</a></p><div class="ad"></div><p><a href="/2019/08/two.html">Two</a></p></div>`,
			[]string{"/2019/11/one.html", "/2019/08/two.html"}},
		{"topics named related are no stories", story + `<section class="related-topics"><h3>Related Topics:</h3><a href="/amazon/">Amazon</a><a href="/pcs-and-laptops/">PCs</a></section>`,
			nil},
	}
	page := mustURL(t, "https://news.example.com/article/100")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseHTML(t, tt.page)
			lay := newLayout(doc)
			got := relatedLinks(findBlocks(doc, lay), collectAnchors(doc, page), page, page.String())
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

// TestRelatedOnRealPages appends a related block, in the markups real
// sites use, to real pages of the shared extraction set and checks that
// its story links come out as related links, first among the links to
// follow, and its navigation does not.
func TestRelatedOnRealPages(t *testing.T) {
	if _, err := os.Stat(benchDir); err != nil {
		t.Skip("no real pages at " + benchDir + " (the shared extraction set)")
	}
	tests := []struct {
		id, url, block string
		want, unwanted []string
	}{
		{"rd_heise", "http://fakehost/test/page.html",
			`<aside class="related-articles"><h3>Related articles</h3><ul><li><a href="http://fakehost/news/004-story.html">Story 4</a></li><li><a href="http://fakehost/news/005-story.html">Story 5</a></li><li><a href="http://fakehost/news/">More</a></li></ul></aside>`,
			[]string{"http://fakehost/news/004-story.html", "http://fakehost/news/005-story.html"},
			[]string{"http://fakehost/news/"}},
		{"sh_3cb22bfabed8de71", "https://www.slashgear.com/2020-audi-e-tron-sportback-revealed-as-electric-4-door-coupe-19600369/",
			`<section class="more-stories"><h4>More on this story</h4><ul><li><a href="/p/123">Audi recall</a></li><li><a href="/news/articles/c4g0lyx1ez8o">E-tron GT</a></li><li><a href="/tag/audi/">Audi</a></li><li><a href="/author/chris-davies/">Chris Davies</a></li></ul></section>`,
			[]string{"https://www.slashgear.com/p/123", "https://www.slashgear.com/news/articles/c4g0lyx1ez8o"},
			[]string{"https://www.slashgear.com/tag/audi/", "https://www.slashgear.com/author/chris-davies/"}},
		{"sh_23aaecd14171f96c", "http://comoeducarseusfilhos.com.br/blog/uma-palinha-das-brincadeiras-musicais-do-grupo-serelepe/",
			`<div class="box"><span>أخبار ذات صلة</span><ul><li><a href="/%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9-%D8%AA%D8%B9%D9%84%D9%86">الحكومة تعلن</a></li><li><a href="/a/8f3k2">خطة</a></li><li><a href="/?page=2">2</a></li></ul></div>`,
			[]string{"http://comoeducarseusfilhos.com.br/%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9-%D8%AA%D8%B9%D9%84%D9%86", "http://comoeducarseusfilhos.com.br/a/8f3k2"},
			[]string{"http://comoeducarseusfilhos.com.br/?page=2"}},
		{"wcxb_4326", "https://theautollama.com/how-to-replace-brake-pads-from-an-ase-certified-mechanic/",
			`<div><strong>You may also like</strong><ul class="recommended-list"><li><a href="/brake-fluid-01.html">Brake fluid</a></li><li><a href="/category/brakes/">Brakes</a></li><li><a href="https://theautollama.com/">Home</a></li></ul></div>`,
			[]string{"https://theautollama.com/brake-fluid-01.html"},
			[]string{"https://theautollama.com/category/brakes/", "https://theautollama.com/"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			page := realPage(t, tt.id)
			if i := strings.LastIndex(page, "</body>"); i >= 0 {
				page = page[:i] + tt.block + page[i:]
			} else {
				page += tt.block
			}
			art, links, err := Parse(trawler.Page{URL: tt.url, ContentType: "text/html", Body: []byte(page)})
			if err != nil {
				t.Fatal(err)
			}
			related := map[string]bool{}
			for _, l := range art.Related {
				related[l.URL] = true
			}
			followed := map[string]bool{}
			for i, l := range links {
				followed[l.URL] = true
				if i < len(art.Related) && l != art.Related[i] {
					t.Errorf("links[%d] = %v, want related %v", i, l, art.Related[i])
				}
			}
			for _, w := range tt.want {
				if !related[w] || !followed[w] {
					t.Errorf("%s: related %v, followed %v; want both", w, related[w], followed[w])
				}
			}
			for _, u := range tt.unwanted {
				if related[u] {
					t.Errorf("related holds %s", u)
				}
			}
		})
	}
}

// realPage reads a page of the shared extraction set by its id.
func realPage(t *testing.T, id string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(benchDir, id+".html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}
