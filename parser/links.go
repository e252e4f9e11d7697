package parser

import (
	"net/url"
	"path"
	"regexp"
	"strings"

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
	rxUtilityQuery = regexp.MustCompile(`(?i)(?:^|&)(?:share|print|replytocom|action=(?:print|login|logout|share)|format=(?:rss|pdf|amp)|output=(?:rss|pdf))(?:=|&|$)`)
	// rxHubSegment matches first path segments of listing pages.
	rxHubSegment = regexp.MustCompile(`(?i)^(?:tag|tags|category|categories|cat|section|sections|topic|topics|author|authors|writer|writers|page|search|archive|archives|label|labels|keyword|keywords|index|about|contact|privacy|terms|subscribe|newsletter|video|videos|gallery|galleries)$`)
	// rxDigits finds a run of at least four digits: an id or a date.
	rxDigits = regexp.MustCompile(`\d{4,}`)
	// rxIDQuery matches an article id in the query: ?id=1234, ?p=1234, ?story_fbid=…
	rxIDQuery = regexp.MustCompile(`(?i)(?:^|&)(?:id|p|aid|nid|sid|story|article|articleid|newsid|news_id|storyid|itemid)=\d+`)
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
	return len(strings.Fields(title)) >= 5
}

// clearlyArticle reports URL shapes that are articles on any site: a date
// path, a numeric id, or a slug of at least four words.
func clearlyArticle(u *url.URL) bool {
	segs := pathSegments(u)
	if len(segs) > 0 && rxHubSegment.MatchString(segs[0]) && len(segs) <= 2 && !rxDigits.MatchString(u.Path) {
		return false
	}
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
		if len(strings.FieldsFunc(slug, func(r rune) bool { return r == '-' || r == '_' || r == '+' })) >= 4 {
			return true
		}
	}
	return false
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

// linkSet accumulates links in order, without duplicates; a later sighting
// of a URL only fills in a missing title.
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
		if s.links[i].Title == "" {
			s.links[i].Title = title
		}
		return
	}
	s.index[u] = len(s.links)
	s.links = append(s.links, trawler.Link{URL: u, Title: title})
}

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
