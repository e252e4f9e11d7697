package parser

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trawler/trawler/internal/urlnorm"
)

// Caps on list metadata, against pages that stuff their keywords.
const (
	maxAuthors   = 10
	maxTags      = 30
	maxFieldText = 200
)

var (
	// rxByline strips "By", "بقلم", "Von"… from an author name.
	rxByline = regexp.MustCompile(`(?i)^(?:by|von|par|por|بقلم|كتب|كتبت|الكاتب|تأليف)\s*[:：]?\s+`)
	// rxAuthorRole strips a role label from an author name: "Text und
	// Interview: …", "Edited by …", "Autorin: …".
	rxAuthorRole = regexp.MustCompile(`(?i)^(?:(?:written|words|story|reported|edited|text|interview)\s+(?:by|von)\s+|(?:text|interview|text und interview|text and interview|` + authorLabels + `)\s*[:：]\s*)`)
	// rxAuthorSplit separates several names in one value.
	rxAuthorSplit = regexp.MustCompile(`\s*(?:,|،|;|\band\b|&|\|)\s*`)
)

// authors returns the article's authors from JSON-LD, then <meta name=author>,
// article:author, Dublin Core, microdata. Values that are URLs (profile
// links) or the site itself are dropped.
func authors(m *pageMeta) []string {
	var raw []string
	if m.ld.Article != nil {
		raw = m.ld.Article.Authors
	}
	if len(raw) == 0 && m.ld.Page != nil {
		raw = m.ld.Page.Authors
	}
	if len(raw) == 0 {
		for _, key := range []string{"author", "article:author", "dc.creator", "dcterms.creator", "sailthru.author", "parsely-author", "cxenseparse:author", "itemprop:author", "byl"} {
			for _, v := range m.all(key) {
				raw = append(raw, rxAuthorSplit.Split(v, -1)...)
			}
			if len(raw) > 0 {
				break
			}
		}
	}
	return cleanAuthors(raw)
}

// rxTrailingHandle is a social handle after a name: "Williams Perdomo @wperdomod".
var rxTrailingHandle = regexp.MustCompile(`\s+@\w+$`)

// placeholderAuthors are the accounts a CMS names when nobody signed the
// page: WordPress's default user, the webmaster.
var placeholderAuthors = map[string]bool{
	"admin": true, "administrator": true, "wordpressadmin": true, "site admin": true, "webmaster": true, "root": true,
}

// cleanAuthors normalizes author names and drops duplicates, URLs, e-mail
// addresses and template placeholders. The site's own name is kept: a
// personal blog's author is its name, and a desk byline ("BBC News",
// "Help Net Security") is the credit the page gives.
func cleanAuthors(raw []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, a := range raw {
		// Some templates escape the name twice ("Maria &amp; Katerina").
		a = strings.TrimSpace(rxByline.ReplaceAllString(normalizeSpace(html.UnescapeString(a)), ""))
		a = strings.TrimSpace(rxAuthorRole.ReplaceAllString(a, ""))
		a = strings.Trim(a, ",;:|·•–— ")             // ", USA TODAY": the name's separator, left by a template
		a = rxTrailingHandle.ReplaceAllString(a, "") // "Williams Perdomo @wperdomod"
		key := strings.ToLower(a)
		if a == "" || seen[key] || placeholderAuthors[key] || len(a) > 100 || strings.Contains(a, "://") || strings.HasPrefix(a, "www.") || strings.Contains(a, "@") ||
			(strings.Contains(a, ".") && !strings.ContainsAny(a, " \u00a0")) {
			// "page.head.extra.author", "andrew.keaveney": a template
			// variable or a user name, not a byline.
			continue
		}
		seen[key] = true
		out = append(out, a)
		if len(out) == maxAuthors {
			break
		}
	}
	return out
}

// tags returns article:tag and JSON-LD keywords, else the keywords metas.
func tags(m *pageMeta) []string {
	raw := m.all("article:tag")
	if m.ld.Article != nil {
		raw = append(raw, m.ld.Article.Keywords...)
	}
	if len(raw) == 0 {
		for _, key := range []string{"news_keywords", "keywords", "parsely-tags", "sailthru.tags"} {
			for _, v := range m.all(key) {
				raw = append(raw, splitList(v)...)
			}
		}
	}
	out := []string{}
	seen := map[string]bool{}
	for _, t := range raw {
		t = normalizeSpace(t)
		key := strings.ToLower(t)
		if t == "" || seen[key] || len(t) > 100 {
			continue
		}
		seen[key] = true
		out = append(out, t)
		if len(out) == maxTags {
			break
		}
	}
	return out
}

func description(m *pageMeta) string {
	d := m.get("og:description", "description", "twitter:description", "dc.description")
	if d == "" && m.ld.Article != nil {
		d = m.ld.Article.Description
	}
	return truncateUTF8(d, 2000)
}

// image returns the lead image, absolute and normalized.
func image(m *pageMeta, base *url.URL) string {
	cands := []string{m.get("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")}
	if m.ld.Article != nil {
		cands = append(cands, m.ld.Article.Images...)
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if u, err := urlnorm.Resolve(base, c); err == nil {
			return u
		}
	}
	return ""
}

// canonicalURL returns <link rel=canonical>, else og:url, else the JSON-LD
// url, absolute and normalized. A canonical pointing at the home page from
// another page is a template bug and is ignored. So is one on another site
// (urlnorm.Site): the canonical is the article's identity, and a site
// must not be able to claim, and overwrite, another site's article
// (syndicated copies keep their own URL).
func canonicalURL(m *pageMeta, base, page *url.URL) string {
	var ldURL string
	if m.ld.Article != nil {
		ldURL = m.ld.Article.URL
	}
	for _, c := range []string{m.canonical, m.get("og:url"), ldURL} {
		if strings.TrimSpace(c) == "" {
			continue
		}
		s, err := urlnorm.Resolve(base, c)
		if err != nil {
			continue
		}
		cu, err := url.Parse(s)
		if err != nil {
			continue
		}
		if cu.Path == "/" && cu.RawQuery == "" && page != nil && page.Path != "/" && page.Path != "" {
			continue
		}
		if page != nil && urlnorm.Site(cu) != urlnorm.Site(page) {
			continue
		}
		return s
	}
	return ""
}

// creditsSite reports authors that all name the site itself (see
// namesSite): "USA TODAY", "Deutsche Welle (www.dw.com)".
func creditsSite(authors, siteNames []string) bool {
	for _, a := range authors {
		if !namesSite(a, siteNames) {
			return false
		}
	}
	return len(authors) > 0
}

// bylineOverSite returns the people a page's byline names, to credit
// instead of the site when its metadata credits only the site (the
// publisher, a company's blog), or nil. The byline must read as people's
// names (see personName) and not name the site too: on a personal blog the
// site's name is its author's.
func bylineOverSite(shown, siteNames []string) []string {
	if len(shown) == 0 || creditsSite(shown, siteNames) {
		return nil
	}
	for _, a := range shown {
		if !personName(a) {
			return nil
		}
	}
	return shown
}

// nameParticles are the lower-case words inside people's names.
var nameParticles = map[string]bool{
	"de": true, "da": true, "del": true, "della": true, "di": true, "du": true, "la": true, "le": true,
	"van": true, "von": true, "der": true, "den": true, "ten": true, "ter": true, "zu": true,
	"bin": true, "ibn": true, "al": true, "el": true, "y": true, "e": true,
}

// personName reports text shaped like a person's name, with a title or a
// role after a comma at most: two to four words, then one or two; no
// digits or punctuation but hyphens, apostrophes and initials' dots; and
// in scripts with case, every word capitalized but the particles ("Jose de
// la Cruz", "Tracy Parker, Dietitian"). A name in a script without spaces
// is one word of two to four letters ("焦鹏"). What a byline search picks up
// beside names fails it: a heading ("Endlich mehr Beschleunigung wagen!"),
// a teaser, a host name.
func personName(a string) bool {
	name, role, hasRole := strings.Cut(a, ",")
	words, roleWords := strings.Fields(name), strings.Fields(role)
	if len(words) == 1 && caseless(words[0]) {
		// Chinese, Japanese and Korean names are written without spaces.
		n := utf8.RuneCountInString(words[0])
		return !hasRole && n >= 2 && n <= 4 && nameWord(words[0])
	}
	if len(words) < 2 || len(words) > 4 || (hasRole && (len(roleWords) < 1 || len(roleWords) > 2)) {
		return false
	}
	for _, w := range append(words, roleWords...) {
		if !nameWord(w) {
			return false
		}
	}
	return true
}

// caseless reports a word of letters without case (Han, Arabic…).
func caseless(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) || unicode.IsUpper(r) || unicode.IsLower(r) {
			return false
		}
	}
	return w != ""
}

// nameWord reports a word of a name: letters, hyphens and apostrophes,
// capitalized unless a particle ("van", "de"), or an initial ("J.").
func nameWord(w string) bool {
	w = strings.TrimSuffix(w, ".")
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsLetter(r) || (unicode.IsLower(r) && !nameParticles[w]) {
		return false
	}
	for _, c := range w {
		if !unicode.IsLetter(c) && c != '-' && c != '\'' && c != '’' {
			return false
		}
	}
	return true
}
