package parser

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockKind says what a page region that is not the article is.
type blockKind uint8

const (
	kindNone       blockKind = iota
	kindRelated              // related, "read also", similar articles
	kindComments             // comment threads and forms
	kindTicker               // headline tickers, breaking-news bars
	kindShare                // share and follow bars
	kindNewsletter           // newsletter and subscription boxes
	kindPopular              // most read, trending
	kindFooter               // page footers
	kindNav                  // menus, breadcrumbs, pagination
	kindAside                // sidebars and widgets
	kindAd                   // advertising and sponsored content
	kindTags                 // tag lists
	kindForm                 // forms of any kind
	kindOverlay              // cookie banners, modals
)

// A block is a region of the page that is not the article: found by its
// tag, role or class names, or by a heading ("Read also", "التعليقات") that
// opens it. label is the heading when there is one.
type block struct {
	node  *html.Node
	kind  blockKind
	label *html.Node
	// siblings holds elements after a label that sits inside the article
	// itself (no container of its own) and belong to it: the list of links
	// under "Related:".
	siblings []*html.Node
}

// strongClassWords mark a block wherever they occur inside a class or id
// (separators removed): "jp-relatedposts", "newsTicker", "post-comments".
var strongClassWords = []struct {
	word string
	kind blockKind
}{
	// Lists of topics, searches and products named "related" are no stories.
	{"relatedtag", kindTags}, {"relatedtopic", kindTags}, {"relatedsearch", kindTags},
	{"relatedkeyword", kindTags}, {"relatedproduct", kindAd},
	{"related", kindRelated}, {"similar", kindRelated}, {"readalso", kindRelated}, {"alsoread", kindRelated},
	{"morestories", kindRelated}, {"morearticles", kindRelated}, {"recommended", kindRelated},
	{"youmaylike", kindRelated}, {"youmightlike", kindRelated}, {"alsolike", kindRelated},
	{"morefrom", kindRelated}, {"moreonthis", kindRelated},
	{"whattoread", kindRelated}, {"furtherreading", kindRelated}, {"seealso", kindRelated},
	{"recirc", kindRelated}, {"relacionad", kindRelated}, {"correlat", kindRelated}, {"yarpp", kindRelated},
	{"comment", kindComments}, {"disqus", kindComments}, {"respond", kindComments},
	{"ticker", kindTicker}, {"marquee", kindTicker}, {"breakingnews", kindTicker}, {"newsbar", kindTicker},
	{"share", kindShare}, {"sharing", kindShare}, {"addthis", kindShare}, {"socialicons", kindShare},
	{"sociallinks", kindShare}, {"followus", kindShare},
	{"newsletter", kindNewsletter},
	{"mostread", kindPopular}, {"mostviewed", kindPopular}, {"mostpopular", kindPopular}, {"trending", kindPopular},
	{"footer", kindFooter}, {"breadcrumb", kindNav}, {"pagination", kindNav},
	{"outbrain", kindAd}, {"taboola", kindAd}, {"advert", kindAd}, {"adsbygoogle", kindAd}, {"sponsor", kindAd},
	{"tableofcontents", kindNav}, {"toccontainer", kindNav},
	{"cookie", kindOverlay}, {"gdpr", kindOverlay}, {"consent", kindOverlay},
}

// weakClassWords mark a block only as the start of a class or id word
// ("sidebar-left", not "has-sidebar"), or exactly for short ones ("ad").
var weakClassWords = []struct {
	word  string
	kind  blockKind
	exact bool
}{
	{"sidebar", kindAside, false}, {"widget", kindAside, false}, {"menu", kindNav, false},
	{"navbar", kindNav, false}, {"nav", kindNav, true}, {"ad", kindAd, true}, {"ads", kindAd, true},
	{"banner", kindAd, true}, {"promo", kindAd, false}, {"tags", kindTags, true}, {"tag-list", kindTags, false},
	{"post-tags", kindTags, false}, {"modal", kindOverlay, false}, {"popup", kindOverlay, false},
	{"social", kindShare, false}, {"print", kindShare, true}, {"subscribe", kindNewsletter, false},
	{"navigation", kindNav, true},
}

// labelPhrases are headings that open a block, folded by foldLabel. A label
// may add a few words after the phrase ("More from Politics").
var labelPhrases = buildLabelPhrases(map[blockKind][]string{
	kindRelated: {
		"related", "related articles", "related stories", "related news", "related posts", "related content",
		"related coverage", "related links", "related reading", "read more", "read also", "also read",
		"more from", "more on", "more stories", "more news", "you may also like", "you might also like",
		"you may like", "you might like", "recommended", "recommended for you", "similar articles",
		"similar stories", "see also", "further reading", "more like this", "more to read", "don't miss",
		"lesen sie auch", "mehr zum thema", "weitere artikel", "das könnte sie auch interessieren",
		"à lire aussi", "a lire aussi", "lire aussi", "sur le même sujet", "leer más", "lee también",
		"te puede interesar", "noticias relacionadas", "leia também", "leia mais", "notícias relacionadas",
		"leggi anche", "articoli correlati", "читайте также", "по теме", "ilgili haberler", "baca juga",
		"اقرأ أيضا", "إقرأ أيضاً", "اقرأ المزيد", "مقالات مشابهة", "أخبار مشابهة", "مواضيع مشابهة",
		"ذات صلة", "أخبار ذات صلة", "مقالات ذات صلة", "مواضيع ذات صلة", "قد يهمك", "قد يعجبك", "المزيد من",
		"أخبار متعلقة", "مواضيع متعلقة", "شاهد أيضا", "طالع أيضا", "اقرأ كذلك",
		"more on this story", "more in", "what to read next", "keep reading", "similar posts",
		"similar news", "more articles", "other stories", "other articles",
		"explore related articles", "we recommend", "you may also be interested in",
		"you might also be interested in", "you may be interested in", "you might be interested in",
		"you may also enjoy", "you might also enjoy", "ähnliche artikel", "auch interessant",
		"à lire également", "articles similaires", "vous aimerez aussi", "sur le même thème",
		"también te puede interesar", "artículos relacionados", "quizás te interese", "te recomendamos",
		"veja também", "você pode gostar", "artigos relacionados", "posts relacionados",
		"potrebbe interessarti", "ti potrebbe interessare", "похожие статьи", "похожие новости",
		"смотрите также", "вам также может быть интересно", "вам может быть интересно",
		"benzer haberler", "berita terkait", "artikel terkait", "اخترنا لك", "مواضيع قد تهمك",
		"أخبار قد تهمك", "موضوعات ذات صلة", "موضوعات متعلقة", "موضوعات مشابهة", "ننصحك بقراءة",
		"zum weiterlesen", "weiterlesen", "mehr themen", "weitere themen", "schon gelesen", "neueste artikel",
		"empfohlene beiträge", "empfohlene artikel", "das könnte dich auch interessieren",
		"das thema könnte dich auch interessieren", "le puede interesar", "le podría interesar",
		"puede interesarte", "vous pourriez aussi aimer", "à découvrir aussi",
	},
	kindComments: {
		"comments", "comment", "leave a comment", "leave a reply", "add a comment", "post a comment",
		"join the conversation", "التعليقات", "تعليقات", "أضف تعليق", "أضف تعليقك", "اترك تعليقا",
		"اكتب تعليقك", "commentaires", "kommentare", "comentarios", "comentários",
	},
	kindShare: {
		"share", "share this", "share this article", "share this story", "follow us", "شارك", "شارك الخبر",
		"مشاركة", "تابعنا", "تابعونا", "partager", "teilen", "compartir",
	},
	kindNewsletter: {"newsletter", "subscribe", "sign up for our newsletter", "النشرة البريدية", "اشترك في النشرة البريدية"},
	kindTicker: {
		"breaking news", "latest news", "عاجل", "أخبار عاجلة", "آخر الأخبار", "الأخبار العاجلة", "شريط الأخبار",
	},
	kindPopular: {
		"most read", "most popular", "popular", "trending", "most viewed", "الأكثر قراءة", "الأكثر مشاهدة",
		"الأكثر تداولا", "الأكثر تعليقا", "الأكثر شعبية", "les plus lus", "meistgelesen", "lo más leído",
		"meistdiskutiert", "meist diskutiert", "meist-diskutiert", "meistgelesene artikel", "lo más visto",
	},
	kindTags: {
		"tags", "الوسوم", "وسوم", "كلمات مفتاحية", "الكلمات المفتاحية", "mots-clés", "schlagwörter", "etiquetas",
		"related topics", "related tags", "related searches", "related keywords",
	},
	// A table of contents repeats the article's own headings; these
	// labels count only alone (see labelKind).
	kindNav: {
		"table of contents", "contents", "in this article", "on this page", "jump to", "inhaltsverzeichnis",
		"table des matières", "sommaire", "índice", "tabla de contenidos", "contenidos", "indice",
		"sommario", "índice de conteúdo", "содержание", "içindekiler", "daftar isi", "المحتويات",
		"فهرس المحتويات", "محتويات", "محتويات المقال",
	},
	kindAd: {
		"advertisement", "sponsored", "إعلان", "publicité", "anzeige", "publicidad", "related products",
		"related brands", "related ads",
	},
})

func buildLabelPhrases(byKind map[blockKind][]string) map[string]blockKind {
	m := map[string]blockKind{}
	for kind, phrases := range byKind {
		for _, p := range phrases {
			m[foldLabel(p)] = kind
		}
	}
	return m
}

// maxLabelLen bounds the text of an element taken for a heading, in bytes.
const maxLabelLen = 80

// foldLabel puts heading text into the form of labelPhrases: lower case,
// Arabic spelling folded, punctuation at the ends and runs of space removed.
func foldLabel(s string) string {
	s = strings.ToLower(foldArabic(s))
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	})
	return normalizeSpace(s)
}

// labelKind returns the kind of block a heading with this text opens.
func labelKind(text string) blockKind {
	l := foldLabel(text)
	if l == "" {
		return kindNone
	}
	if k, ok := labelPhrases[l]; ok {
		return k
	}
	// A phrase and up to four more words: "More from Politics", "Comments (12)".
	// Not a table of contents' label: "Índice de precios" and
	// "Содержание белка" head sections about an index and a content.
	words := strings.Fields(l)
	for n := min(len(words)-1, 5); n >= 1; n-- {
		if len(words)-n > 4 {
			break
		}
		if k, ok := labelPhrases[strings.Join(words[:n], " ")]; ok && k != kindNav {
			return k
		}
	}
	return kindNone
}

// classKinds memoizes the verdict on class and id values within one
// parse: a page repeats the same few class strings on hundreds of
// elements, and each costs a scan of every class word.
type classKinds map[string]blockKind

// classKind classifies an element by its tag, role, class and id. A
// related class names the block better than its tag does:
// <aside class="related-articles">, <nav class="related-posts">.
func (c classKinds) classKind(n *html.Node) blockKind {
	named := c.namedKind(n)
	if named == kindRelated {
		return named
	}
	switch n.DataAtom {
	case atom.Footer:
		return kindFooter
	case atom.Nav:
		return kindNav
	case atom.Aside:
		return kindAside
	case atom.Form:
		return kindForm
	case atom.Marquee:
		return kindTicker
	}
	switch strings.ToLower(attr(n, "role")) {
	case "contentinfo":
		return kindFooter
	case "navigation", "menu", "menubar":
		return kindNav
	case "complementary":
		return kindAside
	case "dialog", "alertdialog":
		return kindOverlay
	}
	return named
}

// namedKind classifies an element by its class, else its id.
func (c classKinds) namedKind(n *html.Node) blockKind {
	for _, key := range [...]string{"class", "id"} {
		v := attr(n, key)
		if v == "" {
			continue
		}
		k, seen := c[v]
		if !seen {
			k = valueKind(v)
			c[v] = k
		}
		if k != kindNone {
			return k
		}
	}
	return kindNone
}

// valueKind classifies a class or id value by its words.
func valueKind(v string) blockKind {
	for _, word := range strings.Fields(v) {
		if k := classWordKind(strings.ToLower(word)); k != kindNone {
			return k
		}
	}
	return kindNone
}

func classWordKind(w string) blockKind {
	// "read-more", "read_more" and "readmore" are one word here.
	joined := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return -1
		}
		return r
	}, w)
	for _, s := range strongClassWords {
		if strings.Contains(joined, s.word) && !(s.kind == kindComments && strings.Contains(joined, "commentary")) {
			return s.kind
		}
	}
	for _, s := range weakClassWords {
		if w == s.word || w == s.word+"s" {
			return s.kind
		}
		if !s.exact && strings.HasPrefix(w, s.word) && strings.ContainsRune("-_", rune(w[len(s.word)])) {
			return s.kind
		}
	}
	return kindNone
}
