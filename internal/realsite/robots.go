package realsite

import (
	"math/rand/v2"
	"net/url"
	"strings"
)

// disallowedPrefixes are the paths robots.txt disallows, escaped: drafts
// in English and in Arabic (مسودات).
var disallowedPrefixes = []string{"/private/", "/" + url.PathEscape("مسودات") + "/"}

// hiddenPage is a real page at a disallowed address that related blocks
// link to, with a full headline: a crawl that ignored robots.txt would
// fetch it and write it as an article.
type hiddenPage struct {
	page   *realPage
	path   string // escaped
	served []byte
}

// newHiddenPage places p under the i-th disallowed prefix.
func newHiddenPage(p *realPage, i int, rng *rand.Rand) *hiddenPage {
	prefix := disallowedPrefixes[i%len(disallowedPrefixes)]
	slug := strings.Join(slugWords(p.headline, 5), "-")
	if i%2 == 1 || slug == "" {
		words := rng.Perm(len(arabicWords))[:3]
		parts := make([]string, len(words))
		for j, k := range words {
			parts[j] = arabicWords[k]
		}
		slug = url.PathEscape(strings.Join(parts, "-"))
	}
	return &hiddenPage{page: p, path: prefix + slug}
}

// robotsTxt is the site's robots.txt: the disallowed prefixes for every
// agent, and a sitemap-less, delay-less rest.
func robotsTxt() string {
	var b strings.Builder
	b.WriteString("# Drafts are not for crawlers.\nUser-agent: *\n")
	for _, p := range disallowedPrefixes {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("Allow: /\n")
	return b.String()
}

// IsDisallowed reports whether the escaped or decoded path p is one
// robots.txt disallows.
func IsDisallowed(p string) bool {
	dec, err := url.PathUnescape(p)
	if err != nil {
		dec = p
	}
	for _, pre := range disallowedPrefixes {
		d, _ := url.PathUnescape(pre)
		if strings.HasPrefix(dec, d) {
			return true
		}
	}
	return false
}
