package parser

import (
	"slices"
	"testing"

	"github.com/trawler/trawler"
)

func TestBylineAuthors(t *testing.T) {
	for _, tc := range []struct {
		name, page string
		want       []string
	}{
		{"rel author", `<p>Story</p><a rel="author" href="/u/jd">Jane Doe</a>`, []string{"Jane Doe"}},
		{"class with date beside the name", `<div class="article-byline"><span>By</span> <a href="/a/lk">Luke Kim</a><time>December 17, 2025</time></div>`, []string{"Luke Kim"}},
		{"by text", `<h1>Headline</h1><p>By Ana Sandoiu | June 3, 2024</p><p>Text</p>`, []string{"Ana Sandoiu"}},
		{"Arabic byline", `<h1>عنوان</h1><div>بقلم: سامي الخطيب</div>`, []string{"سامي الخطيب"}},
		{"labels are no names", `<div class="author">Written by</div><div class="author-box">About the author</div>`, nil},
		{"comment authors are pruned before", `<p>Story</p>`, nil},
		{"By in its own span", `<h1>Headline</h1><div><span class="x">By</span><span>Daryl Austin</span></div>`, []string{"Daryl Austin"}},
		{"a name may start with By", `<span class="author">Byron Katie</span>`, []string{"Byron Katie"}},
		// The opening word or the punctuation of a byline in its own text
		// node is not the name: the next piece is.
		{"von before the name's link", `<p>Text</p><span class="author">von <a href="/u/st">Simon Dückert</a></span>`, []string{"Simon Dückert"}},
		{"Por before the name", `<div class="byline">Por <b>Williams Perdomo</b></div>`, []string{"Williams Perdomo"}},
		{"punctuation before the name", `<div class="author"><i>|</i> <span>Klaus Quibeldey-Cirkel</span></div>`, []string{"Klaus Quibeldey-Cirkel"}},
		{"a label and nothing else", `<div class="author">Autor:</div><div class="post-author">Rezept von</div>`, nil},
		{"an author label in its own element", `<h1>Headline</h1><div><span class="label">Auteur: </span><a href="/anna">Anna Kubišta</a></div>`, []string{"Anna Kubišta"}},
		{"the name as text after the label", `<h1>Headline</h1><p><h5 class="title-inline">Autor: </h5>Peter Maahn/SP-X</p>`, []string{"Peter Maahn/SP-X"}},
		{"a lower-case von", `<h1>Headline</h1><p><i>von Daniela Obers</i></p>`, []string{"Daniela Obers"}},
		{"a heading that says by, the name below", `<h1>Headline</h1><div><h2>Article by</h2><div>Matias Heikkilä</div></div>`, []string{"Matias Heikkilä"}},
		{"sorting by is no byline", `<h1>Results</h1><div><span>Sort by</span><span>Relevance</span></div>`, nil},
		{"an author label needs its colon", `<h1>Headline</h1><div><h2>Author Spotlight</h2></div>`, nil},
		{"a title in capitals is not a byline", `<h1>Headline</h1><ul><li><span>PAR LES TEMPS QUI COURENT</span></li></ul>`, nil},
		{"a dateline naming its author", `<h1>Headline</h1><p>Posted on May 3, 2024 by Jane Doe</p>`, []string{"Jane Doe"}},
		{"a French dateline naming its author", `<h1>Titre</h1><p>Publié le 3 mai 2024 par Marie Dupont</p>`, []string{"Marie Dupont"}},
		{"an Arabic dateline naming its author", `<h1>عنوان</h1><p>الثلاثاء ١٢ مارس ٢٠٢٤ بقلم: أحمد علي</p>`, []string{"أحمد علي"}},
		{"a dateline with a time", `<h1>Headline</h1><p>Tuesday 15 October 2019, 10:15 by Bradley M. Kuhn</p>`, []string{"Bradley M. Kuhn"}},
		{"a copyright line is no byline", `<p>Text</p><footer><p>© 2024 by Some Company</p><p>Copyright 2023 by Jane Doe</p></footer>`, nil},
		{"a sentence with a year and by", `<p>In 2019 by far the largest share went abroad.</p>`, nil},
		{"a link to the author's profile", `<p>Story</p><div><a href="https://example.com/blog/authors/emmanuel-oyibo">Emmanuel Oyibo</a></div>`, []string{"Emmanuel Oyibo"}},
		{"a profile link's button is no name", `<p>Story</p><a href="/author/paramita-ghosh">Learn More</a><a href="/authors/jane-doe">View Profile</a>`, nil},
		{"an index of authors is no profile", `<p>Story</p><a href="/authors/">Our Authors</a>`, nil},
		{"all of an author's articles", `<p>Story</p><a href="/de/daily/author/tanjak"><span>Alle Artikel von Tanja Karrasch</span></a>`, []string{"Tanja Karrasch"}},
		{"a profile link's copy for screen readers", `<p>Story</p><a href="/auteurs/kristen_falc_hon">Kristen Falc'hon<span class="sr">Kristen Falc'hon</span></a>`, []string{"Kristen Falc'hon"}},
		{"a byline element", `<p>Quelle: dpa-AFX</p><byline>Von David Hutzler, dpa</byline>`, []string{"David Hutzler, dpa"}},
		{"a byline before a profile link", `<nav><a href="/author/gene-petrino">Gene Petrino</a></nav><h1>Headline</h1><span class="byline">By Paul Frew</span>`, []string{"Paul Frew"}},
		{"a name, then the date, in one text", `<h1>Headline</h1><p class="date-author">Janic Cathomen, 01.12.2021</p>`, []string{"Janic Cathomen"}},
		{"a byline that is only a date", `<h1>Headline</h1><div class="byline">Sat, 20 Dec, 2025 - 06:36</div>`, nil},
		{"Posted, then the name", `<div class="author"><span>Posted</span> by <a href="/u/w">Walter von Aachen</a></div>`, []string{"Walter von Aachen"}},
	} {
		if got := bylineAuthors(parseHTML(t, tc.page)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCleanAuthors(t *testing.T) {
	got := cleanAuthors([]string{"page.head.extra.author", "andrew.keaveney", "Maria &amp; Katerina", "By Jane Doe", "jane doe", "admin", "Webmaster", ", USA TODAY", "Example News",
		"Text und Interview: Harald Willenbrock", "Interview: Julia Lauter", "Edited by Adrian Parr", "Interviewer Weekly", "Williams Perdomo @wperdomod", "@newsdesk"})
	if want := []string{"Maria & Katerina", "Jane Doe", "USA TODAY", "Example News", "Harald Willenbrock", "Julia Lauter", "Adrian Parr", "Interviewer Weekly", "Williams Perdomo"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A page whose metadata credits the site itself (the publisher, a
// company's blog) and whose byline names a person is by that person. A
// byline that is no name, or names the site too, leaves the credit as it
// is: on a personal blog the site's name is its author's.
func TestBylineOverSiteCredit(t *testing.T) {
	prose := `<p>The council met on Monday evening and voted to close the old bridge to traffic for the whole winter, citing cracks found in two of its piers.</p>` +
		`<p>Engineers will inspect the structure again in March, and the council expects to publish a plan for its repair before the summer holidays begin.</p>` +
		`<p>Residents of the north bank will be able to use a free shuttle bus, which will run every twenty minutes between the two ends of the bridge.</p>`
	page := func(site, metaAuthor, byline string) []byte {
		return []byte(`<html><head><title>Bridge closed for the winter</title>` +
			`<meta property="og:type" content="article"><meta property="og:site_name" content="` + site + `">` +
			`<meta property="article:published_time" content="2024-03-12T09:00:00Z"><meta name="author" content="` + metaAuthor + `">` +
			`</head><body><article><h1>Bridge closed for the winter</h1>` + byline + prose + `</article></body></html>`)
	}
	for _, tc := range []struct {
		name string
		body []byte
		want []string
	}{
		{"the publisher, then a person's byline", page("Helmholtz Klima", "Helmholtz Klima", `<p class="byline">Von Christian Mihatsch</p>`), []string{"Christian Mihatsch"}},
		{"a name with its role", page("British Heart Foundation", "British Heart Foundation", `<div class="author">By Tracy Parker, Dietitian</div>`), []string{"Tracy Parker, Dietitian"}},
		{"an Arabic byline", page("الحرة", "الحرة", `<div class="author">بقلم: سامي الخطيب</div>`), []string{"سامي الخطيب"}},
		{"a person in the metadata stays", page("Example News", "Jane Doe", `<p class="byline">By John Roe</p>`), []string{"Jane Doe"}},
		{"a byline that is no name", page("Haki Benita", "Haki Benita", `<span class="author">period</span>`), []string{"Haki Benita"}},
		{"a byline naming the site too", page("Eat What Tonight", "Eat What Tonight", `<span class="author">Recipe by Eat What Tonight</span>`), []string{"Eat What Tonight"}},
	} {
		art, _, err := Parse(trawler.Page{URL: "https://example.com/news/2024/bridge", Body: tc.body})
		if err != nil {
			t.Fatal(err)
		}
		if art.PageType != trawler.PageArticle || !slices.Equal(art.Authors, tc.want) {
			t.Errorf("%s: %s by %q, want an article by %q", tc.name, art.PageType, art.Authors, tc.want)
		}
	}
}

func TestPersonName(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Jane Doe", true},
		{"Jose de la Cruz", true},
		{"Tracy Parker, Dietitian", true},
		{"Bradley M. Kuhn", true},
		{"Klaus Quibeldey-Cirkel", true},
		{"Brian O’Neill", true},
		{"سامي الخطيب", true},
		{"焦鹏", true},
		{"Julia", false}, // one word: a first name or a handle, not enough to replace a credit
		{"Insights from", false},
		{"Endlich mehr Beschleunigung wagen!", false},
		{"Pyramiden zwischen Baustellen und Chaos-Shopping", false},
		{"Ed Marshall, Redonda Restoration Programme", false},
		{"Լուրեր Հայաստանից - NEWS.am", false},
		{"Team 42 Editors", false},
	} {
		if got := personName(tc.text); got != tc.want {
			t.Errorf("personName(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// The metadata platforms name the author under keys of their own.
func TestMetadataAuthorKeys(t *testing.T) {
	for _, key := range []string{"author", "article:author", "parsely-author", "cXenseParse:author"} {
		doc := parseHTML(t, `<html><head><meta property="`+key+`" content="Harry Rabinowitz"></head><body></body></html>`)
		if got := authors(collectMeta(doc)); !slices.Equal(got, []string{"Harry Rabinowitz"}) {
			t.Errorf("%s: got %q", key, got)
		}
	}
}
