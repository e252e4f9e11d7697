package parser

import (
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/urlnorm"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxAnchors bounds the links read from one page.
const maxAnchors = 5000

// maxAnchorText bounds a link title, in bytes.
const maxAnchorText = 300

// anchor is one usable <a href> of the page.
type anchor struct {
	node  *html.Node
	url   string // absolute, normalized
	u     *url.URL
	title string // anchor text, else title attribute, else image alt
}

// nonPageExt are file extensions of things that are not web pages.
var nonPageExt = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".svg": true, ".bmp": true,
	".ico": true, ".tif": true, ".tiff": true, ".avif": true, ".heic": true, ".pdf": true, ".zip": true,
	".rar": true, ".7z": true, ".gz": true, ".tgz": true, ".tar": true, ".bz2": true, ".xz": true,
	".exe": true, ".dmg": true, ".apk": true, ".msi": true, ".iso": true, ".mp3": true, ".mp4": true,
	".m4a": true, ".m4v": true, ".avi": true, ".mov": true, ".wmv": true, ".flv": true, ".webm": true,
	".ogg": true, ".wav": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true,
	".pptx": true, ".odt": true, ".csv": true, ".xml": true, ".rss": true, ".atom": true, ".json": true,
	".css": true, ".js": true, ".woff": true, ".woff2": true, ".ttf": true, ".eot": true, ".epub": true,
}

// shareHosts are hosts whose links only share or send the current page.
var shareHosts = map[string]bool{
	"wa.me": true, "api.whatsapp.com": true, "web.whatsapp.com": true, "t.me": true, "telegram.me": true,
	"addthis.com": true, "www.addthis.com": true, "sharethis.com": true, "www.addtoany.com": true,
}

var (
	// rxUtilityPath matches paths of actions rather than pages: sharing,
	// printing, accounts, feeds.
	rxUtilityPath = regexp.MustCompile(`(?i)(?:^|/)(?:share|sharer|sharer\.php|sharearticle|intent|submit|print|login|log-in|signin|sign-in|signup|sign-up|register|logout|wp-login\.php|wp-admin|feed|feeds|rss|atom|cart|checkout|my-account|account|cdn-cgi)(?:/|$|\.)`)
	// rxUtilityQuery matches query strings of the same actions.
	rxUtilityQuery = regexp.MustCompile(`(?i)(?:^|&)(?:share|print|replytocom|action=(?:print|login|logout|share|edit|history)|format=(?:rss|pdf|amp)|output=(?:rss|pdf))(?:=|&|$)`)
	// rxHubSegment matches first path segments of listing pages.
	rxHubSegment = regexp.MustCompile(`(?i)^(?:tag|tags|category|categories|cat|section|sections|topic|topics|author|authors|writer|writers|page|search|archive|archives|label|labels|keyword|keywords|index|about|contact|privacy|terms|subscribe|newsletter|video|videos|gallery|galleries)$`)
	// rxDigits finds a run of at least four digits: an id or a date.
	rxDigits = regexp.MustCompile(`\d{4,}`)
	// rxIDQuery matches an article id in the query: ?id=1234, ?p=1234, ?story_fbid=…
	rxIDQuery = regexp.MustCompile(`(?i)(?:^|&)(?:id|p|aid|nid|sid|story|article|articleid|newsid|news_id|storyid|itemid)=\d+`)
	// rxTaxonomySegment matches path segments, at any depth, under which a
	// site lists stories or people rather than tells a story: /tag/x,
	// /news/topics/…, /by/jane-doe, /category/x/page/2.
	rxTaxonomySegment = regexp.MustCompile(`(?i)^(?:tag|tags|category|categories|cat|topic|topics|thema|themen|tema|temas|sujet|rubrique|rubrik|kategorie|categoria|etiqueta|author|authors|autor|auteur|autore|by|writer|writers|contributor|contributors|columnist|columnists|staff|team|people|profile|profiles|user|users|member|members|artist|artists|section|sections|label|labels|keyword|keywords|search|archive|archives|page)$`)
	// rxNumberedFile matches a story's file name numbered at its start or
	// end: "004-story.html", "story-04.php".
	rxNumberedFile = regexp.MustCompile(`(?i)^(?:\d{2,}[-_].*|.*[-_]\d{2,})\.(?:html?|shtml|php|aspx?|jsp)$`)
	// rxShortPrefix matches the short first segment of /p/123.
	rxShortPrefix = regexp.MustCompile(`^\pL{1,3}$`)
	rxNumber      = regexp.MustCompile(`^\d{2,}$`)
	// rxLowerAlnum matches an id in lower case: mixed-case ids are
	// channels, shops and shares (/channel/UCzcJolZXhDi6VU77VI2cNDg),
	// upper-case ones products (/dp/B07N8RPRF7).
	rxLowerAlnum = regexp.MustCompile(`^[a-z0-9]{5,16}$`)
)

// collectAnchors reads the links of doc, resolved against base and
// normalized, skipping what can never be a page.
func collectAnchors(doc *html.Node, base *url.URL) []anchor {
	var out []anchor
	walk(doc, func(n *html.Node) bool {
		if len(out) >= maxAnchors || isInvisible(n) {
			return false
		}
		if n.Type != html.ElementNode || (n.DataAtom != atom.A && n.DataAtom != atom.Area) {
			return true
		}
		href := strings.TrimSpace(attr(n, "href"))
		if href == "" || strings.HasPrefix(href, "#") {
			return false
		}
		abs, err := urlnorm.Resolve(base, href)
		if err != nil {
			return false
		}
		u, err := url.Parse(abs)
		if err != nil || isNonPage(u) {
			return false
		}
		out = append(out, anchor{node: n, url: abs, u: u, title: anchorTitle(n)})
		return false
	})
	return out
}

func anchorTitle(n *html.Node) string {
	t := textOf(n, maxAnchorText)
	if t == "" {
		t = normalizeSpace(attr(n, "title"))
	}
	if t == "" {
		if img := first(n, atom.Img); img != nil {
			t = normalizeSpace(attr(img, "alt"))
		}
	}
	return truncateUTF8(t, maxAnchorText)
}

// isNonPage reports links that are files, share or print actions, logins
// or feeds rather than pages worth parsing.
func isNonPage(u *url.URL) bool {
	host := u.Hostname()
	if shareHosts[host] {
		return true
	}
	p := u.EscapedPath()
	if nonPageExt[strings.ToLower(path.Ext(p))] {
		return true
	}
	if rxUtilityPath.MatchString(p) || rxUtilityQuery.MatchString(u.RawQuery) {
		return true
	}
	// facebook.com/sharer…, twitter.com/intent…, linkedin.com/shareArticle…
	// are caught by the path; a bare social profile is a page, but never news.
	return false
}

// looksLikeArticle reports whether a link probably leads to one article
// rather than a listing: a date or numeric id in the URL, a long slug, or a
// headline for anchor text on a non-listing path.
func looksLikeArticle(u *url.URL, title string) bool {
	segs := pathSegments(u)
	if len(segs) == 0 {
		return rxIDQuery.MatchString(u.RawQuery)
	}
	if clearlyArticle(u) {
		return true
	}
	if rxHubSegment.MatchString(segs[0]) {
		return false
	}
	return opaqueArticle(segs) || len(strings.Fields(title)) >= 5
}

// clearlyArticle reports URL shapes that are articles on any site: a date
// path, a numeric id, or a slug of at least four words.
func clearlyArticle(u *url.URL) bool {
	segs := pathSegments(u)
	if len(segs) > 0 && rxHubSegment.MatchString(segs[0]) && len(segs) <= 2 && !rxDigits.MatchString(u.Path) {
		return false
	}
	return articleShape(u, segs)
}

// articleShape reports a date path, a numeric id or a slug of at least four
// words, wherever the path leads.
func articleShape(u *url.URL, segs []string) bool {
	if rxURLDate.MatchString(u.Path) || rxIDQuery.MatchString(u.RawQuery) {
		return true
	}
	for _, s := range segs {
		if rxDigits.MatchString(s) && !isYearOnly(s) {
			return true
		}
	}
	if len(segs) > 0 {
		slug := strings.TrimSuffix(segs[len(segs)-1], path.Ext(segs[len(segs)-1]))
		if len(strings.FieldsFunc(slug, isSlugSeparator)) >= 4 {
			return true
		}
	}
	return false
}

// opaqueArticle reports story addresses that carry no date, long number
// or long slug: an opaque id (/news/articles/c4g0lyx1ez8o, /a/8f3k2), a
// number under a short prefix (/p/123), a numbered file
// (/news/004-story.html), or a slug of several words in a script that
// sites rarely use for section names (/%D8%A7%D9%84…). Taxonomy paths
// keep their ids out: /news/topics/c256n7nw2g4t/music is a listing.
func opaqueArticle(segs []string) bool {
	if len(segs) == 0 {
		return false
	}
	for _, s := range segs {
		if rxTaxonomySegment.MatchString(s) {
			return false
		}
	}
	last := segs[len(segs)-1]
	switch {
	case len(segs) >= 2 && rxShortPrefix.MatchString(segs[0]) && rxNumber.MatchString(segs[1]) && !isYearOnly(segs[1]):
		return true
	case len(segs) >= 2 && opaqueID(last), rxNumberedFile.MatchString(last):
		return true
	}
	return nonLatinWords(strings.TrimSuffix(last, path.Ext(last))) >= 3
}

// opaqueID reports a generated id such as "c4g0lyx1ez8o" or "8f3k2":
// at least three digits among letters, alternating at least three times,
// unlike names with a number ("covid19", "h264", "9to5mac").
func opaqueID(s string) bool {
	if !rxLowerAlnum.MatchString(s) {
		return false
	}
	digits, changes := 0, 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			digits++
		}
		if i > 0 && isDigit(s[i]) != isDigit(s[i-1]) {
			changes++
		}
	}
	return digits >= 3 && changes >= 3
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSlugSeparator(r rune) bool { return r == '-' || r == '_' || r == '+' }

// nonLatinWords counts the words of a slug written in a non-Latin script
// (Arabic, Cyrillic, CJK…), two CJK characters counting as one word since
// those scripts do not separate words; 0 when the slug has Latin letters.
func nonLatinWords(slug string) int {
	n := 0
	for _, w := range strings.FieldsFunc(slug, func(r rune) bool { return isSlugSeparator(r) || unicode.IsSpace(r) }) {
		letters, cjk := 0, 0
		for _, r := range w {
			switch {
			case unicode.Is(unicode.Latin, r):
				return 0
			case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
				cjk++
			case unicode.IsLetter(r):
				letters++
			}
		}
		switch {
		case cjk > 0:
			n += max(cjk/2, 1)
		case letters > 0:
			n++
		}
	}
	return n
}

// isYearOnly reports a path segment that is a year ("/2024/"), which
// archives use too.
func isYearOnly(s string) bool {
	return len(s) == 4 && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20")) && rxDigits.MatchString(s)
}

func pathSegments(u *url.URL) []string {
	p, err := url.PathUnescape(u.EscapedPath())
	if err != nil {
		p = u.Path
	}
	var segs []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	return segs
}

// genericTitles are anchor texts, folded by foldLabel, that say what to do
// rather than what the link leads to.
var genericTitles = foldedSet(
	"read more", "learn more", "more", "see more", "continue reading", "read the story", "read article",
	"read story", "go to article", "click here", "here", "details", "more info", "weiterlesen", "mehr",
	"lire la suite", "en savoir plus", "leer más", "seguir leyendo", "leia mais", "continua a leggere",
	"читать далее", "подробнее", "اقرأ المزيد", "المزيد", "التفاصيل",
)

// linkSet accumulates links in order, without duplicates; a later sighting
// of a URL only fills in a missing title or replaces a "Read more".
type linkSet struct {
	links []trawler.Link
	index map[string]int
	skip  map[string]bool
}

func newLinkSet(skip ...string) *linkSet {
	s := &linkSet{links: []trawler.Link{}, index: map[string]int{}, skip: map[string]bool{}}
	for _, u := range skip {
		if u != "" {
			s.skip[u] = true
		}
	}
	return s
}

func (s *linkSet) add(u, title string) {
	if s.skip[u] {
		return
	}
	if i, ok := s.index[u]; ok {
		if old := s.links[i].Title; old == "" || (title != "" && isGenericTitle(old) && !isGenericTitle(title)) {
			s.links[i].Title = title
		}
		return
	}
	s.index[u] = len(s.links)
	s.links = append(s.links, trawler.Link{URL: u, Title: title})
}

func isGenericTitle(t string) bool { return genericTitles[foldLabel(t)] }

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return strings.TrimSpace(s[:n])
}
