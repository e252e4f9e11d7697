package parser

import (
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

// TestDateInArticleAside checks the last-resort date: a <time> in an aside
// of the article, which pruning removes, is still the page's date, while a
// related list's dates are not.
func TestDateInArticleAside(t *testing.T) {
	prose := strings.Repeat(longText+" ", 3)
	for _, tc := range []struct {
		name, page, want string
	}{
		{"aside in the article", `<article><h1>A brief intro to git</h1><aside><time datetime="2021-06-06">June 6</time></aside><p>` + prose + `</p></article>`, "2021-06-06"},
		{"related list only", `<article><h1>A brief intro to git</h1><p>` + prose + `</p><div class="related-posts"><h3>Related</h3><ul><li><a href="/p/1">Another story about git and more</a> <time datetime="2020-01-02">Jan 2</time></li></ul></div></article>`, ""},
	} {
		art, _, err := Parse(trawler.Page{URL: "https://blog.example.com/posts/git", Body: []byte(tc.page), FetchedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Split(art.Published, "T")[0]; got != tc.want {
			t.Errorf("%s: published %q, want %q", tc.name, art.Published, tc.want)
		}
	}
}
