package realsite

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
)

// URL schemes of the articles' main URLs, as real sites spell them.
const (
	SchemeNumeric = "numeric"  // /news/004-story.html
	SchemeOpaque  = "opaque"   // /news/articles/c4g0lyx1ez8o (BBC)
	SchemeShortID = "short-id" // /a/8f3k2
	SchemeQueryID = "query-id" // /article?id=123
	SchemePathID  = "path-id"  // /p/123
	SchemeArabic  = "arabic"   // /السياسة/تقرير-خاص, percent-encoded
	SchemeDate    = "date"     // /2019/03/14/slug
)

// Schemes lists every URL scheme; articles take them in turn.
var Schemes = []string{SchemeNumeric, SchemeOpaque, SchemeShortID, SchemeQueryID, SchemePathID, SchemeArabic, SchemeDate}

// Arabic words the Arabic-scheme URLs are made of: sections, then slug
// words.
var (
	arabicSections = []string{"السياسة", "اقتصاد", "رياضة", "ثقافة", "تكنولوجيا", "صحة", "منوعات"}
	arabicWords    = []string{"تقرير", "خاص", "العالم", "مقابلة", "تحليل", "قصة", "الأسبوع", "جديد", "أخبار", "ملف", "رأي", "حوار", "دراسة", "عاجل", "المدينة"}
)

var rxSlugWord = regexp.MustCompile(`[a-z0-9]+`)

// urlMaker hands out unique main URLs.
type urlMaker struct {
	rng  *rand.Rand
	used map[string]bool
}

// mainPath returns a new main URL (escaped path and query) of the given
// scheme for the i-th article.
func (m *urlMaker) mainPath(scheme string, i int, headline string, date time.Time) string {
	for {
		p := m.candidate(scheme, i, headline, date)
		if !m.used[p] {
			m.used[p] = true
			return p
		}
		i += 100 // numeric names: the next free number
		headline = ""
	}
}

func (m *urlMaker) candidate(scheme string, i int, headline string, date time.Time) string {
	switch scheme {
	case SchemeNumeric:
		w := "story"
		for _, word := range slugWords(headline, 4) {
			if len(word) >= 4 {
				w = word
				break
			}
		}
		return fmt.Sprintf("/news/%03d-%s.html", i+1, w)
	case SchemeOpaque:
		return "/news/articles/c" + m.opaque(10) + "o"
	case SchemeShortID:
		return "/a/" + m.opaque(5)
	case SchemeQueryID:
		return fmt.Sprintf("/article?id=%d", 100+m.rng.IntN(900))
	case SchemePathID:
		return fmt.Sprintf("/p/%d", 100+m.rng.IntN(900))
	case SchemeArabic:
		sec := arabicSections[m.rng.IntN(len(arabicSections))]
		n := 2 + m.rng.IntN(3)
		perm := m.rng.Perm(len(arabicWords))[:n]
		words := make([]string, n)
		for j, k := range perm {
			words[j] = arabicWords[k]
		}
		return "/" + url.PathEscape(sec) + "/" + url.PathEscape(strings.Join(words, "-"))
	case SchemeDate:
		words := slugWords(headline, 6)
		if len(words) < 2 {
			words = []string{"story", fmt.Sprint(i + 1)}
		}
		return fmt.Sprintf("/%04d/%02d/%02d/%s", date.Year(), date.Month(), date.Day(), strings.Join(words, "-"))
	}
	panic("realsite: unknown scheme " + scheme)
}

// opaque returns n random lower-case letters and digits without a run of
// four digits, so the id reads as neither a number nor a date.
func (m *urlMaker) opaque(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	for {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[m.rng.IntN(len(alphabet))]
		}
		if !rxFourDigits.Match(b) {
			return string(b)
		}
	}
}

var rxFourDigits = regexp.MustCompile(`[0-9]{4}`)

// slugWords returns up to n lower-case ASCII words of s.
func slugWords(s string, n int) []string {
	w := rxSlugWord.FindAllString(strings.ToLower(s), -1)
	return w[:min(n, len(w))]
}

// withQuery adds the raw query parameters q to the escaped path and query
// p.
func withQuery(p, q string) string {
	if strings.Contains(p, "?") {
		return p + "&" + q
	}
	return p + "?" + q
}

// withPathParam adds the path parameter ";param" to the last segment of p,
// before its query, as Java servlet containers write session ids.
func withPathParam(p, param string) string {
	pathPart, q, hasQ := strings.Cut(p, "?")
	out := pathPart + ";" + param
	if hasQ {
		out += "?" + q
	}
	return out
}

// relativeRef returns the reference from a page at escaped path from to
// target (an escaped path and query), as a document-relative link:
// "../a/8f3k2", "article?id=123".
func relativeRef(from, target string) string {
	fromPath, _, _ := strings.Cut(from, "?")
	targetPath, q, hasQ := strings.Cut(target, "?")
	dir := path.Dir(fromPath)
	if strings.HasSuffix(fromPath, "/") {
		dir = strings.TrimSuffix(fromPath, "/")
	}
	fromSegs := split(dir)
	toSegs := split(targetPath)
	common := 0
	for common < len(fromSegs) && common < len(toSegs)-1 && fromSegs[common] == toSegs[common] {
		common++
	}
	var b strings.Builder
	for range len(fromSegs) - common {
		b.WriteString("../")
	}
	b.WriteString(strings.Join(toSegs[common:], "/"))
	if strings.HasSuffix(targetPath, "/") && len(toSegs) > 0 {
		b.WriteString("/")
	}
	ref := b.String()
	if ref == "" || strings.HasPrefix(ref, "?") || strings.Contains(strings.SplitN(ref, "/", 2)[0], ":") {
		ref = "./" + ref
	}
	if hasQ {
		ref += "?" + q
	}
	return ref
}

func split(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
