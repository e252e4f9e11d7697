package parser

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/trawler/trawler/internal/urlnorm"
)

// titleSeparators split a site name from a headline. Hyphens and colons only
// count with spaces around them (or after, for a "Site: headline" prefix),
// so "COVID-19" and "10:30" stay whole.
var titleSeparators = []string{" | ", " || ", " - ", " — ", " – ", " · ", " • ", " :: ", " » ", " « ", " / ", " ~ ", " ｜ "}

// chooseTitle picks the headline (og:title, JSON-LD headline, <h1>, <title>,
// in that order) and strips the site-name prefix or suffix it carries.
func chooseTitle(m *pageMeta, siteNames []string, onPage func(string) bool) string {
	var h1 string
	if len(m.h1s) > 0 {
		h1 = m.h1s[0]
	}
	var headline string
	if m.ld.Article != nil {
		headline = m.ld.Article.Headline
	}
	candidates := []string{m.get("og:title", "twitter:title"), headline, h1, m.titleTag}
	var others []string
	for _, c := range candidates {
		if c != "" {
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
		// "Site: headline"
		if i := strings.Index(title, ": "); i > 0 {
			head, rest := title[:i], strings.TrimSpace(title[i+2:])
			if rest != "" && namesSite(head, siteNames) {
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
			if rest := strings.TrimSpace(title[i+len(sep):]); len([]rune(rest)) >= 8 && onPage(rest) {
				return rest, true
			}
		}
	}
	return "", false
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
	seg := squash(segment)
	if seg == "" {
		return false
	}
	for _, n := range siteNames {
		sn := squash(n)
		if sn == "" {
			continue
		}
		if seg == sn || (len([]rune(seg)) >= 3 && strings.Contains(sn, seg)) || (len([]rune(sn)) >= 4 && strings.Contains(seg, sn) && len(seg) <= 2*len(sn)+8) {
			return true
		}
	}
	return false
}

// squash lower-cases s, folds Arabic spelling and drops everything but
// letters and digits, for loose comparison of names.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(foldArabic(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
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
