package parser

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// isNavigationLink reports a link that leads to a listing rather than a
// story: the site's root or a section front (/sports, /business/tech,
// /health/index.html), a tag, topic, author, search or archive page, a
// page of a listing, a page about the site, or a link reading "More",
// "Next", "See all" or a page number.
func isNavigationLink(a *anchor) bool {
	if isNavText(a.title) || rxPageQuery.MatchString(a.u.RawQuery) {
		return true
	}
	segs := pathSegments(a.u)
	// A story may sit under a taxonomy word or a profile, with an
	// article's shape after it (/family/archive/2018/08/title/567946,
	// /@jane/title-57ed6bd76960); a listing names one thing after a
	// taxonomy word (/tag/red-dead-redemption-2), or more without that
	// shape (/news/topics/c256n7nw2g4t/music).
	for i, s := range segs {
		after := segs[i+1:]
		switch {
		case strings.HasPrefix(s, "@") && len(s) > 1:
			if len(after) == 0 || !articleShape(a.u, after) {
				return true
			}
		case rxTaxonomySegment.MatchString(s):
			if len(after) <= 1 || !articleShape(a.u, after) {
				return true
			}
		}
	}
	if len(segs) > 0 && rxLangSegment.MatchString(segs[0]) {
		segs = segs[1:] // /en/contact-us is /contact-us in English
	}
	if len(segs) == 0 {
		return !rxIDQuery.MatchString(a.u.RawQuery)
	}
	switch {
	case len(segs) <= 2 && rxSiteInfoSegment.MatchString(segs[0]): // /about/team, not /terms/b/brand-index.asp
		return true
	case len(segs) == 1 && rxHubSegment.MatchString(segs[0]): // /video
		return true
	case rxIndexFile.MatchString(segs[len(segs)-1]) && !rxIDQuery.MatchString(a.u.RawQuery): // /health/index.html
		return true
	}
	return isDateArchive(segs) || isSectionPath(a.u, segs)
}

var (
	// rxPageQuery matches pagination in a query string: ?page=2, &start=20.
	rxPageQuery = regexp.MustCompile(`(?i)(?:^|&)(?:page|paged|pg|start|offset)=\d+(?:&|$)`)
	// rxSiteInfoSegment matches first path segments of pages about the
	// site or its business rather than stories: /about/team, /privacy-policy.
	rxSiteInfoSegment = regexp.MustCompile(`(?i)^(?:about|about-us|contact|contact-us|privacy|privacy-policy|terms|terms-of-use|terms-of-service|terms-and-conditions|cookies|cookie-policy|imprint|impressum|legal|help|faq|faqs|support|careers|jobs|advertise|subscribe|subscription|subscriptions|donate|shop|store)$`)
	// rxLangSegment matches a language prefix: /en/, /pt-br/, /zh_CN/.
	rxLangSegment = regexp.MustCompile(`^[a-z]{2}(?:[-_][A-Za-z]{2})?$`)
	// rxIndexFile matches the file name of a directory's front page.
	rxIndexFile = regexp.MustCompile(`(?i)^(?:index|default|home)\.[a-z]+$`)
)

// navTexts are the anchor texts, folded by foldLabel, of links that page
// through a listing, open one or switch tabs rather than lead to a story.
var navTexts = foldedSet(
	"more", "next", "prev", "previous", "older", "newer", "all", "see all", "view all", "show all",
	"see more", "view more", "show more", "load more", "latest", "popular", "most popular", "most read",
	"trending", "recent", "more news", "more stories", "more articles", "more posts", "all news",
	"all stories", "all articles", "all posts", "mehr", "weiter", "zurück", "alle", "plus", "suivant",
	"précédent", "voir tout", "voir plus", "más", "siguiente", "anterior", "ver todo", "ver más", "mais",
	"próximo", "ver tudo", "altro", "successivo", "ещё", "еще", "далее", "все", "المزيد", "التالي",
	"السابق", "الكل", "عرض الكل", "شاهد الكل", "الأحدث", "الأكثر قراءة", "المزيد من الأخبار",
)

// foldedSet indexes phrases as foldLabel folds them.
func foldedSet(phrases ...string) map[string]bool {
	m := make(map[string]bool, len(phrases))
	for _, p := range phrases {
		m[foldLabel(p)] = true
	}
	return m
}

// navPrefixes open the anchor texts, folded, of links to a listing:
// "More in Dubai Airshow", "View all AI blogs".
var navPrefixes = []string{
	"more in ", "more from ", "see all ", "view all ", "show all ", "browse all ", "explore all ",
	"alle ", "voir tous ", "ver todos ", "ver todas ", "все ", "المزيد من ", "عرض كل ", "شاهد كل ",
}

// isNavText reports anchor text that is a page number, one of navTexts or
// opens with one of navPrefixes.
func isNavText(title string) bool {
	t := foldLabel(title)
	if navTexts[t] || (t != "" && strings.Trim(t, "0123456789") == "") {
		return true
	}
	for _, p := range navPrefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// inByline reports a link that names a story's author, by its rel, its
// class ("Author-authorName") or its container's ("Card-byline"): related
// cards often credit their writers. A container named for an author
// alone ("author-bio__card") may list that author's stories.
func inByline(n *html.Node) bool {
	if hasWord(strings.ToLower(attr(n, "rel")), "author") {
		return true
	}
	for _, key := range [...]string{"class", "id"} {
		v := strings.ToLower(attr(n, key))
		if strings.Contains(v, "byline") || strings.Contains(v, "author") {
			return true
		}
		if p := n.Parent; p != nil && strings.Contains(strings.ToLower(attr(p, key)), "byline") {
			return true
		}
	}
	return false
}

// isDateArchive reports a path of a year and perhaps a month and day,
// /2016/12/, without a story's slug or id.
func isDateArchive(segs []string) bool {
	if len(segs) == 0 || len(segs) > 3 || !isYearOnly(segs[0]) {
		return false
	}
	for _, s := range segs[1:] {
		if len(s) > 2 || strings.Trim(s, "0123456789") != "" {
			return false
		}
	}
	return true
}

// isSectionPath reports a short path (segs, the path's segments after
// any language prefix) of plain words, without an id, a date or a slug,
// such as "/local/", "/sports" or "/business/technology": a section
// front, not a story.
func isSectionPath(u *url.URL, segs []string) bool {
	if len(segs) == 0 || len(segs) > 2 || strings.ContainsFunc(u.Path, unicode.IsDigit) || rxIDQuery.MatchString(u.RawQuery) {
		return false
	}
	if len(segs) == 2 && utf8.RuneCountInString(segs[0]) == 1 {
		return false // /a/bkyha, /p/xkcd: a one-letter prefix names items, not sections
	}
	return !strings.ContainsAny(segs[len(segs)-1], "-_.+ ")
}
