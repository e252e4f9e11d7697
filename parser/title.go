package parser

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/trawler/trawler/internal/urlnorm"
)

// titleSeparators split a site name from a headline. Hyphens and colons only
// count with spaces around them (or after, for a "Site: headline" prefix),
// so "COVID-19" and "10:30" stay whole. A bar needs none: no word holds
// one, and Japanese and Chinese titles set it without spaces ("NEWS WEB
// EASY|子どもへの…"); the spaced forms come first.
var titleSeparators = []string{" | ", " || ", " - ", " — ", " – ", " · ", " • ", " :: ", " » ", " « ", " / ", " ~ ", " ｜ ", "|", "｜"}

// chooseTitle returns the article's title (see chooseTitleText), without
// a date printed in front of it, and with character references a template
// escaped twice decoded ("SQL &#x26; AI": no headline means the code).
func chooseTitle(m *pageMeta, siteNames []string, onPage func(string) bool, page *url.URL) string {
	t := dropLeadingDate(chooseTitleText(m, siteNames, onPage, page))
	if rxNumericRef.MatchString(t) {
		t = html.UnescapeString(t)
	}
	return t
}

// rxNumericRef finds a numeric character reference ("&#x26;", "&#8217;").
var rxNumericRef = regexp.MustCompile(`&#(?:[xX][0-9a-fA-F]+|[0-9]+);`)

// minDatedTitleWords is what must remain of a title once its leading date
// is cut: a headline, not "2022 review".
const minDatedTitleWords = 3

// dropLeadingDate cuts a publication date a template printed before the
// headline ("23.01.2022 - Dorothea Wierer darf…", "1. Februar 2022
// Bundesministerin…", "27.01.2022MineralölINFO…"): the date is the page's
// date, not its title.
func dropLeadingDate(title string) string {
	t := strings.TrimSpace(title)
	if t == "" || t[0] < '0' || t[0] > '9' {
		return title
	}
	_, pos, end, ok := findDateSpan(t)
	if !ok || pos != 0 {
		return title
	}
	rest := strings.TrimLeft(t[end:], " -–—|:·,")
	if r, _ := utf8.DecodeRuneInString(rest); !unicode.IsLetter(r) || wordCount(rest) < minDatedTitleWords {
		return title // "2024.4.4 -> 2024.5.0 issue": a version, not a date
	}
	return rest
}

// chooseTitleText picks the headline and strips the site-name prefix or suffix
// it carries. The headline the page shows (its <h1>) comes first: og:title
// and <title> are often rewritten for search and social cards ("Buying a
// laptop? These are…" over the h1 "Best laptops 2026"), and readers and
// annotators take the visible one. When no h1 passes shownHeadline, the
// declared titles are used: og:title, JSON-LD headline, <h1>, <title>, or
// <title> before <h1> when the <title> carries no separator.
func chooseTitleText(m *pageMeta, siteNames []string, onPage func(string) bool, page *url.URL) string {
	if h := shownHeadline(m, siteNames, page); h != "" {
		return dropKicker(h, []string{m.get("og:title", "twitter:title"), m.titleTag}, siteNames, onPage)
	}
	var h1 string
	if len(m.h1s) > 0 {
		h1 = m.h1s[0]
	}
	var headline string
	if m.ld.Article != nil {
		headline = m.ld.Article.Headline
	}
	og := m.get("og:title", "twitter:title")
	candidates := []string{og, headline, h1, m.titleTag}
	if !hasSeparator(m.titleTag) {
		// A <title> that is one plain phrase is the page's own headline:
		// it beats an h1 that shownHeadline found to disagree with it (a
		// section name like "Allergies Health Center"). A templated
		// "Page | Site" title may carry a generic page name, so there the
		// h1 stays first.
		candidates = []string{og, headline, m.titleTag, h1}
	}
	var others []string
	for _, c := range candidates {
		if c != "" && !isSiteSegment(c, candidates) {
			others = append(others, c)
		}
	}
	for i, c := range candidates {
		if c = strings.TrimLeft(c, "# "); c == "" {
			continue
		}
		// An og:title that is only the site's name is a template default.
		if len(siteNames) > 0 && squash(c) == squash(siteNames[0]) && i < len(candidates)-1 {
			continue
		}
		return stripSiteName(c, siteNames, others, onPage)
	}
	return ""
}

// maxKickerLabelWords bounds a section label run into a headline.
const maxKickerLabelWords = 2

// dropKicker removes a short label that opens the shown headline
// ("Blog: Best agencies of 2025") when a declared title of the page, its
// site name stripped, is the headline without it: the label is a section
// kicker styled into the h1, not part of the headline.
func dropKicker(h string, declared, siteNames []string, onPage func(string) bool) string {
	label, rest, ok := strings.Cut(h, ": ")
	if !ok || wordCount(label) > maxKickerLabelWords || strings.TrimSpace(rest) == "" {
		return h
	}
	for _, d := range declared {
		if d != "" && squash(stripSiteName(d, siteNames, nil, onPage)) == squash(rest) {
			return strings.TrimSpace(rest)
		}
	}
	return h
}

// stripSiteName removes a separator-delimited prefix or suffix from title
// when it names the site, or when what is left is exactly another title
// candidate of the page (the h1 confirming "Headline | Section | Site") or
// the whole text of an element of the page (an old-style bold headline).
// Anything else is kept: separators also occur inside headlines.
func stripSiteName(title string, siteNames, others []string, onPage func(string) bool) string {
	title = normalizeSpace(title)
	// What remains, confirmed by another candidate, wins outright.
	for _, o := range others {
		o = normalizeSpace(o)
		if o != "" && o != title && len([]rune(o)) >= 8 && isAffixed(title, o) {
			return o
		}
	}
	for changed := true; changed; {
		changed = false
		for _, sep := range titleSeparators {
			if i := strings.LastIndex(title, sep); i > 0 {
				head, tail := strings.TrimSpace(title[:i]), title[i+len(sep):]
				if head != "" && namesSite(tail, siteNames) {
					title, changed = head, true
				}
			}
			if i := strings.Index(title, sep); i > 0 {
				head, rest := title[:i], strings.TrimSpace(title[i+len(sep):])
				if rest != "" && namesSite(head, siteNames) {
					title, changed = rest, true
				}
			}
		}
		// "Site: headline". Only the name itself: a colon prefix that
		// merely contains it ("Docker Hardened Images: …") is a product or
		// a topic, part of the headline.
		if i := strings.Index(title, ": "); i > 0 {
			head, rest := title[:i], strings.TrimSpace(title[i+2:])
			if rest != "" && isSiteName(head, siteNames) {
				title, changed = rest, true
			}
		}
	}
	if onPage != nil && !onPage(title) {
		if core, ok := confirmedCore(title, onPage); ok {
			return core
		}
	}
	return title
}

// confirmedCore finds the part of a separated title that the page shows on
// its own.
func confirmedCore(title string, onPage func(string) bool) (string, bool) {
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(title, sep); i > 0 {
			if head := strings.TrimSpace(title[:i]); len([]rune(head)) >= 8 && onPage(head) {
				return head, true
			}
		}
		if i := strings.Index(title, sep); i > 0 {
			// "Site | Headline": the shown part must be the longer one, or
			// it is the site's name shown as a logo.
			rest := strings.TrimSpace(title[i+len(sep):])
			if n := len([]rune(rest)); n >= 8 && n > len([]rune(title[:i])) && onPage(rest) {
				return rest, true
			}
		}
	}
	return "", false
}

// hasSeparator reports whether title holds a site-name separator.
func hasSeparator(title string) bool {
	for _, sep := range titleSeparators {
		if strings.Contains(title, sep) {
			return true
		}
	}
	return false
}

// isAffixed reports whether title is core plus a separator and something, in
// either order.
func isAffixed(title, core string) bool {
	for _, sep := range append(titleSeparators, ": ") {
		if strings.HasPrefix(title, core+sep) || (sep != ": " && strings.HasSuffix(title, sep+core)) {
			return true
		}
	}
	return false
}

// namesSite reports whether a title segment names the site: equal to one of
// its names (ignoring case, spaces and punctuation), contained in one, or
// containing one.
func namesSite(segment string, siteNames []string) bool {
	if isSiteName(segment, siteNames) {
		return true
	}
	seg := squash(segment)
	for _, n := range siteNames {
		if sn := squash(n); len([]rune(sn)) >= 4 && strings.Contains(seg, sn) && len(seg) <= 2*len(sn)+8 {
			return true
		}
	}
	return false
}

// isSiteName reports whether a title segment is one of the site's names or
// a part of one ("Verge" of "The Verge"), ignoring case, spaces and
// punctuation.
func isSiteName(segment string, siteNames []string) bool {
	seg := squash(segment)
	if seg == "" {
		return false
	}
	for _, n := range siteNames {
		sn := squash(n)
		if sn != "" && (seg == sn || (len([]rune(seg)) >= 3 && strings.Contains(sn, seg))) {
			return true
		}
	}
	return false
}

// squash lower-cases s, folds Arabic spelling and drops everything but
// letters and digits, for loose comparison of names.
func squash(s string) string {
	s = foldArabic(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// siteNameCandidates lists the names the site goes by: declared names
// first, then its host ("www.saraynews.com", "saraynews.com", "saraynews").
func siteNameCandidates(m *pageMeta, u *url.URL) []string {
	var names []string
	for _, n := range []string{
		m.get("og:site_name"), m.ld.SiteName, m.get("application-name", "apple-mobile-web-app-title", "twitter:site"),
	} {
		if n = strings.TrimPrefix(n, "@"); n != "" {
			names = append(names, n)
		}
	}
	if u != nil && u.Hostname() != "" {
		host := strings.TrimPrefix(u.Hostname(), "www.")
		dom := urlnorm.RegisteredDomain(host)
		names = append(names, host, dom)
		if label, _, ok := strings.Cut(dom, "."); ok && len(label) >= 4 {
			names = append(names, label)
		}
	}
	return names
}

// siteName is the declared name of the site, or its host without "www.".
func siteName(m *pageMeta, u *url.URL) string {
	if n := normalizeSpace(strings.TrimPrefix(m.get("og:site_name"), "@")); n != "" {
		return n
	}
	if n := m.ld.SiteName; n != "" {
		return n
	}
	if n := m.get("application-name", "apple-mobile-web-app-title"); n != "" {
		return n
	}
	if u != nil {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return ""
}

// Bounds of an h1 taken as the headline, in words.
const (
	minHeadlineWords = 3
	maxHeadlineWords = 40
)

// shownHeadline returns the first <h1> that reads as the article's
// headline, or "". An h1 is skipped when it is the site's name or logo (it
// names the site, links to the home page, or is the site segment of the
// <title>), when it shares too few words with the declared titles (a blog
// name, "Open Menu", a breadcrumb), and when it is short (a section name
// like "Planning") unless a declared title opens with it.
func shownHeadline(m *pageMeta, siteNames []string, page *url.URL) string {
	var declared []string
	for _, d := range []string{m.get("og:title", "twitter:title"), m.titleTag, ldHeadline(m)} {
		if d = normalizeSpace(d); d != "" {
			declared = append(declared, d)
		}
	}
	for i, n := range m.h1Nodes {
		h := dropH1Kicker(n, normalizeSpace(m.h1s[i]))
		words := wordCount(h)
		if words == 0 || words > maxHeadlineWords || namesSite(h, siteNames) || linksHome(n, page) {
			continue
		}
		if len(declared) == 0 {
			return stripSiteName(h, siteNames, nil, nil)
		}
		sq := squash(h)
		agree, opens := 0.0, false
		for _, d := range declared {
			if siteSegmentOf(d, h) {
				agree = -1
				break
			}
			opens = opens || strings.HasPrefix(squash(d), sq)
			agree = max(agree, wordOverlap(h, d))
		}
		if agree < minHeadlineAgreement || (words < minHeadlineWords && !opens) {
			continue
		}
		return stripSiteName(h, siteNames, nil, nil)
	}
	return ""
}

// Bounds of a kicker styled into the h1.
const (
	maxH1KickerWords = 6 // "Nach Corona-Lockerungen", "Local News |"
	minKickedWords   = 2 // the headline left after it
)

// kickerWords are the class words of the line news sites set above the
// headline inside the h1: a topic or rubric ("Klimaschutz", "Interne
// Unterlagen im Netz", "Local News"), which the headline does not
// include.
var kickerWords = map[string]bool{
	"kicker": true, "dachzeile": true, "topline": true, "toptitle": true, "roofline": true,
	"overline": true, "eyebrow": true, "supertitle": true, "subheadline": true, "subtitle": true,
	"section": true, "rubric": true,
}

// dropH1Kicker removes the kicker that opens h1 (whose text is h) when it
// is an element of its own marked as one by its class, and a headline of
// minKickedWords follows it ("<span class=dachzeile>Nach
// Corona-Lockerungen</span> <span class=headline>Autohäuser rechnen…").
func dropH1Kicker(h1 *html.Node, h string) string {
	var first *html.Node
	for c := h1.FirstChild; c != nil && first == nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return h // the headline's own words come first
		case c.Type == html.ElementNode && !isInvisible(c) && textOf(c, maxLabelLen) != "":
			first = c
		}
	}
	if first == nil || !slices.ContainsFunc(classTokens(first), func(w string) bool { return kickerWords[w] }) {
		return h
	}
	kicker := textOf(first, 0) // whole: a cut kicker would leave its end in the title
	rest, ok := strings.CutPrefix(h, kicker)
	rest = strings.TrimLeftFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || r == '|' })
	if !ok || wordCount(kicker) > maxH1KickerWords || wordCount(rest) < minKickedWords {
		return h
	}
	return rest
}

// minHeadlineAgreement is the share of an h1's words that a declared title
// must contain for the h1 to be taken as the headline: rewritten SEO titles
// keep some of the headline's words; a blog's name or a menu keeps none.
const minHeadlineAgreement = 0.3

// wordOverlap is the share of the words of a (lower-cased, Arabic folded)
// found among the words of b, or 0 when a has more than minSharedWords
// words and shares fewer. Text without spaces (Chinese, Japanese) counts
// as one word, found when b contains it.
func wordOverlap(a, b string) float64 {
	bw := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(foldArabic(b)), notWordRune) {
		bw[w] = true
	}
	aw := strings.FieldsFunc(strings.ToLower(foldArabic(a)), notWordRune)
	if len(aw) == 0 {
		return 0
	}
	if len(aw) == 1 {
		if strings.Contains(squash(b), squash(a)) {
			return 1
		}
		return 0
	}
	hit := 0
	for _, w := range aw {
		if bw[w] {
			hit++
		}
	}
	if hit < minSharedWords && len(aw) > minSharedWords {
		return 0
	}
	return float64(hit) / float64(len(aw))
}

// minSharedWords is the least number of words a longer h1 must share with
// a declared title: one shared word is chance ("and" in "Information and
// Resources" against "Superbugs: What They Are and How You Get Them").
const minSharedWords = 2

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func ldHeadline(m *pageMeta) string {
	if m.ld.Article != nil {
		return m.ld.Article.Headline
	}
	return ""
}

// isSiteSegment reports whether c is the site part of another candidate
// ("Cory Dransfeldt" of "A brief intro to git • Cory Dransfeldt"), so it
// cannot confirm a headline.
func isSiteSegment(c string, candidates []string) bool {
	c = normalizeSpace(c)
	for _, d := range candidates {
		if d = normalizeSpace(d); d != c && d != "" && siteSegmentOf(d, c) {
			return true
		}
	}
	return false
}

// siteSegmentOf reports whether h is the part of title on the far side of
// a separator from a longer headline: "A brief intro to git • Cory
// Dransfeldt" makes the h1 "Cory Dransfeldt" the site's name. A colon
// counts after a short h1 only ("Silicon Exposed: Open Verilog flow…", a
// blog's name); a longer one may open a headline.
func siteSegmentOf(title, h string) bool {
	for _, sep := range append(titleSeparators, ": ") {
		if rest, ok := strings.CutSuffix(title, sep+h); ok && len(rest) > len(h) {
			return true
		}
		if rest, ok := strings.CutPrefix(title, h+sep); ok && len(rest) > len(h) && (sep != ": " || wordCount(h) < minHeadlineWords) {
			return true
		}
	}
	return false
}

// linksHome reports whether the h1 is, or holds, a link to the site's home
// page: a logo.
func linksHome(h1 *html.Node, page *url.URL) bool {
	isHome := func(href string) bool {
		href = strings.TrimSpace(href)
		if href == "/" || href == "./" || href == "#" {
			return true
		}
		if page == nil {
			return false
		}
		u, err := page.Parse(href)
		return err == nil && u.Host == page.Host && (u.Path == "" || u.Path == "/") && u.RawQuery == ""
	}
	for p := h1.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == atom.A {
			return isHome(attr(p, "href"))
		}
	}
	home := false
	walk(h1, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.A && isHome(attr(n, "href")) {
			home = true
		}
		return !home
	})
	return home
}
