package realsite

import (
	"cmp"
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/trawler/trawler/internal/eval"
)

// Page choice.
const (
	// minBodyBytes and minBodyWords make a ground-truth body non-trivial:
	// a few paragraphs at least, so a body score means something.
	minBodyBytes = 1500
	minBodyWords = 250
	// maxPageBytes keeps the site small enough to crawl in seconds under
	// the race detector; the dev set's median page is 135 kB.
	maxPageBytes = 600 << 10
)

// realPage is one page of the ground-truth set chosen for the site.
type realPage struct {
	c        eval.Case
	raw      []byte // the page bytes as captured
	lower    []byte // raw in lowerASCII, for finding tags
	utf8     bool   // raw is valid UTF-8 (else injected markup stays ASCII)
	base     bool   // the page has a <base href>
	headline string // the title links to it use
}

// pickPages chooses n pages plus extra more, deterministically: the cases
// with a non-trivial body, shuffled by rng, taken from each source in turn
// and at most one per original site.
func pickPages(ds *eval.Dataset, n, extra int, rng *rand.Rand) ([]*realPage, error) {
	bySource := map[string][]eval.Case{}
	for _, c := range ds.Cases {
		if len(c.Body) < minBodyBytes || strings.Count(c.Body, " ")+1 < minBodyWords || c.HTMLFile == "" {
			continue
		}
		bySource[c.Source] = append(bySource[c.Source], c)
	}
	sources := slices.Sorted(func(yield func(string) bool) {
		for s := range bySource {
			if !yield(s) {
				return
			}
		}
	})
	for _, s := range sources {
		cs := bySource[s]
		slices.SortFunc(cs, func(a, b eval.Case) int { return cmp.Compare(a.ID, b.ID) })
		rng.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
	}
	var out []*realPage
	families := map[string]bool{}
	next := make(map[string]int, len(sources))
	for len(out) < n+extra {
		progress := false
		for _, s := range sources {
			for next[s] < len(bySource[s]) {
				c := bySource[s][next[s]]
				next[s]++
				if families[family(c)] {
					continue
				}
				p, err := loadPage(ds, c)
				if err != nil {
					return nil, err
				}
				if p == nil {
					continue
				}
				families[family(c)] = true
				out = append(out, p)
				progress = true
				break
			}
			if len(out) == n+extra {
				break
			}
		}
		if !progress {
			return nil, fmt.Errorf("realsite: %s has %d usable pages, want %d", ds.Dir, len(out), n+extra)
		}
	}
	return out, nil
}

// loadPage reads c's page; nil when it is too large to serve.
func loadPage(ds *eval.Dataset, c eval.Case) (*realPage, error) {
	raw, err := ds.HTML(c)
	if err != nil {
		return nil, err
	}
	if len(raw) > maxPageBytes {
		return nil, nil
	}
	p := &realPage{c: c, raw: raw, lower: lowerASCII(raw), utf8: utf8.Valid(raw)}
	p.base = hasBase(p.lower)
	p.headline = headline(c, raw)
	return p, nil
}

// family names the site a page comes from, so that two pages of one site
// are not both chosen: the host of its URL, else (readability pages have
// none) its id up to the first dash ("rd_lifehacker-working").
func family(c eval.Case) string {
	if u, err := url.Parse(c.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	id, _, _ := strings.Cut(c.ID, "-")
	return id
}

var (
	rxTitle   = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	rxOGTitle = regexp.MustCompile(`(?is)<meta\s[^>]*property=["']og:title["'][^>]*content=["']([^"']*)["']`)
)

// headline is the title other pages link to c by: its ground-truth title,
// else its og:title or <title> without a " | Site" suffix, else the start
// of its body.
func headline(c eval.Case, raw []byte) string {
	if t := strings.Join(strings.Fields(c.Title), " "); t != "" {
		return t
	}
	for _, rx := range []*regexp.Regexp{rxOGTitle, rxTitle} {
		if m := rx.FindSubmatch(raw); m != nil && utf8.Valid(m[1]) {
			t := strings.Join(strings.Fields(html.UnescapeString(string(m[1]))), " ")
			for _, sep := range []string{" | ", " – ", " — ", " - "} {
				if i := strings.LastIndex(t, sep); i > 0 && len(strings.Fields(t[:i])) >= 3 {
					t = t[:i]
				}
			}
			if len(strings.Fields(t)) >= 2 {
				return t
			}
		}
	}
	return firstWords(c.Body, 10)
}

// firstWords returns the first n words of s.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

// firstSentence returns the first sentence of s, at most n words.
func firstSentence(s string, n int) string {
	para, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	if i := strings.Index(para, ". "); i > 0 {
		para = para[:i+1]
	}
	f := strings.Fields(para)
	if len(f) > n {
		return strings.Join(f[:n], " ") + "…"
	}
	return strings.Join(f, " ")
}
